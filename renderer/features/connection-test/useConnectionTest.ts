import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProfileView } from '../../../shared/domain';
import type { AppErrorDto } from '../../../shared/errors';
import type { TestReport, TestRunRequest, TestStep } from '../../../shared/ipc/contract';
import { api, ApiError, onEvent } from '../../api';

export interface TestOptions {
  sendTestMessage: boolean;
  testMessageTo: string;
  probe: boolean;
  probeMailbox: string;
}

/**
 * One connection test at a time; steps arrive live through the tests.progress event. `onProfile`
 * gets the profile each report carries (its new `lastTest`), so the list needs no second read.
 */
export function useConnectionTest(profileId: string | null, onProfile: (profile: ProfileView) => void) {
  const [steps, setSteps] = useState<TestStep[]>([]);
  const [report, setReport] = useState<TestReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<AppErrorDto | null>(null);
  const active = useRef<string | null>(null);
  const adopt = useRef(onProfile);
  useEffect(() => {
    adopt.current = onProfile;
  }, [onProfile]);

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

  /** Shows `call` as this panel's test (a plain run or a renewal's): live steps, then its report or its error. */
  const track = useCallback(
    async <T>(forProfile: string, call: () => Promise<T>, reportOf: (result: T) => TestReport): Promise<T | null> => {
      active.current = forProfile;
      setRunning(true);
      setSteps([]);
      setReport(null);
      setError(null);
      try {
        const result = await call();
        const done = reportOf(result);
        adopt.current(done.profile);
        if (active.current === forProfile) {
          setSteps(done.steps);
          setReport(done);
        }
        return result;
      } catch (e) {
        if (active.current === forProfile) setError(e instanceof ApiError ? e.dto : { code: 'internal', params: {} });
        return null;
      } finally {
        setRunning(false);
      }
    },
    [],
  );

  const run = useCallback(
    (request: TestRunRequest): Promise<TestReport | null> =>
      track(
        request.profileId,
        () => api.tests.run(request),
        (r) => r,
      ),
    [track],
  );

  return { steps, report, running, error, run, track };
}

export type ConnectionTest = ReturnType<typeof useConnectionTest>;
