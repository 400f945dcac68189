import type { Language } from '../../../shared/domain';
import { t } from '../../../shared/i18n/translate';
import type { Finding } from '../diagnostics/classify';
import { exitCodeFor, SEND_EXIT } from '../cli/send-command';
import type { RelayReply } from './relay-queue';

const TOKEN = /^(aad-|msal-|oauth-)/;

/**
 * The SMTP reply class of a diagnosis, as `send` reads the same diagnosis for its exit code: temporary
 * (Microsoft unreachable, token unavailable, throttled) → 451 4.4.x; the profile is not set up right → 451 4.3.5
 * naming the profile; a permanent refusal of recipient or permission → 550 5.7.1; a message Graph refuses → 554 5.6.0.
 */
export function replyFor(
  finding: Pick<Finding, 'id' | 'params' | 'code'>,
  profileName: string,
  language: Language,
): RelayReply & { permanent: boolean } {
  const why = t(language, `diagnostics:${finding.id}.title`, finding.params);
  const exit = exitCodeFor(finding);
  if (exit === SEND_EXIT.noPerm)
    return { code: 550, enhanced: '5.7.1', text: `${why} (${finding.code})`, diagnosis: finding.id, permanent: true };
  if (exit === SEND_EXIT.dataErr)
    return {
      code: 554,
      enhanced: finding.id === 'graph-message-limit' ? '5.3.4' : '5.6.0',
      text: `${why} (${finding.code})`,
      diagnosis: finding.id,
      permanent: true,
    };
  if (exit === SEND_EXIT.config)
    return {
      code: 451,
      enhanced: '4.3.5',
      text: t(language, 'host:relay.profileMisconfigured', { profile: profileName, reason: why }),
      diagnosis: finding.id,
      permanent: false,
    };
  const enhanced = finding.id.includes('throttled') ? '4.4.5' : TOKEN.test(finding.id) ? '4.4.3' : '4.4.1';
  return { code: 451, enhanced, text: `${why} (${finding.code})`, diagnosis: finding.id, permanent: false };
}
