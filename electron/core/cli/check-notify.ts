import type { Language, ProfileView } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { t } from '../../../shared/i18n/translate';
import { classifyError } from '../diagnostics/classify';
import { DiagnosedError, type ProfileGraph } from '../mail/profile-graph';
import type { CheckResult } from './check-command';

/** What the notice needs of the core: a Graph client for the profile it is sent through. */
export interface NotifyCore {
  batch?: { graphFor(profile: ProfileView): Promise<ProfileGraph> };
}

/**
 * `--notify TO --via PROFILE`: mails the check's report through PROFILE when anything is not ok. Returns null
 * when sent, else the reason in the report's language (the check's own exit code stays: it is not 0 here).
 */
export async function sendCheckNotice(
  core: NotifyCore,
  via: ProfileView,
  to: string,
  result: CheckResult,
  report: string,
  language: Language,
): Promise<string | null> {
  if (!core.batch) return t(language, 'host:cli.notifyFailed', { profile: via.name, reason: 'no Graph client' });
  const notOk = result.profiles.filter((p) => p.state !== 'ok');
  const subject = t(language, 'host:cli.notifySubject', { count: notOk.length, total: result.profiles.length });
  const content = `${t(language, 'host:cli.notifyIntro', { at: result.checkedAt, code: result.exitCode })}\n\n${report}`;
  let graph: ProfileGraph;
  try {
    graph = await core.batch.graphFor(via);
  } catch (error) {
    if (error instanceof DiagnosedError)
      return t(language, 'host:cli.notifyFailed', {
        profile: via.name,
        reason: `${t(language, `diagnostics:${error.finding.id}.title`, error.finding.params)} (${error.finding.code})`,
      });
    if (error instanceof AppError && error.code === 'secret-unreadable')
      return t(language, 'host:cli.notifyFailed', { profile: via.name, reason: t(language, 'host:cli.secretUnreadable') });
    throw error;
  }
  try {
    await graph.client.api(`/users/${encodeURIComponent(graph.mailbox)}/sendMail`).post({
      message: {
        subject,
        body: { contentType: 'Text', content },
        toRecipients: [{ emailAddress: { address: to } }],
      },
      saveToSentItems: false,
    });
    return null;
  } catch (error) {
    const finding = classifyError(error, graph.context('sendMail', graph.graphRoot));
    return t(language, 'host:cli.notifyFailed', {
      profile: via.name,
      reason: `${t(language, `diagnostics:${finding.id}.title`, finding.params)} (${finding.code})`,
    });
  }
}
