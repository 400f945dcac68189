import { describe, expect, it } from 'vitest';
import type { TestStep } from '../../../shared/ipc/contract';
import { reportRows } from './report-rows';

const step = (id: string, status: TestStep['status'], messageKey: string | null): TestStep => ({
  id,
  status,
  durationMs: null,
  messageKey,
  adviceKey: null,
  params: {},
  code: null,
  httpStatus: null,
  correlationId: null,
  requestId: null,
  timestamp: null,
  detail: null,
});

describe('reportRows', () => {
  it('folds the steps that could not run after a failed token into one row', () => {
    const rows = reportRows([
      step('login', 'ok', 'steps.login.answered'),
      step('token', 'failed', 'diagnostics:aad-secret-expired.title'),
      ...['claims', 'mailbox', 'send', 'probe'].map((id) => step(id, 'skipped', 'steps.skipped.noToken')),
    ]);
    expect(rows.map((r) => (r.kind === 'step' ? r.step.id : `rest:${r.steps.map((s) => s.id).join(',')}`))).toEqual([
      'login',
      'token',
      'rest:claims,mailbox,send,probe',
    ]);
    expect(rows[2]).toMatchObject({ kind: 'rest', reasonKey: 'steps.skipped.noToken' });
  });

  it('keeps a single skipped step, steps skipped by choice, and different reasons apart', () => {
    const rows = reportRows([
      step('mailbox', 'failed', 'diagnostics:graph-invalid-user.title'),
      step('send', 'skipped', 'steps.skipped.mailboxMissing'),
      step('probe', 'skipped', 'steps.probe.notRequested'),
      step('x', 'skipped', 'steps.send.notRequested'),
      step('signInAge', 'ok', 'steps.signInAge.ok'),
    ]);
    expect(rows.every((r) => r.kind === 'step')).toBe(true);
    expect(rows).toHaveLength(5);
  });
});
