import { ConfidentialClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import { createTestCore } from '../testing/core-fixture';
import { MemoryLogger } from '../testing/in-memory';
import { UndiciTransport } from '../testing/undici-transport';
import { ClientCredentialsTokens } from './client-credentials';

// The secret lives only as long as the call that needs it: no MSAL client (whose config holds it)
// and no copy of it stays reachable from the token cache, while a warm test still needs no token request.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());
beforeEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});

const app = DEMO.confidentialApp;
const endpoints = () => ({
  authorityHost: emulator.authorityHost,
  graphRoot: emulator.graphRoot,
  graphResource: DEMO.graphResource,
});

/** Everything reachable from `root` through properties, Map/Set entries and arrays (closures are opaque). */
function reachable(root: unknown): { strings: string[]; objects: object[] } {
  const strings: string[] = [];
  const objects: object[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [root];
  while (queue.length > 0 && seen.size < 200_000) {
    const value = queue.shift();
    if (typeof value === 'string') {
      strings.push(value);
      continue;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    objects.push(value);
    if (Buffer.isBuffer(value)) {
      strings.push(value.toString('latin1'));
      continue;
    }
    if (value instanceof Map) for (const [k, v] of value) queue.push(k, v);
    if (value instanceof Set) for (const v of value) queue.push(v);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor) queue.push(descriptor.value);
    }
  }
  return { strings, objects };
}

