import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUEST_SCHEMAS } from '../../shared/ipc/contract';
import { composeTestCore, inMemoryStores } from './testing/core-fixture';

describe('app.copy', () => {
  it('puts text on the clipboard through main, redacted (no token or secret ever leaves that way)', async () => {
    const copied: string[] = [];
    const { api } = composeTestCore({ os: { clipboard: { writeText: (text) => Promise.resolve(void copied.push(text)) } } });
    await api.app.copy({
      text: 'AADSTS7000222 · Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln client_secret=Abc~123',
    });
    expect(copied).toHaveLength(1);
    expect(copied[0]).toContain('AADSTS7000222');
    expect(copied[0]).not.toContain('eyJzdWIiOiJ4In0');
    expect(copied[0]).not.toContain('Abc~123');
  });
});

describe('settings.proxy', () => {
  it('the stored proxy reaches the transport at start and on every change; credentials never pass the contract', async () => {
    const applied: string[] = [];
    const deps = {
      stores: inMemoryStores(),
      os: {
        transport: { fetch: () => Promise.reject(new Error('no network here')), useProxy: (p: string) => void applied.push(p) },
      },
    };
    const { api } = composeTestCore(deps);
    expect((await api.settings.get()).proxy).toBe('system');
    expect(await api.settings.update({ proxy: 'http://proxy.contoso.com:8080' })).toMatchObject({
      proxy: 'http://proxy.contoso.com:8080',
    });
    await api.settings.update({ keepAliveDays: 3 }); // other settings keep the proxy
    expect(applied).toEqual(['system', 'http://proxy.contoso.com:8080', 'http://proxy.contoso.com:8080']);
    composeTestCore(deps); // a restart reads the stored one
    expect(applied.at(-1)).toBe('http://proxy.contoso.com:8080');
    expect(REQUEST_SCHEMAS.settings.update.safeParse({ proxy: 'http://u:pw@proxy:8080' }).success).toBe(false);
    expect(REQUEST_SCHEMAS.settings.update.safeParse({ proxy: 'none' }).success).toBe(true);
  });
});

describe('relay composition', () => {
  it("runs in the one data directory, with the host's relay default read through settings.get as well", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'absender-compose-relay-'));
    try {
      const { api, relay } = composeTestCore({ dataDir: dir, relay: { defaults: { port: 0 } } });
      expect(relay).not.toBeNull();
      expect((await api.relay.status()).settings.port).toBe(0);
      expect((await api.settings.get()).relay.port).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is off without `relay` (relay-not-available), and a relay without a data directory is a composition error', async () => {
    const { api } = composeTestCore();
    await expect(Promise.resolve().then(() => api.relay.status())).rejects.toMatchObject({ code: 'relay-not-available' });
    expect(() => composeTestCore({ relay: {} })).toThrow(/data directory/);
  });
});
