import { createCore, type CoreDeps, type CoreStores } from '../compose-core';
import type { NetworkSettings } from '../net/endpoints';
import type { Clock, EventSink, HostInfo, HttpTransport, KeyValueStore, OsPorts, SignInWindow } from '../ports';
import { createHandlers } from '../ipc/request-handlers';
import { InMemoryCipher, InMemoryStore, MemoryLogger } from './in-memory';
import { UndiciTransport } from './undici-transport';

/** For cores whose tests never sign in: the window "closes" at once. */
export const closedSignInWindow: SignInWindow = { open: () => Promise.resolve({ kind: 'cancelled' }) };

export const TEST_HOST: HostInfo = { version: 'test', host: 'browser-test-host', platform: 'linux', osLanguage: 'de' };

/** Three empty stores that were never files (so start-up found nothing to report). */
export function inMemoryStores(): { profiles: InMemoryStore; secrets: InMemoryStore; settings: InMemoryStore } {
  return { profiles: new InMemoryStore(), secrets: new InMemoryStore(), settings: new InMemoryStore() };
}

/**
 * Fakes of every OS service, each replaceable: an in-memory cipher and logger, a fixed clock, a
 * clipboard and opener that do nothing, a sign-in window that closes at once, undici without a proxy.
 */
export function testOsPorts(overrides: Partial<OsPorts> = {}): OsPorts {
  return {
    clock: { now: () => new Date('2026-11-29T10:00:00Z') },
    clipboard: { writeText: () => Promise.resolve() },
    opener: () => Promise.resolve(),
    signInWindow: closedSignInWindow,
    ...overrides,
    // Built only when not given (an undici agent per unused default would be waste).
    cipher: overrides.cipher ?? new InMemoryCipher(),
    logger: overrides.logger ?? new MemoryLogger(),
    transport: overrides.transport ?? new UndiciTransport({ systemProxy: '' }),
  };
}

/** One call for a test's core: fakes of the OS services unless given, in-memory stores, no events. */
export function composeTestCore(
  deps: { os?: Partial<OsPorts>; stores?: CoreStores; emit?: EventSink } & Omit<
    Partial<CoreDeps>,
    'os' | 'stores' | 'events'
  > = {},
) {
  const { os, stores, emit, ...rest } = deps;
  return createCore({
    host: TEST_HOST,
    ...rest,
    stores: stores ?? inMemoryStores(),
    os: testOsPorts(os),
    events: { emit: emit ?? (() => undefined) },
  });
}

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
  emit?: EventSink;
  /** The window's SMTP relay (without it the relay methods answer relay-not-available); its files under `dataDir`. */
  relay?: CoreDeps['relay'];
  dataDir?: string;
}

/** A core over fakes of the OS services only: the same composition as both hosts. */
export function createTestCore<S extends KeyValueStore = InMemoryStore>(options: TestCoreOptions<S> = {}) {
  const stores = options.stores ?? inMemoryStores();
  const cipher = options.cipher ?? new InMemoryCipher();
  const logger = new MemoryLogger();
  const { api, relay } = composeTestCore({
    stores,
    os: {
      cipher,
      logger,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.signInWindow ? { signInWindow: options.signInWindow } : {}),
      transport: options.transport ?? new UndiciTransport({ extraCaPem: options.extraCaPem, systemProxy: '' }),
    },
    ...(options.emit ? { emit: options.emit } : {}),
    ...(options.network ? { network: options.network } : {}),
    ...(options.relay ? { relay: options.relay } : {}),
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
  });
  return { api, handlers: createHandlers(api, logger), stores, cipher, logger, relay };
}

export { VALID_DRAFT } from '../../../shared/testing/fixtures';
