import type { Language, ProfileView } from '../../../shared/domain';
import { MailAddress } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { AbsenderApi, TestReport, TestStep } from '../../../shared/ipc/contract';
import { t } from '../../../shared/i18n/translate';
import { credentialExpiry, lastSessionUse, refreshWindow, SIGN_IN_WARNING_DAYS } from '../../../shared/profile-health';
import { redactText } from '../logging/redact';
import type { Clock } from '../ports';
import { EXIT_IO, EXIT_USAGE, parseStrict, UsageError } from './parse-args';
import { formatGauges, type GaugeFamily } from './prometheus';
import { sendCheckNotice, type NotifyCore } from './check-notify';
import { relayHealth, type RelayProfileHealth } from '../relay/relay-health';
import { relayLockOwner, type RelayLockOwner } from '../relay/relay-lock';
import {
  DRAFT_PERMISSION,
  draftPathReader,
  draftPermission,
  grantedInToken,
  type DraftPathUse,
  type DraftPermission,
} from './draft-path';

/** Worst first: the exit code is the worst profile's. */
export const CHECK_STATES = ['ok', 'warning', 'failed', 'unreadable'] as const;
export type CheckState = (typeof CHECK_STATES)[number];
export const EXIT_CODES: Record<CheckState, number> = { ok: 0, warning: 1, failed: 2, unreadable: 3 };

/** The cockpit's 30-day secret warning; the sign-in window's 14 days come from profile-health. */
export const SECRET_WARNING_DAYS = 30;

/** The keyring's refusals (keyring-advice.ts): the secret is there, this account cannot decrypt it. */
const UNREADABLE_KEYS = new Set(['errors.secret-unreadable', 'vault.backendChanged', 'vault.backendChangedNoSwitch']);

export interface CheckMessage {
  /** The i18n key as the window uses it (a diagnosis title, a step's message, a host text). */
  key: string;
  text: string;
  code: string | null;
}

export interface ProfileCheck {
  id: string;
  name: string;
  accountType: ProfileView['accountType'];
  state: CheckState;
  test: { outcome: TestReport['outcome'] | null; failedStep: string | null };
  secret: { expiresOn: string | null; daysLeft: number | null } | null;
  signIn: { daysLeft: number | null } | null;
  /** Mail.ReadWrite in the token, and whether the profile sends through drafts (send's draft path, the relay). */
  drafts: { mailReadWrite: DraftPermission; used: DraftPathUse | null };
  messages: CheckMessage[];
  steps: Array<Pick<TestStep, 'id' | 'status' | 'messageKey' | 'code'>>;
}

export interface CheckResult {
  checkedAt: string;
  exitCode: number;
  profiles: ProfileCheck[];
}

export interface CheckContext {
  out: (text: string) => void;
  err: (text: string) => void;
  language: Language;
  clock: Clock;
  /** The batch part (a Graph client per profile) is what `--notify` sends through. */
  openCore: () => Promise<AbsenderApi & NotifyCore>;
  /** Atomic (temp + rename): node_exporter may read the file at any moment. */
  writeFile: (path: string, text: string) => Promise<void>;
}

