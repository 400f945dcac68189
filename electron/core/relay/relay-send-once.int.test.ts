import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import type { HeadlessCore } from '../cli/headless-core';
import { MailPacer, systemPacingClock } from '../mail/pacing';
import { runCommand } from '../cli/run-command';
import { killOwnedChildren } from '../testing/owned-children';
import { DEFAULT_RELAY_SETTINGS } from '../../../shared/domain';
import { InMemoryCipher, MemoryLogger } from '../testing/in-memory';
import { RelayApp } from './relay-app';
import { relayHealth } from './relay-health';
import { initialState, newQueueId, RelayQueue, type RelayEnvelope, type RelayItemState } from './relay-queue';
import { startRelay, type RelayHandle } from './relay-service';
import { RelayWorker } from './relay-worker';
import { newDataDir, openRelayCore, relayProfile } from './testing/relay-fixture';
import { runTool } from './testing/tools';

// Send-once without losing mail: ERPs reuse Message-IDs, so only a message with a durable "sending" marker is
// looked up, and only our own copy (made since the marker, to the envelope's recipients) counts as sent.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());

let dataDir: string;
let core: HeadlessCore;
let profileId: string;
const logs: string[] = [];

beforeEach(async () => {
  emulator.clearFaults();
  emulator.clearSentMessages();
  emulator.clearRequests();
  emulator.setMailboxThrottling('off');
  logs.length = 0;
  dataDir = newDataDir();
  core = await openRelayCore(dataDir, emulator);
  profileId = (await relayProfile(core)).id;
});
afterEach(() => {
  killOwnedChildren();
  rmSync(dataDir, { recursive: true, force: true });
});

const mail = (headers: string) => Buffer.from(`${headers.trim().replace(/\r?\n/g, '\r\n')}\r\n\r\nBestellung\r\n`);

function worker(queue: RelayQueue, now: () => number = Date.now) {
  return new RelayWorker(
    {
      queue,
      profile: async (id) => (await core.profiles.list()).find((p) => p.id === id) ?? null,
      graphFor: (p) => core.batch.graphFor(p),
      pacer: new MailPacer(systemPacingClock),
      now,
      log: (event, data) => logs.push(`${event} ${JSON.stringify(data)}`),
    },
    { firstRetryMs: 100, maxRetryMs: 200, language: 'en' },
  );
}

/** A message the listener committed (fsynced, with its envelope) that no worker has touched yet. */
async function queued(queue: RelayQueue, messageId: string, rcptTo: string[], subject: string): Promise<RelayEnvelope> {
  const writer = queue.open({
    id: newQueueId(Date.now()),
    profileId,
    mailFrom: DEMO.sender.upn,
    rcptTo,
    acceptedAt: new Date().toISOString(),
    clientAddress: '127.0.0.1',
    messageId: '',
    addedMessageId: false,
  });
  writer.write(mail(`From: ${DEMO.sender.upn}\nTo: ${rcptTo.join(', ')}\nSubject: ${subject}\nMessage-ID: ${messageId}`));
  return writer.commit({ messageId, addedMessageId: false });
}

/** The state file as the worker writes its marker just before the Graph call (then the process died). */
function marked(queue: RelayQueue, envelope: RelayEnvelope, since: number): void {
  const state: RelayItemState = {
    ...initialState(envelope.acceptedAt),
    status: 'sending',
    attempts: 1,
    sendingSince: new Date(since).toISOString(),
  };
  queue.writeState(envelope.id, state);
}

const lookups = () => emulator.requests().filter((r) => r.method === 'GET' && /\/messages$/.test(r.path));

