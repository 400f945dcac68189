import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppErrorDto } from '../../../shared/errors';
import { API_METHODS, channelOf } from '../../../shared/ipc/manifest';
import { openConfStore } from '../testing/conf-store';
import { openStoreFiles } from '../storage/store-bootstrap';
import { STORE_FILES } from '../storage/store-files';
import { createTestCore, VALID_DRAFT } from '../testing/core-fixture';

// SH-2 / issue "hardening": hostile requests through the real handlers over real store files. Nothing may
// throw, hang or answer outside the envelope; a refused call leaves every file byte-identical, and after an
// accepted one the files still open as valid stores.
const RUNS_PER_METHOD = Number(process.env['FUZZ_RUNS'] ?? 500);
// A bound against hangs, not a speed target: megabyte inputs on a loaded 2-core machine need margin.
const HANG_MS = 30_000;

const dataDir = mkdtempSync(join(tmpdir(), 'absender-fuzz-'));
// The data directory (the relay's queue, logins and lock; the commands' per-profile files) apart from the three store
// files the digest compares; port 0 = any free one.
const relayDir = mkdtempSync(join(tmpdir(), 'absender-fuzz-relay-'));
afterAll(async () => {
  await relay?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(relayDir, { recursive: true, force: true });
});

const open = (name: string) => openConfStore(dataDir, name);
const stores = { profiles: open('profiles'), secrets: open('secrets'), settings: open('settings') };
const { handlers, api, relay } = createTestCore({
  stores,
  dataDir: relayDir,
  relay: { defaults: { port: 0 } },
  clock: { now: () => new Date() },
  // Nothing listens on port 9 of loopback: a test that gets through validation fails fast, offline.
  network: {
    endpoints: {
      global: {
        authorityHost: 'https://127.0.0.1:9',
        graphRoot: 'https://127.0.0.1:9',
        graphResource: 'https://graph.microsoft.com',
      },
    },
    requestTimeoutMs: 2_000,
    maxRetries: 0,
  },
});

function filesDigest(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dataDir).sort())
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(join(dataDir, name)));
  return hash.digest('hex');
}

/** Reopens the three files as start-up would: every one must parse and pass its schema. */
function reopenedCleanly(): boolean {
  const boot = openStoreFiles({
    dir: dataDir,
    files: STORE_FILES,
    open: (name) => openConfStore(dataDir, name),
    now: () => new Date(),
  });
  return boot.results.every((r) => r.state === 'ok');
}

/** A valid export file with one profile: the template whose fields the fuzzer replaces. */
const IMPORT_TEXT = JSON.stringify({
  format: 'absender-profiles',
  version: 1,
  exportedAt: '2026-12-01T10:00:00.000Z',
  profiles: [
    {
      name: 'Importiert',
      accountType: 'client-secret',
      cloud: 'global',
      senderAddress: 'import@contoso.com',
      mailboxAddress: 'import@contoso.com',
      clientId: '11111111-2222-3333-4444-555555555555',
      tenant: 'contoso.onmicrosoft.com',
      secretExpiresOn: '',
      signInMethod: 'popup',
    },
  ],
});

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const hostileString = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constantFrom(
    '../../etc/passwd',
    '%2e%2e%2f',
    'a@b.de\r\nBcc: x@evil.test',
    'Rabatte\u202egnp.exe',
    'x\u0000y',
    '\u0085',
    '',
  ),
  fc.constantFrom('a@' + 'a.'.repeat(500_000) + 'de', 'x'.repeat(2_000_000), '@'.repeat(100_000)),
  fc.uuid(),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  fc.anything({
    key: hostileString,
    maxDepth: 3,
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
  }),
  fc.constantFrom(undefined, null, NaN, -1, 2 ** 53, Infinity, true, [], {}),
);

/** Deep copy of a template with one field (or an extra key) replaced by hostile data. */
function mutate(template: Record<string, unknown>, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  const inner = template[head];
  const copy: Record<string, unknown> = { ...template };
  Object.defineProperty(copy, head, {
    value:
      rest.length === 0 || inner === null || typeof inner !== 'object'
        ? value
        : mutate(inner as Record<string, unknown>, rest, value),
    enumerable: true,
    configurable: true,
    writable: true,
  });
  return copy;
}

/** Accepted calls that are slow by design: test all profiles; a relay password (its scrypt hash, ~50 ms each). */
const SLOW_WHEN_ACCEPTED = new Set(['tests.runAll', 'relay.newPassword']);

const pathsOf = (value: unknown, prefix: string[] = []): string[][] =>
  value === null || typeof value !== 'object'
    ? [prefix]
    : Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);

