import { describe, expect, it } from 'vitest';
import type { TestStep } from '../../../shared/ipc/contract';
import { supportText } from './copy-details';

const step: TestStep = {
  id: 'token',
  status: 'failed',
  durationMs: 120,
  messageKey: 'diagnostics:aad-secret-expired.title',
  adviceKey: 'diagnostics:aad-secret-expired.advice',
  params: { clientId: 'abc' },
  code: 'AADSTS7000222',
  httpStatus: 401,
  correlationId: '11111111-2222-3333-4444-555555555555',
  requestId: null,
  timestamp: '2026-11-29 10:12:03Z',
  detail: null,
};

describe('supportText', () => {
  it('puts the status words first and the ids for Microsoft support after them, skipping empty ones', () => {
    const t = (key: string, params?: Record<string, string>) => `<${key}${params?.['clientId'] ? `:${params['clientId']}` : ''}>`;
    const text = supportText(t, 'Bestellungen', step, null);
    expect(text.split('\n')).toEqual([
      'Absender – <test.title>: Bestellungen',
      '<steps.label.token>: <test.status.failed>',
      '<diagnostics:aad-secret-expired.title:abc>',
      '<diagnostics:aad-secret-expired.advice:abc>',
      'Code: AADSTS7000222',
      'HTTP: 401',
      'Correlation ID: 11111111-2222-3333-4444-555555555555',
      'Timestamp: 2026-11-29 10:12:03Z',
    ]);
  });
});
