import { describe, expect, it } from 'vitest';
import { createCoreApi } from './core-api';
import { closedSignInWindow } from './testing/core-fixture';
import { UndiciTransport } from './testing/undici-transport';
import { InMemoryCipher, InMemoryStore, MemoryLogger } from './testing/in-memory';

describe('app.copy', () => {
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