describe('ClientCredentialsTokens keeps tokens, never the secret', () => {
  it('cold: one token request; warm: none, from the cache; nothing reachable holds the secret or an MSAL client', async () => {
    const tokens = new ClientCredentialsTokens(new MemoryLogger(), 10_000, new UndiciTransport({ systemProxy: '' }));
    const profile = { id: 'p-1', tenant: DEMO.tenantId, clientId: app.clientId };

    const cold = await tokens.acquire(profile, endpoints(), app.secretValue);
    expect(cold.fromCache).toBe(false);
    expect(emulator.requests().map((r) => `${r.host} ${r.method} ${r.path}`)).toEqual([
      `login POST /${DEMO.tenantId}/oauth2/v2.0/token`,
    ]);

    emulator.clearRequests();
    const warm = await tokens.acquire(profile, endpoints(), app.secretValue);
    expect(warm.fromCache).toBe(true);
    expect(warm.result.accessToken).toBe(cold.result.accessToken);
    expect(emulator.requests()).toEqual([]);

    // A renewal candidate (here a wrong one) gets its own client and never the stored secret's token.
    const wrong = 'Wrong8Q~candidate-secret-value-0123456789';
    await expect(tokens.acquire(profile, endpoints(), wrong)).rejects.toThrow(/AADSTS7000215/);
    expect(emulator.requests().filter((r) => r.path.endsWith('/token'))).toHaveLength(1);

    const held = tokens.heldState();
    expect(held).toContain(cold.result.accessToken); // the cache is real: the token is in it
    for (const secret of [app.secretValue, wrong]) {
      expect(held).not.toContain(secret);
      const { strings, objects } = reachable(tokens);
      expect(strings.length).toBeGreaterThan(0);
      expect(strings.filter((s) => s.includes(secret))).toEqual([]);
      expect(objects.filter((o) => o instanceof ConfidentialClientApplication)).toEqual([]);
    }
  });

  it('a changed secret never reuses the old token, a failed one leaves it in place, and forget() drops the profile', async () => {
    const tokens = new ClientCredentialsTokens(new MemoryLogger(), 10_000, new UndiciTransport({ systemProxy: '' }));
    const profile = { id: 'p-2', tenant: DEMO.tenantId, clientId: app.clientId };
    await tokens.acquire(profile, endpoints(), app.secretValue);
    await expect(tokens.acquire(profile, endpoints(), app.expiredSecretValue)).rejects.toThrow(/AADSTS7000222/);
    expect((await tokens.acquire(profile, endpoints(), app.secretValue)).fromCache).toBe(true);
    // A second valid secret (as during a renewal) asks Entra itself, and then the first one does again.
    const registration = emulator.world.appOrThrow(app.clientId);
    const [first] = registration.secrets;
    if (first === undefined) throw new Error('demo world: the app has a secret');
    const second = {
      ...first,
      keyId: '0d6f0e59-35a4-4c4c-9b53-51a1f6f5b2a1',
      value: 'Second8Q~renewed-secret-value-0123456789',
    };
    registration.secrets.push(second);
    try {
      expect((await tokens.acquire(profile, endpoints(), second.value)).fromCache).toBe(false);
      expect((await tokens.acquire(profile, endpoints(), app.secretValue)).fromCache).toBe(false);
    } finally {
      registration.secrets.splice(registration.secrets.indexOf(second), 1);
    }
    expect(tokens.heldState()).not.toContain(second.value);
    tokens.forget(profile.id);
    expect(tokens.heldState()).toBe('[]');
  });

  it('profiles of one app and secret started together ask Entra once; another secret or app asks itself', async () => {
    const tokens = new ClientCredentialsTokens(new MemoryLogger(), 10_000, new UndiciTransport({ systemProxy: '' }));
    const same = Array.from({ length: 5 }, (_, i) => ({ id: `same-${i}`, tenant: DEMO.tenantId, clientId: app.clientId }));
    const results = await Promise.all(same.map((p) => tokens.acquire(p, endpoints(), app.secretValue)));
    const tokenRequests = () => emulator.requests().filter((r) => r.path.endsWith('/oauth2/v2.0/token'));
    expect(tokenRequests()).toHaveLength(1);
    expect(results.filter((r) => !r.fromCache)).toHaveLength(1);
    expect(new Set(results.map((r) => r.result.accessToken)).size).toBe(1);
    // A profile that took the shared answer is warm later as well (the sibling's cache), without a request.
    const later = await tokens.acquire(
      { id: 'same-3', tenant: DEMO.tenantId, clientId: app.clientId },
      endpoints(),
      app.secretValue,
    );
    expect(later.fromCache).toBe(true);
    expect(later.result.accessToken).toBe(results[0]?.result.accessToken);
    expect(tokenRequests()).toHaveLength(1);

    // A wrong secret for the same app is never answered from the others' token, and each failure is its own.
    const wrong = 'Wrong8Q~candidate-secret-value-0123456789';
    const failures = await Promise.allSettled(
      ['w-1', 'w-2'].map((id) => tokens.acquire({ id, tenant: DEMO.tenantId, clientId: app.clientId }, endpoints(), wrong)),
    );
    expect(failures.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect(tokenRequests()).toHaveLength(3);
    const broad = DEMO.broadApp;
    const other = await tokens.acquire(
      { id: 'other', tenant: DEMO.tenantId, clientId: broad.clientId },
      endpoints(),
      broad.secretValue,
    );
    expect(other.fromCache).toBe(false);
    expect(tokenRequests()).toHaveLength(4);
    expect(tokens.heldState()).not.toContain(app.secretValue);
  });
});

describe('warm connection test through the core', () => {
  it('a second test makes exactly one request to the emulator: the Graph call', async () => {
    const { api } = createTestCore({
      clock: { now: () => new Date() },
      network: { endpoints: { global: endpoints() }, requestTimeoutMs: 10_000, maxRetries: 1 },
    });
    const profile = await api.profiles.save({
      draft: {
        name: 'Bestellungen',
        accountType: 'client-secret',
        senderAddress: DEMO.sender.upn,
        mailboxAddress: DEMO.sender.upn,
        clientId: app.clientId,
        tenant: DEMO.tenantId,
        secretExpiresOn: '',
      },
      clientSecret: app.secretValue,
    });
    const first = await api.tests.run({ profileId: profile.id });
    expect(first.outcome).not.toBe('failed');
    emulator.clearRequests();
    const second = await api.tests.run({ profileId: profile.id });
    expect(second.steps.find((s) => s.id === 'token')?.messageKey).toBe('steps.token.cached');
    expect(emulator.requests().map((r) => r.host)).toEqual(['graph']);
  });
});
