import { describe, expect, it } from 'vitest';
import { classifyError } from './classify';
import { findingStep } from './finding-step';

const CORR_ID = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
const TRACE_ID = '11111111-2222-3333-4444-555555555555';

describe('findingStep', () => {
  const finding = classifyError({
    error: 'invalid_client',
    error_description: `AADSTS7000222: expired.\r\nTrace ID: ${TRACE_ID}\r\nCorrelation ID: ${CORR_ID}`,
    status: 401,
  });

  it('builds a whole failed step from a finding, ids and detail included', () => {
    expect(findingStep('signIn', finding, 42)).toEqual({
      id: 'signIn',
      status: 'failed',
      durationMs: 42,
      messageKey: 'diagnostics:aad-secret-expired.title',
      adviceKey: 'diagnostics:aad-secret-expired.advice',
      params: {},
      code: 'AADSTS7000222',
      httpStatus: 401,
      correlationId: CORR_ID,
      requestId: TRACE_ID,
      timestamp: null,
      detail: finding.detail,
    });
    expect(finding.detail).toContain('AADSTS7000222');
  });

  it('keeps the status the caller chose (a refused restriction probe is good news)', () => {
    expect(findingStep('probe', finding, null, 'ok')).toMatchObject({ id: 'probe', status: 'ok', durationMs: null });
  });
});
