import { describe, expect, it } from 'vitest';
import { AAD, aadErrorBody, aadTimestamp } from './errors';
import { GRAPH, graphErrorBody } from './graph-errors';

const t = { traceId: 'trace', correlationId: 'corr', now: Date.UTC(2023, 4, 6, 6, 3, 0, 123) };

describe('Entra error shapes', () => {
  it('formats timestamps as yyyy-MM-dd HH:mm:ssZ', () => {
    expect(aadTimestamp(t.now)).toBe('2023-05-06 06:03:00Z');
  });

  it('builds the token-endpoint body with CRLF trace lines', () => {
    const body = aadErrorBody(AAD.invalidSecret('app'), t);
    expect(Object.keys(body)).toEqual([
      'error',
      'error_description',
      'error_codes',
      'timestamp',
      'trace_id',
      'correlation_id',
      'error_uri',
    ]);
    expect(body.error_description).toBe(
      "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'app'.\r\nTrace ID: trace\r\nCorrelation ID: corr\r\nTimestamp: 2023-05-06 06:03:00Z",
    );
    expect(body.error_codes).toEqual([7000215]);
    expect(body.error_uri).toBe('https://login.microsoftonline.com/error?code=7000215');
  });

  it('adds suberror where Entra sends one', () => {
    expect(aadErrorBody(AAD.grantRevoked(0, 1000), t).suberror).toBe('bad_token');
    expect(aadErrorBody(AAD.refreshTokenInactive(0, 90), t)).not.toHaveProperty('suberror');
  });
});

describe('Graph error shapes', () => {
  it('uses innerError with a zone-less date', () => {
    expect(graphErrorBody(GRAPH.odataDisabled(), { requestId: 'r', clientRequestId: 'c', now: t.now })).toEqual({
      error: {
        code: 'ErrorAccessDenied',
        message: 'Access to OData is disabled.',
        innerError: { date: '2023-05-06T06:03:00', 'request-id': 'r', 'client-request-id': 'c' },
      },
    });
  });
});