describe('hostile requests through every IPC handler', () => {
  const counts = {
    sent: 0,
    accepted: 0,
    refused: 0,
    thrown: 0,
    hung: 0,
    outsideEnvelope: 0,
    filesChangedByRefusal: 0,
    invalidAfterAccept: 0,
  };

  afterAll(() => {
    process.stdout.write(`hostile IPC requests: ${JSON.stringify(counts)}\n`);
  });

  it.each(Object.entries(API_METHODS).flatMap(([ns, methods]) => methods.map((m) => `${ns}.${m}`)))(
    '%s: every hostile request gets an error envelope or a valid write',
    { timeout: 240_000 },
    async (name) => {
      const [ns, method] = name.split('.') as [string, string];
      const found = handlers.get(channelOf(ns, method));
      expect(found, name).toBeDefined();
      const handler = found as NonNullable<typeof found>;
      // A real profile to aim at, so that valid-looking requests reach the core and not just the schema.
      const profile = await api.profiles.save({
        draft: { ...VALID_DRAFT, name: `Ziel ${name}` },
        clientSecret: 'fuzz-target-secret',
      });
      const byMethod: Record<string, Record<string, unknown>[]> = {
        'app.openHelp': [{ topic: 'secret' }],
        'app.copy': [{ text: 'support details' }],
        'settings.update': [{ language: 'de', keepAliveDays: 7, acceptedWeakEncryption: false }],
        'profiles.save': [
          { draft: { ...VALID_DRAFT, id: profile.id, revision: profile.revision }, clientSecret: 'another-secret' },
          { draft: { ...VALID_DRAFT }, clientSecret: 'new-secret' },
        ],
        'profiles.delete': [{ id: profile.id, revision: profile.revision }],
        'profiles.duplicate': [{ id: profile.id }],
        'tests.run': [{ profileId: profile.id, testMessageTo: 'empfang@contoso.com' }],
        'secrets.renew': [{ profileId: profile.id, revision: profile.revision, clientSecret: 'renewed-secret', expiresOn: '' }],
        // Aimed at a client-secret profile: refused before any key is generated or file parsed (cheap, like a real mistake).
        'certificates.create': [
          { profileId: profile.id, revision: profile.revision, validityDays: 30 },
          { profileId: profile.id, revision: profile.revision, slot: 'next' },
        ],
        'certificates.import': [
          { profileId: profile.id, revision: profile.revision, file: { kind: 'pem', certPem: 'x', keyPem: 'y' } },
          { profileId: profile.id, revision: profile.revision, file: { kind: 'pfx', pfxBase64: 'AAAA', password: '' } },
        ],
        'certificates.export': [
          { profileId: profile.id, format: 'der' },
          { profileId: profile.id, format: 'pem', slot: 'next' },
        ],
        'certificates.switchNext': [{ profileId: profile.id, revision: profile.revision }],
        'profiles.export': [{ includeHistory: true }],
        'profiles.importPreview': [{ text: IMPORT_TEXT }],
        // 'replace' keeps the run's profile count bounded (a conflict without a choice is skipped).
        'profiles.importApply': [{ text: IMPORT_TEXT, choices: [{ index: 0, choice: 'replace' }] }],
        'profiles.history': [{ profileId: profile.id }],
        'relay.start': [{ host: '127.0.0.1', port: 0, allowClients: [] }],
        'relay.list': [{ profileId: profile.id }],
        'relay.retryNow': [{ id: '000000000-000000000000' }],
        'relay.remove': [{ id: '000000000-000000000000' }],
        'relay.newPassword': [{ profileId: profile.id }],
        'relay.revoke': [{ profileId: profile.id }],
      };
      const generic = [{ id: profile.id, revision: profile.revision }, { profileId: profile.id }];
      const templates = byMethod[name] ?? (ns === 'signIn' ? [{ profileId: profile.id }] : generic);
      const request = fc.oneof(
        hostileValue,
        fc.constantFrom(...templates, undefined),
        fc
          .constantFrom(...templates)
          .chain((t) => fc.tuple(fc.constant(t), fc.constantFrom(...pathsOf(t), ['extra']), hostileValue))
          .map(([t, path, value]) => mutate(t, path, value)),
      );
      await fc.assert(
        fc.asyncProperty(request, async (arg) => {
          counts.sent++;
          const before = filesDigest();
          let timer: NodeJS.Timeout | undefined;
          const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), HANG_MS)));
          let reply: unknown;
          try {
            reply = await Promise.race([handler(arg), hung]);
          } catch {
            counts.thrown++;
            return false;
          } finally {
            clearTimeout(timer);
          }
          if (reply === 'hung') {
            counts.hung++;
            return false;
          }
          const envelope = reply as { ok?: unknown; error?: unknown };
          if (envelope.ok === true) {
            counts.accepted++;
            if (!reopenedCleanly()) {
              counts.invalidAfterAccept++;
              return false;
            }
            return true;
          }
          if (envelope.ok !== false || !AppErrorDto.safeParse(envelope.error).success) {
            counts.outsideEnvelope++;
            return false;
          }
          counts.refused++;
          if (filesDigest() !== before) {
            counts.filesChangedByRefusal++;
            return false;
          }
          return true;
        }),
        // tests.runAll takes no arguments: every accepted call tests all profiles the run has piled up, so it gets
        // fewer runs (its schema refusals are the same few shapes); the others keep the full count.
        {
          numRuns: SLOW_WHEN_ACCEPTED.has(name) ? Math.ceil(RUNS_PER_METHOD / 20) : RUNS_PER_METHOD,
          seed: Number(process.env['FUZZ_SEED'] ?? 20261201),
        },
      );
    },
  );

  it('reopens every store from disk as valid after the whole run', () => {
    expect(counts.sent).toBeGreaterThanOrEqual(RUNS_PER_METHOD);
    expect({ thrown: counts.thrown, hung: counts.hung, outsideEnvelope: counts.outsideEnvelope }).toEqual({
      thrown: 0,
      hung: 0,
      outsideEnvelope: 0,
    });
    expect(reopenedCleanly()).toBe(true);
  });
});
