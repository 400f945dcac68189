import type { TestStep } from '../../../shared/ipc/contract';

/** A row of the report: one step, or the steps that could not run for one and the same reason. */
export type ReportRow = { kind: 'step'; step: TestStep } | { kind: 'rest'; reasonKey: string; steps: TestStep[] };

const COULD_NOT_RUN = /^steps\.skipped\./;

/** After a failed step the rest would say the same thing row by row: they become one line. */
export function reportRows(steps: readonly TestStep[]): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const step of steps) {
    const last = rows.at(-1);
    const key = step.status === 'skipped' ? step.messageKey : null;
    if (key !== null && COULD_NOT_RUN.test(key)) {
      if (last?.kind === 'rest' && last.reasonKey === key) {
        last.steps.push(step);
        continue;
      }
      if (last?.kind === 'step' && last.step.status === 'skipped' && last.step.messageKey === key) {
        rows[rows.length - 1] = { kind: 'rest', reasonKey: key, steps: [last.step, step] };
        continue;
      }
    }
    rows.push({ kind: 'step', step });
  }
  return rows;
}
