import { createCoreApi } from '../core-api';
import { createHandlers } from '../ipc/dispatcher';
import type { SignInWindow } from '../ports';
import { InMemoryCipher, InMemoryStore, MemoryLogger } from './in-memory';

/** For cores whose tests never sign in: the window "closes" at once. */
export const closedSignInWindow: SignInWindow = { open: () => Promise.resolve({ kind: 'cancelled' }) };

export function createTestCore(options: { cipher?: InMemoryCipher; signInWindow?: SignInWindow } = {}) {
  const stores = { profiles: new InMemoryStore(), secrets: new InMemoryStore(), settings: new InMemoryStore() };
  const cipher = options.cipher ?? new InMemoryCipher();
  const logger = new MemoryLogger();
  const api = createCoreApi({
    profileStore: stores.profiles,
    secretStore: stores.secrets,
    settingsStore: stores.settings,
    cipher,
    clock: { now: () => new Date('2026-11-29T10:00:00Z') },
    logger,
    hostInfo: { version: 'test', host: 'browser-test-host', platform: 'linux', osLanguage: 'de' },
    emit: () => undefined,
    openExternal: () => Promise.resolve(),
    signInWindow: options.signInWindow ?? closedSignInWindow,
  });
  return { api, handlers: createHandlers(api, logger), stores, cipher, logger };
}

export const VALID_DRAFT = {
  name: 'Bestellungen',
  accountType: 'client-secret',
  senderAddress: 'bestellung@contoso.com',
  mailboxAddress: 'bestellung@contoso.com',
  clientId: '11111111-2222-3333-4444-555555555555',
  tenant: 'contoso.onmicrosoft.com',
  secretExpiresOn: '2027-06-30',
} as const;
