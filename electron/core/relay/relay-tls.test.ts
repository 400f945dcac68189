import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CipherUnavailableError } from '../ports';
import { InMemoryCipher } from '../testing/in-memory';
import { generateRelayCertificate, loadRelayTls, relayTlsNotice, TLS_NOTICE_DAYS } from './relay-tls';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'absender-relay-tls-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** A keyring selected but locked (service account at boot): it keeps its name and refuses every decrypt. */
class LockedKeyring extends InMemoryCipher {
  constructor() {
    super('test', false);
  }
  override decrypt(): Promise<never> {
    this.decryptCalls += 1;
    return Promise.reject(new Error('key store locked'));
  }
}

/** An available keyring that went out of reach during this start (the adapter's retries exhausted). */
class UnreachableKeyring extends InMemoryCipher {
  override decrypt(): Promise<never> {
    this.decryptCalls += 1;
    return Promise.reject(new CipherUnavailableError('key store temporarily unavailable'));
  }
}

const NOW = new Date('2026-12-02T08:00:00.000Z');
const tlsJson = () => join(dataDir, 'relay', 'tls.json');
const relayFiles = () => readdirSync(join(dataDir, 'relay'));

async function load(cipher = new InMemoryCipher(), extra: { weak?: boolean; now?: Date } = {}) {
  const logs: string[] = [];
  const tls = await loadRelayTls({
    dataDir,
    cipher,
    hostNames: ['localhost', '127.0.0.1'],
    now: extra.now ?? NOW,
    weakEncryptionAccepted: () => extra.weak === true,
    log: (event, data) => logs.push(`${event} ${JSON.stringify(data)}`),
  });
  return { tls, logs };
}