describe('relay send-once: a reused Message-ID never makes a message count as sent', () => {
  it('a message with the Message-ID of an earlier, different send, queued and never handed to Graph: sent at the restart', async () => {
    const queue = new RelayQueue(dataDir);
    // The ERP re-sends a purchase order with its fixed Message-ID: the first one is in Sent Items already.
    await queued(queue, '<po-4711@erp.contoso.example>', ['kunde@example.com'], 'Bestellung 4711');
    const first = worker(queue);
    first.start();
    await first.settled();
    expect(emulator.sentMessages().map((m) => m.subject)).toEqual(['Bestellung 4711']);
    await first.stop();
    // The second is accepted, then the relay stops before its worker ran (no marker on disk).
    await queued(queue, '<po-4711@erp.contoso.example>', ['kunde@example.com'], 'Bestellung 4711 neu');
    emulator.clearRequests();
    const before = emulator.sentMessages().length;
    const second = worker(queue);
    second.start();
    await second.settled();
    await second.stop();
    expect(emulator.sentMessages().length).toBe(before + 1);
    expect(emulator.sentMessages().map((m) => m.subject)).toContain('Bestellung 4711 neu');
    // No marker, so not even a lookup: it was never handed to Graph.
    expect(lookups()).toEqual([]);
    expect(logs.some((l) => l.startsWith('relay.recovered-sent'))).toBe(false);
  });

  it('a marked message whose Message-ID matches a copy older than its marker (same recipients) is still sent', async () => {
    const queue = new RelayQueue(dataDir);
    await queued(queue, '<po-4712@erp.contoso.example>', ['kunde@example.com'], 'Bestellung 4712');
    const first = worker(queue);
    first.start();
    await first.settled();
    expect(emulator.sentMessages().map((m) => m.subject)).toEqual(['Bestellung 4712']);
    await first.stop();
    // Ten minutes later (the worker's clock), the next message with that ID crashed right after its marker.
    const later = () => Date.now() + 10 * 60_000;
    const envelope = await queued(queue, '<po-4712@erp.contoso.example>', ['kunde@example.com'], 'Bestellung 4712 neu');
    marked(queue, envelope, later());
    emulator.clearRequests();
    const second = worker(queue, later);
    second.start();
    await second.settled();
    await second.stop();
    // It was looked up (it had a marker), the old copy did not count, and it went out.
    expect(lookups().length).toBeGreaterThan(0);
    expect(emulator.sentMessages().filter((m) => m.subject === 'Bestellung 4712 neu')).toHaveLength(1);
    expect(second.list().find((e) => e.id === envelope.id)).toMatchObject({ status: 'sent' });
  });

  it('the same Message-ID and recipients sent just before this marker (inside the clock skew) is not taken for this copy', async () => {
    const queue = new RelayQueue(dataDir);
    await queued(queue, '<mahnung@erp.contoso.example>', ['kunde@example.com'], 'Mahnung 1');
    const first = worker(queue);
    first.start();
    await first.settled();
    await first.stop();
    // A second reminder with the batch's fixed ID, to the same customer: its marker a second after the first was
    // sent, then the process died before the Graph call. The first one's copy is inside marker − 2 min.
    const envelope = await queued(queue, '<mahnung@erp.contoso.example>', ['kunde@example.com'], 'Mahnung 2');
    marked(queue, envelope, Date.now() + 1_000);
    const second = worker(queue);
    second.start();
    await second.settled();
    await second.stop();
    expect(emulator.sentMessages().map((m) => m.subject)).toEqual(['Mahnung 1', 'Mahnung 2']);
    expect(logs.some((l) => l.startsWith('relay.recovered-sent'))).toBe(false);
  });

  it('a crash after the durable marker and after Graph accepted: the restart finds its copy and does not send again', async () => {
    let cut = true;
    // The power cut comes right after the 202: the "sent" state never reaches the disk, the marker (fsynced) does.
    class CutQueue extends RelayQueue {
      override async finishQuick(id: string, state: Parameters<RelayQueue['finishQuick']>[1]): Promise<void> {
        if (cut && state.status === 'sent') return;
        await super.finishQuick(id, state);
      }
    }
    const queue = new CutQueue(dataDir);
    const envelope = await queued(queue, '<po-4713@erp.contoso.example>', ['kunde@example.com'], 'Bestellung 4713');
    const first = worker(queue);
    first.start();
    await first.settled();
    await first.stop();
    expect(queue.readState(envelope.id, envelope)).toMatchObject({ status: 'sending' });
    expect(queue.hasMessage(envelope.id)).toBe(true);
    cut = false;
    const second = worker(queue);
    second.start();
    await second.settled();
    await second.stop();
    expect(emulator.sentMessages().filter((m) => m.subject === 'Bestellung 4713')).toHaveLength(1);
    expect(second.list()[0]).toMatchObject({ status: 'sent' });
    expect(queue.hasMessage(envelope.id)).toBe(false);
    expect(logs.some((l) => l.startsWith('relay.recovered-sent'))).toBe(true);
  });

  it('two queued messages with one Message-ID and different recipients, the first with an unknown outcome: each once', async () => {
    const queue = new RelayQueue(dataDir);
    const a = await queued(queue, '<batch-7@erp.contoso.example>', ['lieferant-a@example.com'], 'Sammel A');
    const b = await queued(queue, '<batch-7@erp.contoso.example>', ['lieferant-b@example.com'], 'Sammel B');
    // The first send's connection drops: its marker stays, and its retry looks in the mailbox, where B may be.
    emulator.setFault({ match: { path: '/sendMail', host: 'graph' }, action: { type: 'drop' }, times: 1 });
    const w = worker(queue);
    w.start();
    await w.settled();
    await w.stop();
    const sent = emulator.sentMessages();
    expect(sent.filter((m) => m.subject === 'Sammel A').map((m) => m.toRecipients.map((r) => r.address))).toEqual([
      ['lieferant-a@example.com'],
    ]);
    expect(sent.filter((m) => m.subject === 'Sammel B').map((m) => m.toRecipients.map((r) => r.address))).toEqual([
      ['lieferant-b@example.com'],
    ]);
    expect(w.list().map((e) => [e.id, e.status])).toEqual(
      expect.arrayContaining([
        [a.id, 'sent'],
        [b.id, 'sent'],
      ]),
    );
    expect(lookups().length).toBeGreaterThan(0);
  });
});

