import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RELAY_SETTINGS, type RelaySettings } from '../../../shared/domain';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import type { HeadlessCore } from '../cli/headless-core';
import { MailPacer, systemPacingClock } from '../mail/pacing';
import { nodeFsSeam } from '../storage/fs-seam';
import { InMemoryCipher, MemoryLogger } from '../testing/in-memory';
import { RelayApp } from './relay-app';
import { relayHealth } from './relay-health';
import { initialState, newQueueId, RelayQueue, type RelayEnvelope, type RelayItemState } from './relay-queue';
import { nodeQueueReadFs, type QueueReadFs } from './relay-queue-reader';
import { PRUNE_INTERVAL_MS, RelayWorker, type RelayWorkerOptions } from './relay-worker';
import { RelayCredentials } from './relay-credentials';
import { authPlain, RawSmtp } from './testing/raw-smtp';
import { newDataDir, openRelayCore, relayProfile } from './testing/relay-fixture';

// The relay's life cycle as the window drives it: starts and stops that overlap, a bounded stop, pruned history and
// listings that never read message bodies. Real Graph client against the emulator.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());

let dataDir: string;
let core: HeadlessCore;
let profileId: string;
const apps: RelayApp[] = [];
const workers: RelayWorker[] = [];
const logs: string[] = [];

