import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TestAllRow } from '../../../shared/ipc/contract';
import { api, ApiError, onEvent } from '../../api';
import { errorText } from '../../i18n/error-text';

export interface TestAllState {
  open: boolean;
  running: boolean;
  done: number;
  total: number;
  /** Live in the order they finish; in the list's order once the batch is done. */
  rows: TestAllRow[];
  finishedAt: string | null;
  error: string | null;
}

const idle: TestAllState = { open: false, running: false, done: 0, total: 0, rows: [], finishedAt: null, error: null };

/** "Test all": one batch in the core, its progress from tests.allProgress, the list refreshed afterwards (badges). */
export function useTestAll(onFinished: () => Promise<void> | void) {
  const { t } = useTranslation();
  const [state, setState] = useState<TestAllState>(idle);
  const batch = useRef<string | null>(null);

  useEffect(
    () =>
      onEvent('tests.allProgress', (p) => {
        // A batch the daily check started is shown too if the dialog is open and waiting for one.
        if (batch.current !== null && batch.current !== p.batchId && p.done > 0) return;
        batch.current = p.batchId;
        setState((s) =>
          s.running
            ? {
                ...s,
                done: p.done,
                total: p.total,
                rows: p.row ? [...s.rows.filter((r) => r.profileId !== p.row?.profileId), p.row] : s.rows,
              }
            : s,
        );
      }),
    [],
  );

  const running = useRef(false);
  const run = useCallback(async () => {
    // A second click while a batch runs only shows it again (the button stays enabled: a button that
    // disables itself under the focus leaves the dialog without focus, and Fluent then hides it from readers).
    if (running.current) return setState((s) => ({ ...s, open: true }));
    running.current = true;
    batch.current = null;
    setState({ ...idle, open: true, running: true });
    try {
      const result = await api.tests.runAll();
      setState((s) => ({
        ...s,
        running: false,
        done: result.rows.length,
        total: result.rows.length,
        rows: result.rows,
        finishedAt: result.finishedAt,
      }));
    } catch (error) {
      const message = error instanceof ApiError ? errorText(t, error.dto) : t('testAll.failed');
      setState((s) => ({ ...s, running: false, error: message }));
    } finally {
      running.current = false;
      await onFinished();
    }
  }, [onFinished, t]);

  // Closing while it runs only hides it: the batch goes on and the toolbar button shows it again.
  const close = useCallback(() => setState((s) => ({ ...s, open: false })), []);
  return { state, run, close };
}
