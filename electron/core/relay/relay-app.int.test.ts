import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import type { RelayQueueRow, RelayStatusView } from '../../../shared/ipc/contract';
import { channelOf } from '../../../shared/ipc/manifest';
import type { Core } from '../compose-core';
import { createHandlers } from '../ipc/request-handlers';
import { composeTestCore } from '../testing/core-fixture';
import { emulatorEndpoints } from '../testing/emulator-endpoints';
import { InMemoryCipher, InMemoryStore, MemoryLogger } from '../testing/in-memory';
import { killOwnedChildren } from '../testing/owned-children';
import { UndiciTransport } from '../testing/undici-transport';
import { runRelay } from './relay-command';
import { newDataDir, RELAY_DRAFT as DRAFT } from './testing/relay-fixture';
import { curlSmtp, plainEml } from './testing/tools';

// The relay as the window drives it: through the real IPC handlers (schema, envelope), a real curl as the ERP,
// the real Graph client against the emulator.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());

let dataDir: string;
let core: Core;
let logger: MemoryLogger;
let call: (
  method: string,
  arg?: unknown,
) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; params: Record<string, string> } }>;
const events: RelayStatusView[] = [];
const cores: Core[] = [];

function compose(dir: string, log: MemoryLogger, settings = new InMemoryStore(), cipher = new InMemoryCipher()) {
  const composed = composeTestCore({
    stores: { profiles: new InMemoryStore(), secrets: new InMemoryStore(), settings },
    os: {
      cipher,
      logger: log,
      clock: { now: () => new Date() },
      transport: new UndiciTransport({ systemProxy: '', extraCaPem: emulator.caCertPem }),
    },
    emit: (event, payload) => {
      if (event === 'relay.changed') events.push(payload as RelayStatusView);
    },
    network: { endpoints: emulatorEndpoints(emulator), requestTimeoutMs: 10_000, maxRetries: 0, maxRetryDelaySeconds: 1 },
    dataDir: dir,
    relay: { defaults: { port: 0 } },
  });
  cores.push(composed);
  const handlers = createHandlers(composed.api, log);
  const invoke = async (method: string, arg?: unknown) => {
    const handler = handlers.get(channelOf('relay', method));
    if (!handler) throw new Error(method);
    return (await handler(arg)) as Awaited<ReturnType<typeof call>>;
  };
  return { composed, invoke };
}

async function profile(c: Core, secret: string = DEMO.confidentialApp.secretValue) {
  return c.api.profiles.save({ draft: DRAFT, clientSecret: secret });
}

async function curl(port: number, user: string, password: string, subject: string) {
  const file = join(dataDir, `${subject}.eml`);
  writeFileSync(file, plainEml({ from: DEMO.sender.upn, to: 'kunde@example.com', subject, body: `GEHEIMER-INHALT ${subject}` }));
  const run = await curlSmtp({ port, user, password, file, from: DEMO.sender.upn, rcpts: ['kunde@example.com'] });
  rmSync(file);
  return run;
}