beforeEach(async () => {
  emulator.clearFaults();
  emulator.clearSentMessages();
  dataDir = newDataDir();
  core = await openRelayCore(dataDir, emulator);
  profileId = (await relayProfile(core)).id;
  logs.length = 0;
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const app of apps.splice(0)) await app.close();
  for (const worker of workers.splice(0)) await worker.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function relayApp(initial: Partial<RelaySettings> = {}, now?: () => number) {
  let settings: RelaySettings = { ...DEFAULT_RELAY_SETTINGS, port: 0, ...initial };
  const logger = new MemoryLogger();
  const app = new RelayApp({
    dataDir,
    cipher: new InMemoryCipher(),
    logger,
    profiles: () => core.profiles.list(),
    graphFor: (p) => core.batch.graphFor(p),
    settings: { get: () => settings, set: (next) => (settings = next) },
    language: () => 'en',
    emit: () => undefined,
    ...(now ? { now } : {}),
  });
  apps.push(app);
  return { app, logger, settings: () => settings };
}

/** The relay answers a greeting on that port. */
async function answers(port: number): Promise<boolean> {
  try {
    const smtp = await RawSmtp.open(port);
    const greeting = await smtp.reply(2_000);
    smtp.close();
    return greeting?.startsWith('220') === true;
  } catch {
    return false;
  }
}

describe('relay start/stop serialised', () => {
  it('start, stop, start in one tick: the last word wins and one relay listens', async () => {
    const { app, settings } = relayApp();
    const [first, stopped, last] = await Promise.all([app.start({}), app.stop(), app.start({})]);
    expect(first.running).toBe(true);
    expect(stopped.running).toBe(false);
    expect(last.running).toBe(true);
    const status = await app.status();
    expect(status.running).toBe(true);
    expect(settings().enabled).toBe(true);
    expect(status.port).toBe(last.port);
    expect(await answers(status.port ?? 0)).toBe(true);
    // The first relay's port was let go: nothing of it is left listening.
    if (first.port !== last.port) expect(await answers(first.port ?? 0)).toBe(false);
  });

  it('the autostart and a click on "on" at once: one relay, the second does not restart it', async () => {
    const { app } = relayApp({ enabled: true });
    const [auto, click] = await Promise.all([app.startIfEnabled().then(() => app.status()), app.start({})]);
    expect(auto.running && click.running).toBe(true);
    expect(click.port).toBe(auto.port);
    expect(await answers(auto.port ?? 0)).toBe(true);
  });

  it("a start with other settings while one starts takes its settings (not the first call's)", async () => {
    const { app } = relayApp();
    const [, second] = await Promise.all([app.start({}), app.start({ allowClients: ['10.1.2.0/24'] })]);
    expect(second.settings.allowClients).toEqual(['10.1.2.0/24']);
    expect((await app.status()).settings.allowClients).toEqual(['10.1.2.0/24']);
  });

  it('a start queued behind the quit is refused: no relay outlives close()', async () => {
    const { app } = relayApp();
    await app.start({});
    const closing = app.close();
    const late = app.start({});
    await closing;
    await expect(late).rejects.toMatchObject({ code: 'relay-not-available' });
    expect((await app.status()).running).toBe(false);
  });
});

const mime = (subject: string, body = 'Bestellung 4711') =>
  Buffer.from(
    `From: ${DEMO.sender.upn}\r\nTo: kunde@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@contoso.example>\r\n\r\n${body}\r\n`,
  );

/** A message committed the way the listener commits it (write, fsync, rename, fsync of the directory). */
async function queued(queue: RelayQueue, subject: string, acceptedAt = new Date()): Promise<RelayEnvelope> {
  const writer = queue.open({
    id: newQueueId(acceptedAt.getTime()),
    profileId,
    mailFrom: DEMO.sender.upn,
    rcptTo: ['kunde@example.com'],
    acceptedAt: acceptedAt.toISOString(),
    clientAddress: '127.0.0.1',
    messageId: `<${subject}@contoso.example>`,
    addedMessageId: false,
  });
  writer.write(mime(subject));
  return writer.commit({ messageId: `<${subject}@contoso.example>`, addedMessageId: false, subject });
}

function worker(
  queue: RelayQueue,
  options: Partial<RelayWorkerOptions> = {},
  now: () => number = Date.now,
  pacer = new MailPacer(systemPacingClock),
) {
  const w = new RelayWorker(
    {
      queue,
      profile: async (id) => (await core.profiles.list()).find((p) => p.id === id) ?? null,
      graphFor: (p) => core.batch.graphFor(p),
      pacer,
      now,
      log: (event, data) => logs.push(`${event} ${JSON.stringify(data)}`),
    },
    { firstRetryMs: 100, maxRetryMs: 200, language: 'en', ...options },
  );
  workers.push(w);
  return w;
}

const sendMails = () => emulator.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/sendMail'));

describe('relay close() at quit', () => {
  it('a client in the middle of DATA gets 421 and no 250; close() settles and nothing half-written is queued', async () => {
    const password = await new RelayCredentials(dataDir).issue(profileId, DEMO.sender.upn, new Date());
    const { app } = relayApp();
    const status = await app.start({});
    const smtp = await RawSmtp.open(status.port ?? 0);
    await smtp.reply();
    await smtp.command('EHLO erp');
    expect(await smtp.command(`AUTH PLAIN ${authPlain(DEMO.sender.upn.toLowerCase(), password)}`)).toMatch(/^235 /);
    await smtp.command(`MAIL FROM:<${DEMO.sender.upn}>`);
    await smtp.command('RCPT TO:<kunde@example.com>');
    expect(await smtp.command('DATA')).toMatch(/^354 /);
    smtp.write('Subject: halb\r\n\r\nangefangen');
    const closing = app.close();
    const answer = await smtp.reply(15_000);
    expect(answer ?? 'closed').toMatch(/^(421 |closed)/);
    await closing;
    expect((await app.status()).running).toBe(false);
    expect(readdirSync(join(dataDir, 'relay', 'queue')).filter((n) => n.includes('.msg'))).toEqual([]);
    expect(emulator.sentMessages()).toEqual([]);
  }, 30_000);
});

describe('relay worker stop() is bounded', () => {
  it('an attempt paused by a Retry-After of 120 s: stop() returns at once, the item stays pending on disk, the next start sends it once', async () => {
    const pacer = new MailPacer(systemPacingClock);
    // Another send of this mailbox got a 429 with Retry-After: 120 while this attempt wrote its marker.
    class ThrottledMeanwhile extends RelayQueue {
      override async writeStateFor(id: string, state: RelayItemState, durable: boolean) {
        if (state.status === 'sending') pacer.throttled(DEMO.sender.upn, '120');
        await super.writeStateFor(id, state, durable);
      }
    }
    const queue = new ThrottledMeanwhile(dataDir);
    const envelope = await queued(queue, 'Pausiert');
    const first = worker(queue, {}, Date.now, pacer);
    first.start();
    for (let i = 0; i < 400 && !logs.some((l) => l.startsWith('relay.')) && first.list()[0]?.status !== 'sending'; i += 1)
      await new Promise((r) => setTimeout(r, 10));
    // Inside the attempt, waiting in the pacer.
    for (let i = 0; i < 400 && queue.readState(envelope.id).status !== 'sending'; i += 1)
      await new Promise((r) => setTimeout(r, 10));
    expect(queue.readState(envelope.id).status).toBe('sending');
    const t0 = Date.now();
    await first.stop();
    // Far below the 120 s pause, with room for fsyncs on two busy CI cores: stop() did not wait it out.
    expect(Date.now() - t0).toBeLessThan(30_000);
    // Not attempted: pending, no attempt counted, the marker taken back (nothing was posted, so the next start
    // sends without a lookup), the message still on disk.
    expect(queue.readState(envelope.id)).toMatchObject({
      status: 'pending',
      attempts: 0,
      sendingSince: null,
      lastReply: null,
    });
    expect(queue.hasMessage(envelope.id)).toBe(true);
    expect(sendMails()).toEqual([]);
    expect(logs.some((l) => l.startsWith('relay.stopped-waiting'))).toBe(true);

    const next = worker(new RelayQueue(dataDir));
    next.start();
    await next.settled(20_000);
    expect(next.list()[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(emulator.sentMessages().filter((m) => m.subject === 'Pausiert')).toHaveLength(1);
    expect(sendMails()).toHaveLength(1);
  }, 30_000);
});

describe('relay worker: retry now while an attempt writes its marker', () => {
  it('is refused: the pending state must not replace the fsynced marker on disk', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const marker = { written: false };
    // The marker is on disk (renamed), its directory fsync still running: memory still says pending.
    class SlowMarker extends RelayQueue {
      override async writeStateFor(id: string, state: RelayItemState, durable: boolean) {
        await super.writeStateFor(id, state, durable);
        if (state.status === 'sending') {
          marker.written = true;
          await gate;
        }
      }
    }
    const queue = new SlowMarker(dataDir);
    const envelope = await queued(queue, 'Knopf');
    const w = worker(queue);
    w.start();
    for (let i = 0; i < 500 && !marker.written; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(marker.written).toBe(true);
    expect(w.retryNow(envelope.id)).toBe(false);
    expect(queue.readState(envelope.id)).toMatchObject({ status: 'sending' });
    release();
    await w.settled(20_000);
    expect(w.list()[0]).toMatchObject({ status: 'sent' });
    expect(emulator.sentMessages().filter((m) => m.subject === 'Knopf')).toHaveLength(1);
  }, 30_000);
});

const DAY = 24 * 3_600_000;

describe('relay history is pruned', () => {
  function finished(queue: RelayQueue, status: 'sent' | 'failed', finishedAt: number): string {
    const id = newQueueId(finishedAt - 60_000);
    const envelope: RelayEnvelope = {
      id,
      profileId,
      mailFrom: DEMO.sender.upn,
      rcptTo: ['kunde@example.com'],
      acceptedAt: new Date(finishedAt - 60_000).toISOString(),
      clientAddress: '127.0.0.1',
      size: 10,
      messageId: `<${id}@contoso.example>`,
      addedMessageId: false,
    };
    queue.writeState(id, {
      ...initialState(envelope.acceptedAt),
      status,
      attempts: 1,
      finishedAt: new Date(finishedAt).toISOString(),
      bounced: status === 'failed',
      lastReply: status === 'failed' ? { code: 550, enhanced: '5.7.1', text: 'refused', diagnosis: null } : null,
      envelope,
    });
    return id;
  }

  it('keeps 7 days by default: older state files go at start and then hourly (clock port); failures inside stay listed and checked', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = Date.parse('2026-12-01T08:00:00Z');
    const queue = new RelayQueue(dataDir);
    const old = finished(queue, 'sent', now - 8 * DAY);
    const failedRecently = finished(queue, 'failed', now - 2 * 3_600_000);
    const sentDaysAgo = finished(queue, 'sent', now - 6 * DAY);
    const w = worker(queue, {}, () => now);
    w.start();
    for (let i = 0; i < 200 && queue.stateIds().includes(old); i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(queue.stateIds()).toEqual([failedRecently, sentDaysAgo].sort());
    expect(
      w
        .list()
        .map((e) => e.id)
        .sort(),
    ).toEqual([failedRecently, sentDaysAgo].sort());
    expect((await relayHealth(dataDir, new Date(now))).get(profileId)).toMatchObject({ failedRecently: 1 });
    // A day and a half later the hourly run drops the one now past 7 days; the failure is still inside.
    now += 1.5 * DAY;
    vi.advanceTimersByTime(PRUNE_INTERVAL_MS);
    expect(queue.stateIds()).toEqual([failedRecently]);
    expect(w.list().map((e) => e.id)).toEqual([failedRecently]);
    expect(logs.filter((l) => l.startsWith('relay.pruned'))).toHaveLength(2);
  });

  it('keeps at most maxFinished, the newest', async () => {
    const now = Date.now();
    const queue = new RelayQueue(dataDir);
    const ids = [3, 2, 1].map((hours) => finished(queue, 'sent', now - hours * 3_600_000));
    const w = worker(queue, { maxFinished: 2 });
    w.start();
    for (let i = 0; i < 200 && queue.stateIds().length > 2; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(queue.stateIds()).toEqual(ids.slice(1).sort());
  });
});

describe('relay listings read no message body', () => {
  /** 2 000 queued messages of 10 KB each, written as the listener's files are, not due for an hour. */
  function fill(queue: RelayQueue, count: number): string[] {
    const ids: string[] = [];
    const body = 'x'.repeat(10 * 1024);
    const acceptedAt = new Date(Date.now() - 60_000).toISOString();
    for (let i = 0; i < count; i += 1) {
      const id = newQueueId(Date.now() - 60_000 + i);
      const message = mime(`Bestellung ${i}`, body);
      const envelope: RelayEnvelope = {
        id,
        profileId,
        mailFrom: DEMO.sender.upn,
        rcptTo: ['kunde@example.com'],
        acceptedAt,
        clientAddress: '127.0.0.1',
        size: message.length,
        messageId: `<b${i}@contoso.example>`,
        addedMessageId: false,
        subject: `Bestellung ${i}`,
      };
      writeFileSync(
        join(queue.dir, `${id}.msg`),
        Buffer.concat([message, Buffer.from('\r\n#absender-relay-envelope '), Buffer.from(JSON.stringify(envelope))]),
        { mode: 0o600 },
      );
      // Plain writes: the files' durability is not under test, and 2 000 fsyncs would only slow the run.
      const state = { ...initialState(acceptedAt), nextAttemptAt: new Date(Date.now() + 3_600_000).toISOString() };
      writeFileSync(join(queue.dir, `${id}.state.json`), JSON.stringify(state), { mode: 0o600 });
      ids.push(id);
    }
    return ids;
  }

  it("running: the panel's status and list of 2 000 queued come from memory, no .msg is opened", async () => {
    fill(new RelayQueue(dataDir), 2_000);
    const { app } = relayApp();
    await app.start({});
    const read = vi.spyOn(nodeFsSeam, 'readFileSync');
    const opened = vi.spyOn(nodeFsSeam, 'openSync');
    const status = await app.status();
    const rows = await app.list();
    expect(status.counts).toMatchObject({ pending: 2_000, sent: 0 });
    expect(rows).toHaveLength(2_000);
    expect(rows[0]).toMatchObject({ status: 'pending', subject: 'Bestellung 1999', size: expect.any(Number) as number });
    const touched = [...read.mock.calls, ...opened.mock.calls].map((c) => c[0]).filter((p) => p.endsWith('.msg'));
    expect(touched).toEqual([]);
  }, 60_000);

  it('worker start() with 2 000 queued: envelopes from the trailers only, no .msg read whole', () => {
    const ids = fill(new RelayQueue(dataDir), 2_000);
    const whole = vi.spyOn(nodeFsSeam, 'readFileSync');
    const tail = vi.spyOn(nodeFsSeam, 'readTailSync');
    const w = worker(new RelayQueue(dataDir));
    w.start();
    const listed = w.list();
    expect(listed.map((e) => e.id).sort()).toEqual(ids);
    expect(listed.every((e) => e.status === 'pending' && e.mailFrom === DEMO.sender.upn && e.size > 10 * 1024)).toBe(true);
    expect(whole.mock.calls.map((c) => c[0]).filter((p) => p.endsWith('.msg'))).toEqual([]);
    const tails = tail.mock.calls.filter((c) => c[0].endsWith('.msg'));
    expect(tails).toHaveLength(2_000);
    // 8 KB of each 10 KB file: the body before the trailer stays on disk.
    expect(tails.every((c) => c[1] <= 8 * 1024)).toBe(true);
    expect(tail.mock.results.every((r) => r.type === 'return' && r.value.length <= 8 * 1024)).toBe(true);
  }, 60_000);

  it('read only (not running here) and `check`: only the trailers, async, never a whole .msg', async () => {
    const ids = fill(new RelayQueue(dataDir), 2_000);
    const calls = { readFile: [] as string[], tailBytes: 0, tails: 0 };
    const spy: QueueReadFs = {
      readdir: (dir) => nodeQueueReadFs.readdir(dir),
      readFile: (path) => (calls.readFile.push(path), nodeQueueReadFs.readFile(path)),
      readTail: async (path, max) => {
        const tail = await nodeQueueReadFs.readTail(path, max);
        calls.tails += 1;
        calls.tailBytes += tail.length;
        return tail;
      },
    };
    const sync = vi.spyOn(nodeFsSeam, 'readFileSync');
    let settings: RelaySettings = { ...DEFAULT_RELAY_SETTINGS, port: 0 };
    const app = new RelayApp({
      dataDir,
      cipher: new InMemoryCipher(),
      logger: new MemoryLogger(),
      profiles: () => core.profiles.list(),
      graphFor: (p) => core.batch.graphFor(p),
      settings: { get: () => settings, set: (next) => (settings = next) },
      language: () => 'en',
      emit: () => undefined,
      readFs: spy,
    });
    apps.push(app);
    const rows = await app.list();
    expect(rows.map((r) => r.id).sort()).toEqual(ids);
    expect(rows.every((r) => r.size > 10 * 1024)).toBe(true);
    expect(calls.readFile.filter((p) => p.endsWith('.msg'))).toEqual([]);
    expect(calls.tails).toBe(2_000);
    // 8 KB of each 10 KB file at most: the body is not read.
    expect(calls.tailBytes).toBeLessThanOrEqual(2_000 * 8 * 1024);
    const health = await relayHealth(dataDir, new Date(Date.now() + 20 * 60_000), spy);
    expect(health.get(profileId)).toMatchObject({ stuck: 2_000 });
    expect(calls.readFile.filter((p) => p.endsWith('.msg'))).toEqual([]);
    expect(sync.mock.calls.map((c) => c[0]).filter((p) => p.endsWith('.msg'))).toEqual([]);
  }, 60_000);
});
