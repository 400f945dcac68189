import { describe, expect, it } from 'vitest';
import type { Finding } from '../diagnostics/classify';
import { replyFor } from './relay-reply';

const finding = (id: Finding['id']): Pick<Finding, 'id' | 'code' | 'params'> => ({ id, code: 'X', params: {} });

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
});