export const CHECK_OPTIONS = {
  all: { type: 'boolean' },
  profile: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  prometheus: { type: 'string' },
  lang: { type: 'string' },
  'send-test': { type: 'string' },
  notify: { type: 'string' },
  via: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `--lang de|en`; anything else is a usage error (a job's output must not change language by accident). */
export function languageOption(value: string | undefined, fallback: Language): Language {
  if (value === undefined) return fallback;
  if (value === 'de' || value === 'en') return value;
  throw new UsageError(t(fallback, 'host:cli.invalidLang', { value }));
}

/** `Absender check …`: parses, runs the connection test per profile, prints, writes the textfile. */
export async function runCheck(args: readonly string[], ctx: Omit<CheckContext, 'language'> & { osLanguage: Language }) {
  const options = parseStrict(args, CHECK_OPTIONS);
  const language = languageOption(options.lang, ctx.osLanguage);
  if (options.help) {
    ctx.out(`${t(language, 'host:cli.checkHelp')}\n`);
    return { exitCode: 0, outFile: options.out };
  }
  const wanted = options.profile ?? [];
  if (options.all === true && wanted.length > 0) throw new UsageError(t(language, 'host:cli.allAndProfile'));
  if (options.all !== true && wanted.length === 0) throw new UsageError(t(language, 'host:cli.needProfile'));
  const sendTo = options['send-test'];
  if (sendTo !== undefined && !MailAddress.safeParse(sendTo).success)
    throw new UsageError(t(language, 'host:cli.invalidMail', { value: sendTo }));

  const notify = options.notify;
  if ((notify === undefined) !== (options.via === undefined)) throw new UsageError(t(language, 'host:cli.notifyNeedsVia'));
  if (notify !== undefined && !MailAddress.safeParse(notify).success)
    throw new UsageError(t(language, 'host:cli.invalidMail', { value: notify }));

  const context: CheckContext = { ...ctx, language };
  const opened: { api?: AbsenderApi & NotifyCore; profiles?: ProfileView[] } = {};
  const result = await checkProfiles(context, { all: options.all === true, wanted, sendTo }, opened);
  if (result === null) return { exitCode: EXIT_CODES.unreadable, outFile: options.out };
  if ('unknown' in result) {
    ctx.err(`${t(language, 'host:cli.unknownProfile', { profile: result.unknown })}\n`);
    return { exitCode: EXIT_USAGE, outFile: options.out };
  }
  // The via profile is looked up before anything is printed: a typo in a scheduled job fails as usage.
  const via = options.via === undefined ? undefined : findProfile(opened.profiles ?? [], options.via);
  if (options.via !== undefined && via === undefined) {
    ctx.err(`${t(language, 'host:cli.unknownProfile', { profile: options.via })}\n`);
    return { exitCode: EXIT_USAGE, outFile: options.out };
  }
  ctx.out(options.json === true ? `${JSON.stringify(result, null, 2)}\n` : humanReport(result, language));
  if (notify !== undefined && via !== undefined && opened.api && result.exitCode !== EXIT_CODES.ok) {
    const failure = await sendCheckNotice(opened.api, via, notify, result, humanReport(result, language), language);
    ctx.err(`${failure ?? t(language, 'host:cli.notifySent', { to: notify, profile: via.name })}\n`);
  }
  if (options.prometheus !== undefined) {
    try {
      await ctx.writeFile(options.prometheus, prometheusText(result));
    } catch (error) {
      ctx.err(`${t(language, 'host:cli.writeFailed', { file: options.prometheus, reason: reasonOf(error) })}\n`);
      return { exitCode: EXIT_IO, outFile: options.out };
    }
  }
  return { exitCode: result.exitCode, outFile: options.out };
}

const reasonOf = (error: unknown): string => redactText(error instanceof Error ? error.message : String(error)).slice(0, 300);

/** null: the data could not be read (already reported on stderr). */
async function checkProfiles(
  ctx: CheckContext,
  request: { all: boolean; wanted: readonly string[]; sendTo: string | undefined },
  opened: { api?: AbsenderApi & NotifyCore; profiles?: ProfileView[] },
): Promise<CheckResult | { unknown: string } | null> {
  // The headless core also names the data directory (the relay queue); a bare API (tests) has none.
  let api: AbsenderApi & NotifyCore & { dataDir?: string };
  let profiles: ProfileView[];
  try {
    api = await ctx.openCore();
    profiles = await api.profiles.list();
    opened.api = api;
    opened.profiles = profiles;
  } catch (error) {
    ctx.err(`${storesUnreadableText(error, ctx.language)}\n`);
    return null;
  }
  const selected: ProfileView[] = [];
  if (request.all) selected.push(...profiles);
  for (const wanted of request.wanted) {
    const match = findProfile(profiles, wanted);
    if (!match) return { unknown: wanted };
    if (!selected.includes(match)) selected.push(match);
  }
  const checks: ProfileCheck[] = [];
  // One after another: a throttled tenant (429) is not asked in parallel by its own batch host.
  const relay =
    api.dataDir === undefined ? new Map<string, RelayProfileHealth>() : await relayHealth(api.dataDir, ctx.clock.now());
  const dataDir = api.dataDir;
  const drafts = dataDir === undefined ? () => null : draftPathReader(dataDir);
  // A relay running with a temporary certificate says so in its lock record (check runs in another process).
  const relayOwner = dataDir === undefined ? null : relayLockOwner(dataDir);
  const relayTls = relayOwner?.tlsTemporary === undefined ? null : relayOwner;
  for (const profile of selected)
    checks.push(await checkOne(api, profile, request.sendTo, ctx, relay.get(profile.id), drafts(profile.id), relayTls));
  // No profile at all is a warning: a job that checks nothing must not look healthy.
  const worst = checks.length === 0 ? EXIT_CODES.warning : Math.max(...checks.map((c) => EXIT_CODES[c.state]));
  if (checks.length === 0) ctx.err(`${t(ctx.language, 'host:cli.noProfiles')}\n`);
  return { checkedAt: ctx.clock.now().toISOString(), exitCode: worst, profiles: checks };
}

/** NAME|ID as `--profile` and `--via` take it: the id exactly, else the name without regard to case. */
const findProfile = (profiles: readonly ProfileView[], wanted: string): ProfileView | undefined =>
  profiles.find((p) => p.id === wanted) ?? profiles.find((p) => p.name.toLocaleLowerCase() === wanted.toLocaleLowerCase());

function storesUnreadableText(error: unknown, language: Language): string {
  if (error instanceof AppError && error.code === 'storage-corrupt' && error.params['reason'] === 'needs-app')
    return t(language, 'host:cli.storeNeedsApp', { file: error.params['file'] ?? '' });
  if (error instanceof AppError && error.code === 'storage-corrupt') {
    const p = error.params;
    return t(language, 'host:cli.storeUnreadable', {
      file: p['file'] ?? '',
      backup: p['backupFile'] || t(language, 'host:openStores.noBackup'),
      corrupt: p['corruptFile'] || (p['file'] ?? ''),
    });
  }
  return t(language, 'host:cli.dataUnreadable', { reason: reasonOf(error) });
}

const worse = (a: CheckState, b: CheckState): CheckState => (EXIT_CODES[b] > EXIT_CODES[a] ? b : a);

async function checkOne(
  api: AbsenderApi,
  profile: ProfileView,
  sendTo: string | undefined,
  ctx: CheckContext,
  relay?: RelayProfileHealth,
  draftUse: DraftPathUse | null = null,
  relayTls: RelayLockOwner | null = null,
): Promise<ProfileCheck> {
  const { language } = ctx;
  const now = ctx.clock.now();
  const messages: CheckMessage[] = [];
  let state: CheckState = 'ok';
  let report: TestReport | null = null;
  try {
    report = await api.tests.run({ profileId: profile.id, ...(sendTo !== undefined ? { testMessageTo: sendTo } : {}) });
  } catch (error) {
    state = 'failed';
    messages.push({
      key: 'host:cli.testNotRun',
      text: t(language, 'host:cli.testNotRun', { reason: reasonOf(error) }),
      code: null,
    });
  }
  const current = report?.profile ?? profile;
  if (report) {
    state = worse(state, report.outcome === 'failed' ? 'failed' : report.outcome === 'warning' ? 'warning' : 'ok');
    for (const step of report.steps) {
      if (step.status !== 'failed' && step.status !== 'warning') continue;
      if (step.messageKey === null) continue;
      if (UNREADABLE_KEYS.has(step.messageKey)) {
        state = worse(state, 'unreadable');
        messages.push({ key: 'host:cli.secretUnreadable', text: t(language, 'host:cli.secretUnreadable'), code: null });
      }
      messages.push({ key: step.messageKey, text: t(language, step.messageKey, step.params), code: step.code });
    }
  }

  let secret: ProfileCheck['secret'] = null;
  // The app credential: the client secret's date, or the certificate's notAfter (same 30-day warning).
  const expiry = credentialExpiry(current, now);
  if (expiry !== null) {
    const isCertificate = current.accountType === 'client-certificate';
    secret = { expiresOn: expiry.expiresOn, daysLeft: expiry.daysLeft };
    const date = expiry.expiresOn ?? '';
    if (expiry.state === 'expired') {
      state = worse(state, 'failed');
      const key = isCertificate ? 'host:cli.certificateExpired' : 'host:cli.secretExpired';
      messages.push({ key, text: t(language, key, { date }), code: null });
    } else if (expiry.daysLeft !== null && expiry.daysLeft <= SECRET_WARNING_DAYS) {
      state = worse(state, 'warning');
      const key = isCertificate ? 'host:cli.certificateExpires' : 'host:cli.secretExpires';
      messages.push({ key, text: t(language, key, { count: expiry.daysLeft, date }), code: null });
    }
  }

  let signIn: ProfileCheck['signIn'] = null;
  if (current.accountType === 'modern-auth') {
    const window = refreshWindow(current.delegated ? lastSessionUse(current.delegated) : null, now);
    signIn = { daysLeft: window.daysLeft };
    if (window.state === 'expired') {
      state = worse(state, 'failed');
      messages.push({ key: 'host:cli.signInExpired', text: t(language, 'host:cli.signInExpired'), code: null });
    } else if (window.daysLeft !== null && window.daysLeft <= SIGN_IN_WARNING_DAYS) {
      state = worse(state, 'warning');
      const text = t(language, 'host:cli.signInDaysLeft', { count: window.daysLeft });
      messages.push({ key: 'host:cli.signInDaysLeft', text, code: null });
    }
  }

  if (relay !== undefined && relay.failedRecently > 0) {
    state = worse(state, 'failed');
    const text = t(language, 'host:relay.checkBounced', { count: relay.failedRecently });
    messages.push({ key: 'host:relay.checkBounced', text, code: null });
  } else if (relay !== undefined && relay.stuck > 0) {
    state = worse(state, 'warning');
    const text = t(language, 'host:relay.checkStuck', { count: relay.stuck, since: relay.oldestPendingAt ?? '' });
    messages.push({ key: 'host:relay.checkStuck', text, code: null });
  }
  if (relay !== undefined && relay.uncheckedResends > 0) {
    // Not lost, maybe twice: the app could not read the mailbox to see whether the crashed send had gone out.
    state = worse(state, 'warning');
    const text = t(language, 'host:relay.checkUncheckedResend', { count: relay.uncheckedResends });
    messages.push({ key: 'host:relay.checkUncheckedResend', text, code: null });
  }

  // Only the relay's own profiles: their ERP is the one whose pinned fingerprint no longer matches.
  if (relayTls?.tlsTemporary !== undefined && draftUse?.relay === true) {
    state = worse(state, 'warning');
    const text = t(language, 'host:relay.checkTlsTemporary', {
      pid: relayTls.pid,
      temporary: relayTls.tlsTemporary.fingerprint,
      stored: relayTls.tlsTemporary.storedFingerprint,
    });
    messages.push({ key: 'host:relay.checkTlsTemporary', text, code: null });
  }

  // Decided from the token alone (no mail, no draft created): what tonight's draft sends would be refused for.
  const mailReadWrite = draftPermission(report);
  if (mailReadWrite === 'missing' && draftUse !== null) {
    state = worse(state, 'warning');
    const uses = [
      ...(draftUse.sendSince !== null ? [t(language, 'host:cli.draftUseSend', { date: draftUse.sendSince.slice(0, 10) })] : []),
      ...(draftUse.relay ? [t(language, 'host:cli.draftUseRelay')] : []),
    ].join(', ');
    const key = current.accountType === 'modern-auth' ? 'host:cli.readWriteMissingDelegated' : 'host:cli.readWriteMissing';
    const granted = (grantedInToken(report) ?? []).join(', ');
    messages.push({ key, text: t(language, key, { uses, granted, permission: DRAFT_PERMISSION }), code: null });
  }

  return {
    id: current.id,
    name: current.name,
    accountType: current.accountType,
    state,
    test: { outcome: report?.outcome ?? null, failedStep: report?.steps.find((s) => s.status === 'failed')?.id ?? null },
    secret,
    signIn,
    drafts: { mailReadWrite, used: draftUse },
    messages,
    steps: (report?.steps ?? []).map(({ id, status, messageKey, code }) => ({ id, status, messageKey, code })),
  };
}

/** One line per profile, the status word first (a scheduler's mail or a log grep reads the start). */
export function humanReport(result: CheckResult, language: Language): string {
  const words = CHECK_STATES.map((s) => t(language, `host:cli.status.${s}`));
  const width = Math.max(...words.map((w) => w.length));
  return result.profiles
    .map((p) => {
      const word = t(language, `host:cli.status.${p.state}`).padEnd(width);
      const detail = p.messages.map((m) => (m.code ? `${m.text} (${m.code})` : m.text)).join(' · ');
      return `${word}  ${p.name} [${p.id}]${detail ? ` – ${detail}` : ''}\n`;
    })
    .join('');
}

/** node_exporter textfile collector: state set per profile, days left as gauges, the run's time. */
export function prometheusText(result: CheckResult): string {
  const labels = (p: ProfileCheck) => ({ profile: p.name, id: p.id });
  const families: GaugeFamily[] = [
    {
      name: 'absender_profile_ok',
      help: 'Whether the sender profile passed the check (1) or not (0).',
      samples: result.profiles.map((p) => ({ labels: labels(p), value: p.state === 'ok' ? 1 : 0 })),
    },
    {
      name: 'absender_profile_state',
      help: 'The check result of the sender profile: 1 for its state (ok, warning, failed, unreadable), 0 for the others.',
      samples: result.profiles.flatMap((p) =>
        CHECK_STATES.map((state) => ({ labels: { ...labels(p), state }, value: p.state === state ? 1 : 0 })),
      ),
    },
    {
      name: 'absender_secret_days_left',
      help: 'Days until the client secret expires (negative when expired); absent without a stored expiry date.',
      samples: result.profiles.flatMap((p) =>
        p.secret?.daysLeft !== null && p.secret?.daysLeft !== undefined ? [{ labels: labels(p), value: p.secret.daysLeft }] : [],
      ),
    },
    {
      name: 'absender_signin_days_left',
      help: 'Days left in the Modern Authentication sign-in window (90 days without use end the sign-in).',
      samples: result.profiles.flatMap((p) => (p.signIn ? [{ labels: labels(p), value: p.signIn.daysLeft ?? 0 }] : [])),
    },
    {
      name: 'absender_mail_readwrite',
      help: 'Whether the token carries Mail.ReadWrite (1) or not (0), which drafts need (--idempotency-key, attachments over 3 MB, the relay); absent when the token does not list its grants.',
      samples: result.profiles.flatMap((p) =>
        p.drafts.mailReadWrite === 'unknown' ? [] : [{ labels: labels(p), value: p.drafts.mailReadWrite === 'granted' ? 1 : 0 }],
      ),
    },
    {
      name: 'absender_draft_path_used',
      help: 'Whether the sender profile sends through drafts (1: send took the draft path, or the relay logs in with it).',
      samples: result.profiles.map((p) => ({ labels: labels(p), value: p.drafts.used === null ? 0 : 1 })),
    },
    {
      name: 'absender_check_exit_code',
      help: 'Exit code of the last check (0 ok, 1 warning, 2 failed, 3 data unreadable).',
      samples: [{ labels: {}, value: result.exitCode }],
    },
    {
      name: 'absender_check_timestamp_seconds',
      help: 'When the last check ran, in seconds since the Unix epoch.',
      samples: [{ labels: {}, value: Math.floor(Date.parse(result.checkedAt) / 1000) }],
    },
  ];
  return formatGauges(families);
}
