import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RelayQueue, type RelayEnvelope } from './relay-queue';
import { DEFAULT_LISTEN, loggableUser, startRelayServer } from './relay-server';
import { certificateFingerprint, generateRelayCertificate } from './relay-tls';
import { RawSmtp } from './testing/raw-smtp';

describe('loggableUser (relay.login-failed)', () => {
  it('logs an address as is', () => {
    expect(loggableUser('erp@contoso.com')).toBe('erp@contoso.com');
  });

  it('logs anything else (a password typed into the user field) only as the first 8 hex of its SHA-256', () => {
    const secret = 'Sommer2026!geheim';
    const logged = loggableUser(secret);
    expect(logged).not.toContain(secret);
    expect(logged).toBe(`sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 8)}`);
    expect(logged).toMatch(/^sha256:[0-9a-f]{8}$/);
    expect(loggableUser('')).toMatch(/^sha256:[0-9a-f]{8}$/);
    expect(loggableUser('a@b.com\r\nX: y')).not.toContain('a@b.com');
  });
});

describe('relay listener: greeting and sessions', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const start = async (trusted: boolean) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'absender-relay-server-'));
    dirs.push(dataDir);
    const pem = await generateRelayCertificate(['localhost'], new Date());
    const accepted: RelayEnvelope[] = [];
    const listening = await startRelayServer(
      { ...DEFAULT_LISTEN, port: 0, trustedClients: trusted ? [{ client: '127.0.0.1', profileId: 'p1' }] : [] },
      {
        queue: new RelayQueue(dataDir),
        credentials: { verify: () => Promise.resolve(null) },
        profile: (id) =>
          Promise.resolve({ id, name: 'Versand', senderAddress: 'versand@contoso.com', aliases: [], unusable: null }),
        tls: { ...pem, fingerprint: certificateFingerprint(pem.cert), generated: true, stored: true },
        now: Date.now,
        accepted: (e) => accepted.push(e),
        log: () => undefined,
      },
    );
    return { listening, accepted, dataDir };
  };

  it('greets at once: a client that talks before the greeting is served, not refused as an early talker', async () => {
    const { listening } = await start(false);
    try {
      const smtp = await RawSmtp.open(listening.port);
      // smtp-server's own pause would answer this 421 "You talk too soon" and hang up.
      smtp.write('EHLO erp.contoso.com\r\n');
      expect(await smtp.reply()).toMatch(/^220 /);
      expect(await smtp.reply()).toMatch(/^250-/);
      expect(listening.openSessions()).toBe(1);
      expect(await smtp.command('QUIT')).toMatch(/^221 /);
      for (let i = 0; i < 200 && listening.openSessions() > 0; i += 1) await new Promise((r) => setTimeout(r, 10));
      expect(listening.openSessions()).toBe(0);
      smtp.close();
    } finally {
      await listening.close();
    }
  });

  it('a message written off the event loop is acknowledged only once it is in the queue under its final name', async () => {
    const { listening, accepted, dataDir } = await start(true);
    try {
      const smtp = await RawSmtp.open(listening.port);
      expect(await smtp.reply()).toMatch(/^220 /);
      expect(await smtp.command('EHLO erp.contoso.com')).toMatch(/^250/);
      expect(await smtp.command('MAIL FROM:<versand@contoso.com>')).toMatch(/^250/);
      expect(await smtp.command('RCPT TO:<kunde@example.com>')).toMatch(/^250/);
      expect(await smtp.command('DATA')).toMatch(/^354/);
      const body = 'Subject: Rechnung\r\nMessage-ID: <r-1@contoso.com>\r\n\r\n' + 'x'.repeat(300_000) + '\r\n';
      const ok = await smtp.command(`${body}.`);
      expect(ok).toMatch(/^250 2\.0\.0 Queued as /);
      expect(accepted).toHaveLength(1);
      const id = accepted[0]?.id ?? '';
      expect(ok).toContain(id);
      const queue = new RelayQueue(dataDir);
      expect(queue.ids()).toEqual([id]);
      expect(queue.readMessage(id).toString('latin1')).toBe(body);
      expect(queue.readEnvelope(id)).toMatchObject({ messageId: '<r-1@contoso.com>', subject: 'Rechnung', size: body.length });
      smtp.close();
    } finally {
      await listening.close();
    }
  });
});
