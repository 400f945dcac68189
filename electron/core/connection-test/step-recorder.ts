import type { TestStep, TestStepStatus } from '../../../shared/ipc/contract';
import type { Finding } from '../diagnostics/classify';
import { findingStep } from '../diagnostics/finding-step';
import type { Clock } from '../ports';

export interface StepOutcome {
  status: Exclude<TestStepStatus, 'pending' | 'running'>;
  messageKey: string;
  adviceKey?: string;
  params?: Record<string, string>;
}

const blank = (id: string): TestStep => ({
  id,
  status: 'pending',
  durationMs: null,
  messageKey: null,
  adviceKey: null,
  params: {},
  code: null,
  httpStatus: null,
  correlationId: null,
  requestId: null,
  timestamp: null,
  detail: null,
});

/** Holds the steps of one test run and pushes every change to the UI as it happens. */
export class StepRecorder {
  private readonly steps = new Map<string, TestStep>();

  constructor(
    ids: readonly string[],
    private readonly emit: (step: TestStep) => void,
    private readonly clock: Clock,
  ) {
    for (const id of ids) this.steps.set(id, blank(id));
    for (const step of this.steps.values()) emit(step);
  }

  start(id: string): () => number {
    this.update(id, { status: 'running' });
    const started = this.clock.now().getTime();
    return () => this.clock.now().getTime() - started;
  }

  finish(id: string, outcome: StepOutcome, durationMs: number | null = null): void {
    this.update(id, {
      status: outcome.status,
      durationMs,
      messageKey: outcome.messageKey,
      adviceKey: outcome.adviceKey ?? null,
      params: outcome.params ?? {},
    });
  }

  fail(id: string, finding: Finding, durationMs: number | null, status: StepOutcome['status'] = 'failed'): void {
    this.update(id, findingStep(id, finding, durationMs, status));
  }

  skipRest(ids: readonly string[], messageKey: string): void {
    for (const id of ids) if (this.steps.get(id)?.status === 'pending') this.finish(id, { status: 'skipped', messageKey });
  }

  get(id: string): TestStep | undefined {
    return this.steps.get(id);
  }

  all(): TestStep[] {
    return [...this.steps.values()];
  }

  private update(id: string, patch: Partial<TestStep>): void {
    const current = this.steps.get(id) ?? blank(id);
    const next = { ...current, ...patch };
    this.steps.set(id, next);
    this.emit(next);
  }
}

export function outcomeOf(steps: readonly TestStep[]): 'ok' | 'warning' | 'failed' {
  if (steps.some((s) => s.status === 'failed')) return 'failed';
  return steps.some((s) => s.status === 'warning') ? 'warning' : 'ok';
}