async function until(what: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeEach(() => {
  emulator.clearFaults();
  emulator.clearSentMessages();
  events.length = 0;
  dataDir = newDataDir();
  logger = new MemoryLogger();
  call = compose(dataDir, logger).invoke;
  core = cores[cores.length - 1] as Core;
});
afterEach(async () => {
  killOwnedChildren();
  for (const c of cores.splice(0)) await c.relay?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('relay IPC namespace', () => {
  it('starts from the window, takes a curl message with a login shown once, lists it without content, stops', async () => {
    const saved = await profile(core);
    const off = await call('status');
    expect(off).toMatchObject({ ok: true, value: { running: false, lockedBy: null, counts: { pending: 0, sent: 0 } } });
    const started = await call('start', { host: '127.0.0.1', port: 0 });
    const status = started.value as RelayStatusView;
    expect(status.running).toBe(true);
    expect(status.port).toBeGreaterThan(0);
    expect(status.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect((await core.api.settings.get()).relay).toMatchObject({ enabled: true, host: '127.0.0.1' });

    const issued = (await call('newPassword', { profileId: saved.id })).value as { user: string; password: string };
    expect(issued.user).toBe(DEMO.sender.upn.toLowerCase());
    expect(issued.password.length).toBeGreaterThanOrEqual(20);
    const run = await curl(status.port ?? 0, issued.user, issued.password, 'Bestellung 4711');
    expect(run.code, run.stderr).toBe(0);
    await until(async () => ((await call('list')).value as RelayQueueRow[])[0]?.status === 'sent');
    expect(emulator.sentMessages().map((m) => m.subject)).toEqual(['Bestellung 4711']);

    const rows = (await call('list', { profileId: saved.id })).value as RelayQueueRow[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ subject: 'Bestellung 4711', rcptTo: ['kunde@example.com'], status: 'sent', attempts: 1 });
    expect(JSON.stringify(rows)).not.toContain('GEHEIMER-INHALT');
    expect(((await call('status')).value as RelayStatusView).logins.map((l) => l.user)).toEqual([issued.user]);
    expect(events.length).toBeGreaterThan(0);

    // The password is in that one answer only: never in a log line or a file of the data directory.
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
    for (const file of files(dataDir)) expect(readFileSync(file, 'latin1'), file).not.toContain(issued.password);
    expect(logger.lines.join('\n')).not.toContain(issued.password);

    expect((await call('remove', { id: rows[0]?.id })).value).toEqual([]);
    expect((await call('revoke', { profileId: saved.id })).value).toMatchObject({ logins: [] });
    expect(await call('revoke', { profileId: saved.id })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const stopped = (await call('stop')).value as RelayStatusView;
    expect(stopped.running).toBe(false);
    expect((await core.api.settings.get()).relay.enabled).toBe(false);
  });

  it('defers with the diagnosis while the secret is expired; retry now after the fix sends it', async () => {
    const saved = await profile(core, DEMO.confidentialApp.expiredSecretValue);
    const port = ((await call('start', {})).value as RelayStatusView).port ?? 0;
    const { user, password } = (await call('newPassword', { profileId: saved.id })).value as { user: string; password: string };
    expect((await curl(port, user, password, 'Abgelaufen')).code).toBe(0);
    await until(async () => (((await call('list')).value as RelayQueueRow[])[0]?.attempts ?? 0) >= 1);
    const [pending] = (await call('list')).value as RelayQueueRow[];
    expect(pending).toMatchObject({ status: 'pending', lastReply: { code: 451, enhanced: '4.3.5' } });
    expect(pending?.lastReply?.diagnosis).toMatch(/^aad-/);
    expect(await call('retryNow', { id: '000000000-000000000000' })).toMatchObject({ ok: false, error: { code: 'not-found' } });

    await core.api.profiles.save({
      draft: { ...DRAFT, id: saved.id, revision: saved.revision },
      clientSecret: DEMO.confidentialApp.secretValue,
    });
    expect((await call('retryNow', { id: pending?.id })).ok).toBe(true);
    await until(async () => ((await call('list')).value as RelayQueueRow[])[0]?.status === 'sent');
    expect(emulator.sentMessages().map((m) => m.subject)).toEqual(['Abgelaufen']);
  });

  it('one relay per data directory: the second gets "address in use", the panel is read only; the command says so too', async () => {
    await profile(core);
    const first = (await call('start', {})).value as RelayStatusView;
    const other = compose(dataDir, new MemoryLogger());
    const refused = await other.invoke('start', { port: first.port });
    expect(refused).toMatchObject({ ok: false, error: { code: 'relay-address-in-use', params: { port: String(first.port) } } });
    const elsewhere = await other.invoke('start', { port: 0 });
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'relay-locked', params: { pid: String(process.pid) } } });
    const view = (await other.invoke('status')).value as RelayStatusView;
    expect(view).toMatchObject({ running: false, lockedBy: { pid: process.pid, port: first.port } });
    expect(await other.invoke('retryNow', { id: '000000000-000000000000' })).toMatchObject({ error: { code: 'relay-locked' } });
    expect(await other.invoke('newPassword', { profileId: 'x' })).toMatchObject({ ok: false });

    // The headless command beside the window's relay: a clear text and exit 69, not Node's EADDRINUSE.
    let err = '';
    const stop = new AbortController();
    const result = await runRelay(['--listen', `127.0.0.1:${first.port}`, '--lang', 'de'], {
      out: () => undefined,
      err: (s) => (err += s),
      live: () => undefined,
      osLanguage: 'de',
      openCore: () => Promise.resolve({ ...core.api, batch: core.batch, dataDir, cipher: new InMemoryCipher() }),
      stop: stop.signal,
    });
    expect(result.exitCode).toBe(69);
    expect(err).toContain(`Die Adresse 127.0.0.1:${first.port} wird bereits verwendet`);

    // Once the window's relay stops, the lock goes and the other one may start.
    await call('stop');
    expect(((await other.invoke('start', { port: 0 })).value as RelayStatusView).running).toBe(true);
  });

  it('another keyring backend at this start: the panel shows the temporary and the stored fingerprint, here and in another process', async () => {
    const stored = ((await call('start', {})).value as RelayStatusView).fingerprint;
    expect(((await call('status')).value as RelayStatusView).tlsTemporary).toBeNull();
    await call('stop');
    const otherLog = new MemoryLogger();
    const other = compose(dataDir, otherLog, new InMemoryStore(), new InMemoryCipher('kwallet6'));
    const running = (await other.invoke('start', { port: 0 })).value as RelayStatusView;
    expect(running.fingerprint).not.toBe(stored);
    const temporary = { fingerprint: running.fingerprint, storedFingerprint: stored, reason: 'other-backend' };
    expect(running.tlsTemporary).toEqual(temporary);
    expect(otherLog.lines.some((l) => l.includes('relay.tls-temporary'))).toBe(true);
    // The first window (read only beside it) reads it from the relay's lock record.
    expect(((await call('status')).value as RelayStatusView).tlsTemporary).toEqual(temporary);
    await other.invoke('stop');
    expect(((await call('status')).value as RelayStatusView).tlsTemporary).toBeNull();
    const back = (await call('start', {})).value as RelayStatusView;
    expect(back.fingerprint).toBe(stored);
    expect(back.tlsTemporary).toBeNull();
  });

  it('refuses a relay on another address without an allowlist, and hostile settings, before anything listens', async () => {
    expect(await call('start', { host: '0.0.0.0', port: 0 })).toMatchObject({
      ok: false,
      error: { code: 'relay-allowlist-required' },
    });
    expect(await call('start', { host: '127.0.0.1; rm -rf /', port: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(await call('start', { port: 70_000 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(((await call('status')).value as RelayStatusView).running).toBe(false);
    expect((await core.api.settings.get()).relay.enabled).toBe(false);
  });
});
