import type { Language } from '../../../shared/domain';
import { t } from '../../../shared/i18n/translate';
import type { Finding } from '../diagnostics/classify';
import { exitCodeFor, SEND_EXIT } from '../cli/send-command';
import type { RelayReply } from './relay-queue';

const TOKEN = /^(aad-|msal-|oauth-)/;

/**
 * The SMTP reply class of a diagnosis, as `send` reads the same diagnosis for its exit code: temporary
 * (Microsoft unreachable, token unavailable, throttled) → 451 4.4.x; the profile is not set up right → 451 4.3.5
 * naming the profile; a permanent refusal of recipient or permission → 550 5.7.1; a message Graph refuses → 554 5.6.0,
 * but a message too big for Graph (its 4 MB request limit, 413, or Exchange's ErrorMessageSizeExceeded) → 552 5.3.4;
 * the mailbox's daily sending limit → 451 4.2.0, retried (the quota is a rolling 24 hours and frees itself).
 *
 * Why 552 5.3.4: RFC 3463 names X.3.4 "message too big for system" (a per-message size limit of the system), and
 * RFC 5321 / RFC 1870 (SIZE) give 552 for a message over a fixed maximum size: the same pair our own SMTP listener
 * answers for a message over the advertised SIZE, so a too-large message reads alike wherever it is refused.
 * Why 4.2.0 for the daily limit (ErrorExceededMessageLimit): it is the sender mailbox's sending quota, not a size,
 * and not permanent; Exchange Online's own NDR for that quota is 554 5.2.0 (SubmissionQuotaExceededException), so
 * the temporary twin of that code lets the admin find Microsoft's page for it; only after the relay's retry window
 * (24 h by default) does the message bounce.
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
  if (exit === SEND_EXIT.dataErr) {
    const tooBig = finding.id === 'graph-request-too-large' || finding.code === 'ErrorMessageSizeExceeded';
    return {
      code: tooBig ? 552 : 554,
      enhanced: tooBig ? '5.3.4' : '5.6.0',
      text: `${why} (${finding.code})`,
      diagnosis: finding.id,
      permanent: true,
    };
  }
  if (exit === SEND_EXIT.config)
    return {
      code: 451,
      enhanced: '4.3.5',
      text: t(language, 'host:relay.profileMisconfigured', { profile: profileName, reason: why }),
      diagnosis: finding.id,
      permanent: false,
    };
  const enhanced =
    finding.id === 'graph-message-limit'
      ? '4.2.0'
      : finding.id.includes('throttled')
        ? '4.4.5'
        : TOKEN.test(finding.id)
          ? '4.4.3'
          : '4.4.1';
  return { code: 451, enhanced, text: `${why} (${finding.code})`, diagnosis: finding.id, permanent: false };
}
