import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_IDS } from '../../../shared/diagnostics/catalogue';
import { exitCodeFor, SEND_EXIT } from './send-command';

describe('exitCodeFor', () => {
  it.each([
    ['graph-throttled', SEND_EXIT.tempFail],
    ['graph-unavailable', SEND_EXIT.tempFail],
    ['net-timeout', SEND_EXIT.tempFail],
    ['net-dns', SEND_EXIT.unavailable],
    ['net-tls-untrusted', SEND_EXIT.unavailable],
    ['graph-access-denied', SEND_EXIT.noPerm],
    ['aad-consent-missing', SEND_EXIT.noPerm],
    ['aad-secret-invalid', SEND_EXIT.config],
    ['aad-secret-expired', SEND_EXIT.config],
    ['aad-secret-missing', SEND_EXIT.config],
    ['msal-no-account', SEND_EXIT.config],
    ['graph-bad-message', SEND_EXIT.dataErr],
  ] as const)('%s → %i', (id, code) => {
    expect(exitCodeFor({ id })).toBe(code);
  });

  it('every diagnosis maps to one of the documented codes, never 0', () => {
    const documented = new Set<number>([65, 69, 75, 77, 78]);
    for (const id of DIAGNOSTIC_IDS) expect(documented.has(exitCodeFor({ id })), id).toBe(true);
  });
});