describe('relay send-once: an app that may only send (Mail.Send)', () => {
  it('after a crash the lookup is refused: sent again (nothing lost), logged once per mailbox, and check warns', async () => {
    const sendOnly = await relayProfile(core, 'Nur Senden', DEMO.confidentialApp);
    profileId = sendOnly.id;
    const queue = new RelayQueue(dataDir);
    const a = await queued(queue, '<nur-1@erp.contoso.example>', ['kunde@example.com'], 'Nur Senden 1');
    const b = await queued(queue, '<nur-2@erp.contoso.example>', ['kunde@example.com'], 'Nur Senden 2');
    marked(queue, a, Date.now());
    marked(queue, b, Date.now());
    const w = worker(queue);
    w.start();
    await w.settled();
    await w.stop();
    expect(
      emulator
        .sentMessages()
        .map((m) => m.subject)
        .sort(),
    ).toEqual(['Nur Senden 1', 'Nur Senden 2']);
    expect(logs.filter((l) => l.startsWith('relay.marker-lookup-denied'))).toHaveLength(1);
    expect(queue.readState(a.id)).toMatchObject({ status: 'sent', uncheckedResend: true });
    const health = (await relayHealth(dataDir, new Date())).get(sendOnly.id);
    expect(health).toMatchObject({ uncheckedResends: 2, failedRecently: 0 });
    // The panel's rows say it too (read from disk, as the window does beside a headless relay).
    const panel = new RelayApp({
      dataDir,
      cipher: new InMemoryCipher(),
      logger: new MemoryLogger(),
      profiles: () => core.profiles.list(),
      graphFor: (p) => core.batch.graphFor(p),
      settings: { get: () => DEFAULT_RELAY_SETTINGS, set: () => undefined },
      language: () => 'en',
      emit: () => undefined,
    });
    expect((await panel.list(sendOnly.id)).map((r) => [r.id, r.status, r.uncheckedResend]).sort()).toEqual(
      [
        [a.id, 'sent', true],
        [b.id, 'sent', true],
      ].sort(),
    );
    await panel.close();
    let stdout = '';
    const { exitCode } = await runCommand(['check', '--profile', 'Nur Senden', '--json'], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => undefined },
      osLanguage: 'de',
      clock: { now: () => new Date() },
      openCore: () => openRelayCore(dataDir, emulator),
    });
    const report = JSON.parse(stdout) as { profiles: Array<{ messages: Array<{ key: string; text: string }> }> };
    const message = report.profiles[0]?.messages.find((m) => m.key === 'host:relay.checkUncheckedResend');
    expect(exitCode).toBeGreaterThanOrEqual(1);
    expect(message?.text).toContain('Mail.ReadBasic');
    expect(message?.text).toMatch(/^2 Nachrichten im Relay/);
  });
});

describe('relay: the envelope decides who gets the mail', () => {
  let relay: RelayHandle | undefined;
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });

  it('curl with To: a, b and RCPT TO a only: the mail goes to a only, the log says how many were dropped', async () => {
    const { RelayCredentials } = await import('./relay-credentials');
    const user = DEMO.sender.upn.toLowerCase();
    const password = await new RelayCredentials(dataDir).issue(profileId, user, new Date());
    relay = await startRelay(core, {
      listen: { port: 0, idleTimeoutMs: 3_000 },
      worker: { firstRetryMs: 200, maxRetryMs: 500 },
      language: 'en',
      log: (event, data) => logs.push(`${event} ${JSON.stringify(data)}`),
    });
    const file = join(dataDir, 'split.eml');
    // One SMTP transaction of a client that splits per domain: both in To, only a@ in this envelope.
    writeFileSync(file, mail(`From: ${DEMO.sender.upn}\nTo: "Kunde, A" <a@kunde.example>, b@lager.example\nSubject: Geteilt`));
    const run = await runTool('curl', [
      '-sS',
      `smtp://127.0.0.1:${relay.listening.port}/erp.example.com`,
      '--mail-from',
      DEMO.sender.upn,
      '--mail-rcpt',
      'a@kunde.example',
      '--user',
      `${user}:${password}`,
      '--upload-file',
      file,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    await relay.worker.settled();
    const sent = emulator.sentMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.toRecipients).toEqual([{ address: 'a@kunde.example', name: 'Kunde, A' }]);
    expect(sent[0]?.ccRecipients).toEqual([]);
    expect(sent[0]?.bccRecipients).toEqual([]);
    const dropped = logs.filter((l) => l.startsWith('relay.header-recipients-dropped'));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toContain('"count":1');
    for (const line of logs) expect(line).not.toMatch(/lager\.example|kunde\.example/);
  });
});
