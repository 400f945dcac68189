import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorDto } from '../../../shared/errors';
import type { TestReport, TestRunRequest, TestStep } from '../../../shared/ipc/contract';
import { api, ApiError, onEvent } from '../../api';

export interface TestOptions {
  sendTestMessage: boolean;
  testMessageTo: string;
  probe: boolean;
  probeMailbox: string;
}

/** One connection test at a time; steps arrive live through the tests.progress event. */
export function useConnectionTest(profileId: string | null) {
  const [steps, setSteps] = useState<TestStep[]>([]);
  const [report, setReport] = useState<TestReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<AppErrorDto | null>(null);
  const active = useRef<string | null>(null);

  // Another profile opened: its own (empty) results, reset during render as React recommends.
  const [shownFor, setShownFor] = useState(profileId);
  if (shownFor !== profileId) {
    setShownFor(profileId);
    setSteps([]);
    setReport(null);
    setError(null);
  }

  // Late events and results of the previous profile's test are dropped.
  useEffect(() => {
    active.current = profileId;
  }, [profileId]);

  useEffect(
    () =>
      onEvent('tests.progress', ({ profileId: id, step }) => {
        if (id !== active.current) return;
        setSteps((current) => {
          const index = current.findIndex((s) => s.id === step.id);
          return index === -1 ? [...current, step] : current.map((s, i) => (i === index ? step : s));
        });
      }),
    [],
  );

  const run = useCallback(async (request: TestRunRequest): Promise<TestReport | null> => {
    active.current = request.profileId;
    setRunning(true);
    setSteps([]);
    setReport(null);
    setError(null);
    try {
      const result = await api.tests.run(request);
      setSteps(result.steps);
      setReport(result);
      return result;
    } catch (e) {
      setError(e instanceof ApiError ? e.dto : { code: 'internal', params: {} });
      return null;
    } finally {
      setRunning(false);
    }
  }, []);

  return { steps, report, running, error, run };
}

export type ConnectionTest = ReturnType<typeof useConnectionTest>;
