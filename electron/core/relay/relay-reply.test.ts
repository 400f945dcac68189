import { describe, expect, it } from 'vitest';
import type { Finding } from '../diagnostics/classify';
import { replyFor } from './relay-reply';
import { exitCodeFor, SEND_EXIT } from '../cli/send-command';

const finding = (id: Finding['id'], code = 'X'): Pick<Finding, 'id' | 'code' | 'params'> => ({ id, code, params: {} });

describe('relay reply classes', () => {
  it('temporary: Microsoft unreachable, throttled, token unavailable → 451 4.4.x, retried', () => {
    expect(replyFor(finding('graph-unavailable'), 'Versand', 'en')).toMatchObject({
      code: 451,
      enhanced: '4.4.1',
      permanent: false,
    });
    expect(replyFor(finding('graph-throttled'), 'Versand', 'en')).toMatchObject({
      code: 451,
      enhanced: '4.4.5',
      permanent: false,
    });
    expect(replyFor(finding('oauth-temporarily-unavailable'), 'Versand', 'en')).toMatchObject({ code: 451, enhanced: '4.4.3' });
    expect(replyFor(finding('net-timeout'), 'Versand', 'en')).toMatchObject({ code: 451, permanent: false });
  });

  it('a misconfigured profile → 451 4.3.5 naming the profile and the diagnosis, in the chosen language', () => {
    const en = replyFor(finding('aad-secret-missing'), 'Versand', 'en');
    expect(en).toMatchObject({ code: 451, enhanced: '4.3.5', permanent: false, diagnosis: 'aad-secret-missing' });
    expect(en.text).toMatch(/^Profile "Versand" is not set up correctly: /);
    expect(replyFor(finding('aad-secret-missing'), 'Versand', 'de').text).toMatch(
      /^Der Absender "Versand" ist nicht richtig eingerichtet: /,
    );
  });

  it('a permanent refusal of recipient or permission → 550 5.7.1; a message Graph refuses → 554 5.6.0', () => {
    expect(replyFor(finding('graph-send-as-denied'), 'Versand', 'en')).toMatchObject({
      code: 550,
      enhanced: '5.7.1',
      permanent: true,
    });
    expect(replyFor(finding('graph-bad-message'), 'Versand', 'en')).toMatchObject({
      code: 554,
      enhanced: '5.6.0',
      permanent: true,
    });
  });

  it('a message too big for Graph (413, or ErrorMessageSizeExceeded) → 552 5.3.4 as for a message over SIZE, naming the diagnosis', () => {
    const tooLarge = replyFor(finding('graph-request-too-large', 'BadRequest'), 'Versand', 'en');
    expect(tooLarge).toMatchObject({ code: 552, enhanced: '5.3.4', permanent: true, diagnosis: 'graph-request-too-large' });
    expect(tooLarge.text).toBe('The request is too large for Microsoft Graph (over 4 MB) (BadRequest)');
    expect(replyFor(finding('graph-request-too-large', 'BadRequest'), 'Versand', 'de').text).toBe(
      'Die Anforderung ist zu groß für Microsoft Graph (über 4 MB) (BadRequest)',
    );
    expect(replyFor(finding('graph-bad-message', 'ErrorMessageSizeExceeded'), 'Versand', 'en')).toMatchObject({
      code: 552,
      enhanced: '5.3.4',
      permanent: true,
    });
  });

  it("the mailbox's daily sending limit frees itself: 451 4.2.0 (the twin of Exchange's 5.2.0), retried, and send exits 75", () => {
    expect(replyFor(finding('graph-message-limit', 'ErrorExceededMessageLimit'), 'Versand', 'en')).toMatchObject({
      code: 451,
      enhanced: '4.2.0',
      permanent: false,
    });
    expect(exitCodeFor({ id: 'graph-message-limit' })).toBe(SEND_EXIT.tempFail);
  });
});
