import { createCoreApi, type CoreDeps } from '../compose-core';
import type { NetworkSettings } from '../net/endpoints';
import type { Clock, HttpTransport, KeyValueStore } from '../ports';
import { createHandlers } from '../ipc/request-handlers';
import type { SignInWindow } from '../ports';
import { InMemoryCipher, InMemoryStore, MemoryLogger } from './in-memory';
import { UndiciTransport } from './undici-transport';

/** For cores whose tests never sign in: the window "closes" at once. */
export const closedSignInWindow: SignInWindow = { open: () => Promise.resolve({ kind: 'cancelled' }) };

export interface TestCoreOptions<S extends KeyValueStore> {
  cipher?: InMemoryCipher;
  signInWindow?: SignInWindow;
  /** Real time by default is wrong for unit tests; network tests want it (token expiry). */
  clock?: Clock;
  network?: Partial<NetworkSettings>;
  /** A CA the test's transport trusts besides Node's (e.g. a second emulator's). */
  extraCaPem?: string;
  /** undici by default, direct unless the test sets a proxy (HTTPS_PROXY of the machine is not read). */
  transport?: HttpTransport;
  stores?: { profiles: S; secrets: S; settings: S };
  emit?: CoreDeps['emit'];
}

/** A core over fakes of the OS services only: the same composition as both hosts. */
export function createTestCore<S extends KeyValueStore = InMemoryStore>(options: TestCoreOptions<S> = {}) {
  const stores = options.stores ?? { profiles: new InMemoryStore(), secrets: new InMemoryStore(), settings: new InMemoryStore() };
  const cipher = options.cipher ?? new InMemoryCipher();
  const logger = new MemoryLogger();
  const api = createCoreApi({
    profileStore: stores.profiles,
    secretStore: stores.secrets,
    settingsStore: stores.settings,
    cipher,
    clock: options.clock ?? { now: () => new Date('2026-11-29T10:00:00Z') },
    logger,
    hostInfo: { version: 'test', host: 'browser-test-host', platform: 'linux', osLanguage: 'de' },
    emit: options.emit ?? (() => undefined),
    ...(options.network ? { network: options.network } : {}),
    openExternal: () => Promise.resolve(),
    clipboard: { writeText: () => Promise.resolve() },
    signInWindow: options.signInWindow ?? closedSignInWindow,
    transport: options.transport ?? new UndiciTransport({ extraCaPem: options.extraCaPem, systemProxy: '' }),
  });
  return { api, handlers: createHandlers(api, logger), stores, cipher, logger };
}

export { VALID_DRAFT } from '../../../shared/testing/fixtures';
