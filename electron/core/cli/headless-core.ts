import type { AbsenderApi } from '../../../shared/ipc/contract';
import { startCore, type Core, type CoreDeps } from '../compose-core';
import type { Cipher, HostInfo, KeyValueStore, OsPorts, SignInWindow } from '../ports';
import type { StoreName } from '../storage/store-files';

/** A command never shows a window: a test that would need an interactive sign-in reads as "not signed in". */
export const noSignInWindow: SignInWindow = { open: () => Promise.resolve({ kind: 'cancelled' }) };

export interface HeadlessCoreDeps {
  /** The app's data directory (app.getPath('userData')): the same files the window uses. */
  dataDir: string;
  /** electron-store in the app, conf in tests; called only for files start-up found good or absent. */
  open: (name: StoreName | 'history') => KeyValueStore;
  os: Pick<OsPorts, 'cipher' | 'clock' | 'logger' | 'transport'>;
  host: HostInfo;
  network?: CoreDeps['network'];
  logFile?: CoreDeps['logFile'];
}

/**
 * The API plus what only a batch command needs: profile Graph clients, the data directory (the send journal, the
 * relay queue) and the OS cipher (the relay's generated TLS key is sealed with it, as the secrets are).
 */
export type HeadlessCore = AbsenderApi & { batch: Core['batch']; dataDir: string; cipher: Cipher };

/**
 * The core for a command: the stores are only read, never repaired, since a window may run beside it (a damaged,
 * old-format or missing-with-backup file is refused with storage-corrupt `needs-app`: the window's start-up repairs
 * it, and asks where it must). No sign-in window,
 * no clipboard, no browser, and the keep-alive is not started: a scheduled check changes nothing but
 * the profiles' last test result and the token caches, as a test in the window does.
 */
export async function openHeadlessCore(deps: HeadlessCoreDeps): Promise<HeadlessCore> {
  const core = await startCore({
    // Read only: the window may be running and writing the same files (its temp files, its .bak).
    storeFiles: { dir: deps.dataDir, open: deps.open, confirmStartEmpty: () => Promise.resolve(false), repair: false },
    os: {
      ...deps.os,
      signInWindow: noSignInWindow,
      clipboard: { writeText: () => Promise.reject(new Error('a command has no clipboard')) },
      opener: () => Promise.reject(new Error('a command opens no browser')),
    },
    events: { emit: () => undefined },
    host: deps.host,
    ...(deps.network ? { network: deps.network } : {}),
    ...(deps.logFile ? { logFile: deps.logFile } : {}),
  });
  return { ...core.api, batch: core.batch, dataDir: deps.dataDir, cipher: deps.os.cipher };
}
