import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Language, ProfileView } from '../../../shared/domain';
import { t } from '../../../shared/i18n/translate';
import { languageOption } from '../cli/check-command';
import type { HeadlessCore } from '../cli/headless-core';
import { parseStrict, UsageError } from '../cli/parse-args';
import { SEND_EXIT } from '../cli/send-command';
import { redactText } from '../logging/redact';
import { RelayCredentials } from './relay-credentials';
import { RelayQueue } from './relay-queue';
import { relayLockOwner, RelayLockedError } from './relay-lock';
import { RelayConfigError } from './relay-server';
import { startRelay } from './relay-service';
import { relayTlsNotice } from './relay-tls';

export const RELAY_OPTIONS = {
  listen: { type: 'string' },
  'allow-client': { type: 'string', multiple: true },
  'trust-client': { type: 'string', multiple: true },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'max-age-hours': { type: 'string' },
  'bounce-to': { type: 'string' },
  'new-password': { type: 'boolean' },
  revoke: { type: 'boolean' },
  alias: { type: 'string', multiple: true },
  'no-alias': { type: 'boolean' },
  profile: { type: 'string' },
  status: { type: 'boolean' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface RelayContext {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Straight to the console: a long-running command must say at once where it listens. */
  live: (text: string) => void;
  osLanguage: Language;
  openCore: () => Promise<HeadlessCore>;
  /** Aborted by SIGTERM/SIGINT (or the test): the relay finishes what it sends and exits 0. */
  stop: AbortSignal;
}

/** host:port, [v6]:port or a port alone (then on 127.0.0.1). */
export function parseListen(value: string | undefined, language: Language): { host: string; port: number } {
  if (value === undefined) return { host: '127.0.0.1', port: 2525 };
  const m = /^(?:\[([^\]]+)\]|([^:]+))?:?(\d{1,5})$/.exec(value);
  const host = m?.[1] ?? m?.[2] ?? '127.0.0.1';
  const port = Number(m?.[3]);
  if (m === null || port > 65_535 || (host !== 'localhost' && isIP(host) === 0))
    throw new UsageError(t(language, 'host:relay.badListen', { value }));
  return { host, port };
}

const done = (exitCode: number) => ({ exitCode, outFile: undefined });
const reasonOf = (error: unknown): string => redactText(error instanceof Error ? error.message : String(error)).slice(0, 300);

function findProfile(profiles: readonly ProfileView[], wanted: string): ProfileView | undefined {
  return profiles.find((p) => p.id === wanted) ?? profiles.find((p) => p.name.toLocaleLowerCase() === wanted.toLocaleLowerCase());
}

/** `Absender relay …`: runs the SMTP relay until stopped, or manages its logins, or reports its queue. */
export async function runRelay(args: readonly string[], ctx: RelayContext) {
  const options = parseStrict(args, RELAY_OPTIONS);
  const language = languageOption(options.lang, ctx.osLanguage);
  if (options.help) {
    ctx.out(`${t(language, 'host:cli.relayHelp')}\n`);
    return done(0);
  }
  const modes = [options['new-password'], options.revoke, options.status].filter((x) => x === true).length;
  if (modes > 1) throw new UsageError(t(language, 'host:relay.oneMode'));
  if ((options['new-password'] === true || options.revoke === true) && options.profile === undefined)
    throw new UsageError(t(language, 'host:cli.sendMissing', { option: '--profile' }));
  if (options.alias !== undefined && options['no-alias'] === true) throw new UsageError(t(language, 'host:relay.aliasConflict'));
  if ((options['tls-cert'] === undefined) !== (options['tls-key'] === undefined))
    throw new UsageError(t(language, 'host:relay.tlsPair'));
  const maxAgeHours = options['max-age-hours'] === undefined ? 24 : Number(options['max-age-hours']);
  if (!Number.isFinite(maxAgeHours) || maxAgeHours <= 0 || maxAgeHours > 24 * 14)
    throw new UsageError(t(language, 'host:relay.badMaxAge', { value: options['max-age-hours'] ?? '' }));
  const listen = parseListen(options.listen, language);

  let core: HeadlessCore;
  try {
    core = await ctx.openCore();
  } catch (error) {
    ctx.err(`${t(language, 'host:cli.dataUnreadable', { reason: reasonOf(error) })}\n`);
    return done(SEND_EXIT.config);
  }

  if (options.status === true) {
    const queue = new RelayQueue(core.dataDir);
    const states = [...new Set([...queue.ids(), ...queue.stateIds()])].map((id) => queue.readState(id));
    const counts = { pending: 0, sending: 0, sent: 0, failed: 0 };
    for (const s of states) counts[s.status] += 1;
    // A relay running on a temporary certificate (its lock record says so): the pinned ERP is refused right now.
    const owner = relayLockOwner(core.dataDir);
    const temporary = owner?.tlsTemporary;
    if (options.json === true)
      ctx.out(`${JSON.stringify(temporary === undefined ? counts : { ...counts, tlsTemporary: temporary }, null, 2)}\n`);
    else {
      ctx.out(`${t(language, 'host:relay.status', counts)}\n`);
      if (owner !== null && temporary !== undefined)
        ctx.out(
          `${t(language, 'host:relay.checkTlsTemporary', { pid: owner.pid, temporary: temporary.fingerprint, stored: temporary.storedFingerprint })}\n`,
        );
    }
    return done(0);
  }

  if (options['new-password'] === true || options.revoke === true) {
    const profile = findProfile(await core.profiles.list(), options.profile ?? '');
    if (profile === undefined) {
      ctx.err(`${t(language, 'host:cli.unknownProfile', { profile: options.profile ?? '' })}\n`);
      return done(SEND_EXIT.config);
    }
    const credentials = new RelayCredentials(core.dataDir);
    if (options.revoke === true) {
      credentials.revoke(profile.id);
      ctx.out(`${t(language, 'host:relay.revoked', { profile: profile.name })}\n`);
      return done(0);
    }
    // A new password is no new list of senders: the aliases stay unless --alias replaces or --no-alias clears them.
    const kept = credentials.list().find((c) => c.profileId === profile.id)?.aliases ?? [];
    const aliases = options['no-alias'] === true ? [] : (options.alias ?? kept);
    const password = await credentials.issue(profile.id, profile.senderAddress, new Date(), aliases);
    // The one place the password is shown: stdout of the admin who asked, never a log or a file.
    ctx.live(
      `${t(language, 'host:relay.newPassword', { profile: profile.name, user: profile.senderAddress.toLowerCase(), password })}\n`,
    );
    if (aliases.length > 0) ctx.out(`${t(language, 'host:relay.aliasesKept', { aliases: aliases.join(', ') })}\n`);
    return done(0);
  }

  let tls: { key: string; cert: string } | undefined;
  if (options['tls-cert'] !== undefined && options['tls-key'] !== undefined) {
    try {
      tls = { cert: await readFile(options['tls-cert'], 'utf8'), key: await readFile(options['tls-key'], 'utf8') };
    } catch (error) {
      ctx.err(`${t(language, 'host:relay.tlsUnreadable', { reason: reasonOf(error) })}\n`);
      return done(SEND_EXIT.config);
    }
  }
  const log = (event: string, data: Record<string, string | number | boolean>) =>
    ctx.live(`${redactText(`${new Date().toISOString()} ${event} ${JSON.stringify(data)}`)}\n`);
  const profiles = await core.profiles.list();
  const trustedClients: Array<{ client: string; profileId: string }> = [];
  for (const entry of options['trust-client'] ?? []) {
    const at = entry.indexOf('=');
    const profile = at > 0 ? findProfile(profiles, entry.slice(at + 1)) : undefined;
    if (profile === undefined) throw new UsageError(t(language, 'host:relay.badTrust', { value: entry }));
    trustedClients.push({ client: entry.slice(0, at), profileId: profile.id });
  }
  let relay: Awaited<ReturnType<typeof startRelay>>;
  try {
    const { acceptedWeakEncryption } = await core.settings.get();
    relay = await startRelay(
      { ...core, weakEncryptionAccepted: () => acceptedWeakEncryption },
      {
        listen: { ...listen, allowClients: options['allow-client'] ?? [], trustedClients },
        worker: { maxAgeMs: maxAgeHours * 3_600_000, bounceTo: options['bounce-to'] ?? null },
        ...(tls === undefined ? {} : { tls }),
        language,
        log,
      },
    );
  } catch (error) {
    if (error instanceof RelayConfigError)
      throw new UsageError(t(language, 'host:relay.allowlistRequired', { host: listen.host }));
    if (error instanceof Error && /CIDR/.test(error.message)) throw new UsageError(error.message);
    if (error instanceof RelayLockedError || (error as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE') {
      // Most often the window's relay (or a second scheduled task): say so instead of Node's EADDRINUSE text.
      const owner = error instanceof RelayLockedError ? error.owner : null;
      ctx.err(
        `${
          owner === null || (owner.host === listen.host && owner.port === listen.port)
            ? t(language, 'host:relay.addressInUse', { host: listen.host, port: listen.port })
            : t(language, 'host:relay.locked', { pid: owner.pid, host: owner.host, port: owner.port })
        }\n`,
      );
      return done(SEND_EXIT.unavailable);
    }
    ctx.err(`${t(language, 'host:relay.listenFailed', { host: listen.host, port: listen.port, reason: reasonOf(error) })}\n`);
    return done(SEND_EXIT.unavailable);
  }
  ctx.live(
    `${t(language, 'host:relay.listening', { host: relay.listening.address, port: relay.listening.port, fingerprint: relay.listening.fingerprint })}\n`,
  );
  // Said at every start while it is recent: an ERP that pinned the old fingerprint refuses STARTTLS until it is told.
  const notice = tls === undefined ? relayTlsNotice(core.dataDir, new Date()) : null;
  if (notice !== null)
    ctx.live(
      `${t(language, 'host:relay.tlsRegenerated', {
        at: notice.at,
        old: notice.oldFingerprint ?? t(language, 'host:relay.fingerprintUnreadable'),
        new: notice.newFingerprint,
        file: join(core.dataDir, 'relay', notice.keptFile),
      })}\n`,
    );
  // Every start that serves one: the stored certificate waits for its key store, and the ERP refuses this one.
  const temporary = relay.tlsTemporary;
  if (temporary !== null)
    ctx.live(
      `${t(language, 'host:relay.tlsTemporary', {
        stored: temporary.storedFingerprint,
        temporary: relay.listening.fingerprint,
        why: t(
          language,
          temporary.reason === 'cipher-unavailable'
            ? 'host:relay.tlsTemporaryUnavailable'
            : 'host:relay.tlsTemporaryOtherBackend',
          { backend: temporary.backend, sealedWith: temporary.sealedWith ?? '?' },
        ),
      })}\n`,
    );
  const damage = new RelayCredentials(core.dataDir).damage();
  if (damage !== null)
    ctx.live(`${t(language, 'host:relay.loginsDamaged', { file: join(core.dataDir, 'relay', damage.file) })}\n`);
  await new Promise<void>((resolve) => {
    if (ctx.stop.aborted) resolve();
    else ctx.stop.addEventListener('abort', () => resolve(), { once: true });
  });
  await relay.close();
  ctx.live(`${t(language, 'host:relay.stopped', relay.worker.counts())}\n`);
  return done(0);
}
