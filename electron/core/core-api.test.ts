import { describe, expect, it } from 'vitest';
import { createCoreApi } from './core-api';
import { REQUEST_SCHEMAS } from '../../shared/ipc/contract';
import { closedSignInWindow } from './testing/core-fixture';
import { UndiciTransport } from './testing/undici-transport';
import { InMemoryCipher, InMemoryStore, MemoryLogger } from './testing/in-memory';

describe('app.copy', () => {
  // SH-3, SH-5: copied text is redacted in main.
  it('puts text on the clipboard through main, redacted (no token or secret ever leaves that way)', async () => {
    const copied: string[] = [];
    const api = createCoreApi({
      profileStore: new InMemoryStore(),
      secretStore: new InMemoryStore(),
      settingsStore: new InMemoryStore(),
      cipher: new InMemoryCipher(),
      clock: { now: () => new Date() },
      logger: new MemoryLogger(),
      hostInfo: { version: 't', host: 'browser-test-host', platform: 'linux', osLanguage: 'de' },
      emit: () => undefined,
      openExternal: () => Promise.resolve(),
      clipboard: { writeText: (text) => Promise.resolve(void copied.push(text)) },
      signInWindow: closedSignInWindow,
      transport: new UndiciTransport({ systemProxy: '' }),
    });
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
    const settingsStore = new InMemoryStore();
    const deps = {
      profileStore: new InMemoryStore(),
      secretStore: new InMemoryStore(),
      settingsStore,
      cipher: new InMemoryCipher(),
      clock: { now: () => new Date() },
      logger: new MemoryLogger(),
      hostInfo: { version: 't', host: 'browser-test-host' as const, platform: 'linux', osLanguage: 'de' },
      emit: () => undefined,
      openExternal: () => Promise.resolve(),
      clipboard: { writeText: () => Promise.resolve() },
      signInWindow: closedSignInWindow,
      transport: { fetch: () => Promise.reject(new Error('no network here')), useProxy: (p: string) => void applied.push(p) },
    };
    const api = createCoreApi(deps);
    expect((await api.settings.get()).proxy).toBe('system');
    expect(await api.settings.update({ proxy: 'http://proxy.contoso.com:8080' })).toMatchObject({
      proxy: 'http://proxy.contoso.com:8080',
    });
    await api.settings.update({ keepAliveDays: 3 }); // other settings keep the proxy
    expect(applied).toEqual(['system', 'http://proxy.contoso.com:8080', 'http://proxy.contoso.com:8080']);
    createCoreApi(deps); // a restart reads the stored one
    expect(applied.at(-1)).toBe('http://proxy.contoso.com:8080');
    expect(REQUEST_SCHEMAS.settings.update.safeParse({ proxy: 'http://u:pw@proxy:8080' }).success).toBe(false);
    expect(REQUEST_SCHEMAS.settings.update.safeParse({ proxy: 'none' }).success).toBe(true);
  });
});