describe('relay TLS certificate', () => {
  it('RSA generation runs off the event loop: a queued callback runs before the certificate is ready', async () => {
    const order: string[] = [];
    const made = generateRelayCertificate(['localhost'], NOW).then(() => order.push('certificate'));
    setImmediate(() => order.push('event loop'));
    await made;
    expect(order).toEqual(['event loop', 'certificate']);
  });

  it('generated once and kept: the same fingerprint at the next start, no notice', async () => {
    const first = await load();
    expect(first.tls.stored).toBe(true);
    expect(JSON.parse(readFileSync(tlsJson(), 'utf8'))).toMatchObject({ backend: 'test' });
    const second = await load();
    expect(second.tls.fingerprint).toBe(first.tls.fingerprint);
    expect(second.tls.regenerated).toBeUndefined();
    expect(second.logs).toEqual([]);
  });

  for (const [why, spoil] of [
    ['the sealed key does not open (another account)', (saved: Record<string, unknown>) => ({ ...saved, key: 'AAAA' })],
    [
      'an older file without its backend whose key does not open',
      (saved: Record<string, unknown>) => {
        const older: Record<string, unknown> = { ...saved, key: 'AAAA' };
        delete older['backend'];
        return older;
      },
    ],
  ] as const) {
    it(`${why}: a new one, the old file kept aside, relay.tls-regenerated logged with both fingerprints, a notice`, async () => {
      const first = await load();
      const spoiled = JSON.stringify(spoil(JSON.parse(readFileSync(tlsJson(), 'utf8')) as Record<string, unknown>));
      writeFileSync(tlsJson(), spoiled);
      const later = new Date(NOW.getTime() + 60_000);
      const second = await load(new InMemoryCipher(), { now: later });
      expect(second.tls.fingerprint).not.toBe(first.tls.fingerprint);
      const notice = {
        oldFingerprint: first.tls.fingerprint,
        newFingerprint: second.tls.fingerprint,
        keptFile: 'tls.json.unreadable-2026-12-02T08-01-00-000Z',
        at: later.toISOString(),
      };
      expect(second.tls.regenerated).toEqual(notice);
      expect(readFileSync(join(dataDir, 'relay', notice.keptFile), 'utf8')).toBe(spoiled);
      expect(second.logs).toEqual([
        `relay.tls-regenerated ${JSON.stringify({ old: first.tls.fingerprint, new: second.tls.fingerprint, kept: notice.keptFile })}`,
      ]);
      // The panel and `relay` read it from disk, for a while; the key is not in the notice.
      expect(relayTlsNotice(dataDir, later)).toEqual(notice);
      expect(relayTlsNotice(dataDir, new Date(later.getTime() + TLS_NOTICE_DAYS * 86_400_000))).toBeNull();
      const third = await load(new InMemoryCipher(), { now: later });
      expect(third.tls.fingerprint).toBe(second.tls.fingerprint);
    });
  }

  // The cipher comes back (keyring unlocked after boot, the usual backend again): the stored certificate must too.
  for (const [why, cipher, temporary] of [
    [
      'the keyring is locked (same backend, unavailable)',
      () => new LockedKeyring(),
      { reason: 'cipher-unavailable', sealedWith: 'test', backend: 'test' },
    ],
    [
      'safeStorage not ready yet (unknown, unavailable)',
      () => new InMemoryCipher('unknown', false),
      { reason: 'cipher-unavailable', sealedWith: 'test', backend: 'unknown' },
    ],
    [
      'the key store out of reach during this start (available, same backend)',
      () => new UnreachableKeyring(),
      { reason: 'cipher-unavailable', sealedWith: 'test', backend: 'test' },
    ],
    [
      'another backend this start (available)',
      () => new InMemoryCipher('kwallet6', true),
      { reason: 'other-backend', sealedWith: 'test', backend: 'kwallet6' },
    ],
  ] as const) {
    it(`${why}: tls.json left exactly as it is, a temporary certificate for this run, the stored one at the next start`, async () => {
      const first = await load();
      const before = readFileSync(tlsJson());
      const filesBefore = relayFiles();
      const other = cipher();
      const second = await load(other, { weak: true });
      expect(second.tls.fingerprint).not.toBe(first.tls.fingerprint);
      expect(second.tls.temporary).toEqual({ ...temporary, storedFingerprint: first.tls.fingerprint });
      expect(second.tls.stored).toBe(false);
      expect(second.tls.regenerated).toBeUndefined();
      expect(other.encryptCalls).toBe(0);
      expect(readFileSync(tlsJson())).toEqual(before);
      expect(relayFiles()).toEqual(filesBefore);
      expect(second.logs).toEqual([
        `relay.tls-temporary ${JSON.stringify({
          reason: temporary.reason,
          sealedWith: 'test',
          backend: temporary.backend,
          stored: first.tls.fingerprint,
          temporary: second.tls.fingerprint,
        })}`,
      ]);
      expect(relayTlsNotice(dataDir, NOW)).toBeNull();
      const third = await load();
      expect(third.tls.fingerprint).toBe(first.tls.fingerprint);
      expect(third.tls.temporary).toBeUndefined();
      expect(third.logs).toEqual([]);
    });
  }

  it('an older file without its backend and the cipher unavailable: temporary, not replaced', async () => {
    const first = await load();
    const older = JSON.parse(readFileSync(tlsJson(), 'utf8')) as Record<string, unknown>;
    delete older['backend'];
    writeFileSync(tlsJson(), JSON.stringify(older));
    const second = await load(new LockedKeyring());
    expect(second.tls.temporary).toEqual({
      reason: 'cipher-unavailable',
      sealedWith: null,
      backend: 'test',
      storedFingerprint: first.tls.fingerprint,
    });
    expect(relayFiles()).toEqual(['tls.json']);
    expect((await load()).tls.fingerprint).toBe(first.tls.fingerprint);
  });

  it('an unavailable cipher that still opens the key (accepted basic_text): the stored certificate, nothing temporary', async () => {
    const weak = new InMemoryCipher('basic_text', false);
    const first = await load(weak, { weak: true });
    const second = await load(weak);
    expect(second.tls.fingerprint).toBe(first.tls.fingerprint);
    expect(second.tls.temporary).toBeUndefined();
    expect(second.tls.stored).toBe(true);
  });

  it('a garbled key on basic_text (never "available", always reachable): kept aside and replaced, not temporary', async () => {
    const weak = new InMemoryCipher('basic_text', false);
    await load(weak, { weak: true });
    writeFileSync(tlsJson(), JSON.stringify({ ...(JSON.parse(readFileSync(tlsJson(), 'utf8')) as object), key: 'AAAA' }));
    const { tls } = await load(weak, { weak: true });
    expect(tls.temporary).toBeUndefined();
    expect(tls.regenerated?.oldFingerprint).toMatch(/\S/);
    expect(relayFiles().filter((f) => f.startsWith('tls.json.unreadable-'))).toHaveLength(1);
    // The next start opens the new certificate: no new one each time.
    expect((await load(weak)).tls.fingerprint).toBe(tls.fingerprint);
  });

  it('a regenerated notice survives a temporary start: the untouched file still carries it', async () => {
    await load();
    writeFileSync(tlsJson(), JSON.stringify({ ...(JSON.parse(readFileSync(tlsJson(), 'utf8')) as object), key: 'AAAA' }));
    const replaced = await load();
    expect(replaced.tls.regenerated).toBeDefined();
    await load(new LockedKeyring());
    expect(relayTlsNotice(dataDir, NOW)).toEqual(replaced.tls.regenerated);
  });

  it('a damaged tls.json with the cipher unavailable: kept aside and replaced (nothing to wait for)', async () => {
    await load();
    writeFileSync(tlsJson(), '{"version":1,"cert":"-----BEGIN');
    const { tls } = await load(new LockedKeyring());
    expect(tls.temporary).toBeUndefined();
    expect(tls.regenerated?.oldFingerprint).toBeNull();
    expect(relayFiles().filter((f) => f.startsWith('tls.json.unreadable-'))).toHaveLength(1);
  });

  it('a damaged tls.json: kept aside, the old fingerprint unknown', async () => {
    await load();
    writeFileSync(tlsJson(), '{"version":1,"cert":"-----BEGIN');
    const { tls } = await load();
    expect(tls.regenerated?.oldFingerprint).toBeNull();
    expect(relayFiles().filter((f) => f.startsWith('tls.json.unreadable-'))).toHaveLength(1);
  });

  it('without OS protection (basic_text) the key is not written unless the admin accepted it, as the vault does', async () => {
    const weak = new InMemoryCipher('basic_text', false);
    const refused = await load(weak);
    expect(refused.tls.stored).toBe(false);
    expect(refused.logs).toEqual([`relay.tls-not-stored ${JSON.stringify({ backend: 'basic_text' })}`]);
    expect(weak.encryptCalls).toBe(0);
    expect(() => readFileSync(tlsJson())).toThrow();
    const accepted = await load(weak, { weak: true });
    expect(accepted.tls.stored).toBe(true);
    expect(weak.encryptCalls).toBe(1);
    expect(JSON.parse(readFileSync(tlsJson(), 'utf8'))).toMatchObject({ backend: 'basic_text' });
  });
});
