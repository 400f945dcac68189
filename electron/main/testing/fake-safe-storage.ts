import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../adapters/safe-storage-cipher';

type LinuxBackend = ReturnType<SafeStorageLike['getSelectedStorageBackend']>;
type Decrypted = Awaited<ReturnType<SafeStorageLike['decryptStringAsync']>>;

export interface FakeSafeStorageState {
  /** getSelectedStorageBackend exists only in Linux builds (BUILDFLAG(IS_LINUX) in the binding). */
  platform: NodeJS.Platform;
  /** app 'ready' has fired; before it every call behaves as Electron's pre-ready path. */
  ready: boolean;
  /** What getSelectedStorageBackend() reports after ready (Linux). */
  backend: LinuxBackend;
  /** The OS key store hands out the key (sync OSCrypt available); false means the hard-coded fallback key. */
  keyStoreReachable: boolean;
  /** Name of the key store's current key; changing it is a key rotation. */
  currentKey: string;
  /** Keys from before a rotation: they still decrypt, with shouldReEncrypt. */
  retiredKeys: string[];
  /** The next n decrypts reject as "temporarily unavailable". */
  temporarilyUnavailable: number;
  decryptCalls: number;
  encryptCalls: number;
}

// Prefixes as in electron_api_safe_storage.cc / Chromium's key providers: v11 key store, v10 hard-coded key.
const KEY_STORE_TAG = 'v11';
const FALLBACK_TAG = 'v10';
const NOT_READY = 'safeStorage cannot be used before app is ready';
const DECRYPT_FAILED = 'Error while decrypting the ciphertext provided to safeStorage.decryptStringAsync.';
const TEMPORARILY_UNAVAILABLE = 'safeStorage.decryptStringAsync is temporarily unavailable. Please try again.';

const keyOf = (name: string): Buffer => createHash('sha256').update(name).digest();

function seal(tag: string, keyName: string, plaintext: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(keyName), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from(tag), iv, cipher.getAuthTag(), body]);
}

function open(keyName: string, data: Buffer): string | undefined {
  if (data.length < 31) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(keyName), data.subarray(3, 15));
    decipher.setAuthTag(data.subarray(15, 31));
    return Buffer.concat([decipher.update(data.subarray(31)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * Electron's safeStorage as its v45 source behaves (shell/browser/api/electron_api_safe_storage.cc): the async
 * encryptor reports available even on the fallback key, an empty buffer decrypts to '', and a ciphertext
 * from an older key or the fallback key decrypts with shouldReEncrypt once the key store is back.
 */
export function fakeSafeStorage(initial: Partial<FakeSafeStorageState> = {}) {
  const state: FakeSafeStorageState = {
    platform: 'linux',
    ready: true,
    backend: 'gnome_libsecret',
    keyStoreReachable: true,
    currentKey: 'key-1',
    retiredKeys: [],
    temporarilyUnavailable: 0,
    decryptCalls: 0,
    encryptCalls: 0,
    ...initial,
  };
  const safeStorage = {
    isAsyncEncryptionAvailable: () => Promise.resolve(state.ready),
    isEncryptionAvailable: () => state.ready && state.keyStoreReachable, // eslint-disable-line @typescript-eslint/no-deprecated -- the adapter still needs it (v45)
    getSelectedStorageBackend: (): LinuxBackend => {
      if (state.platform !== 'linux') throw new TypeError('safeStorage.getSelectedStorageBackend is not a function');
      return state.ready ? state.backend : 'unknown';
    },
    encryptStringAsync: (plainText: string): Promise<Buffer> => {
      if (!state.ready) return Promise.reject(new Error(NOT_READY));
      state.encryptCalls += 1;
      return Promise.resolve(
        state.keyStoreReachable ? seal(KEY_STORE_TAG, state.currentKey, plainText) : seal(FALLBACK_TAG, 'peanuts', plainText),
      );
    },
    decryptStringAsync: (encrypted: Buffer): Promise<Decrypted> => {
      if (!state.ready) return Promise.reject(new Error(NOT_READY));
      state.decryptCalls += 1;
      if (encrypted.length === 0) return Promise.resolve({ shouldReEncrypt: false, result: '' });
      if (state.temporarilyUnavailable > 0) {
        state.temporarilyUnavailable -= 1;
        return Promise.reject(new Error(TEMPORARILY_UNAVAILABLE));
      }
      const tag = encrypted.subarray(0, 3).toString('latin1');
      const candidates =
        tag === FALLBACK_TAG
          ? [{ name: 'peanuts', stale: state.keyStoreReachable }]
          : tag === KEY_STORE_TAG && state.keyStoreReachable
            ? [{ name: state.currentKey, stale: false }, ...state.retiredKeys.map((name) => ({ name, stale: true }))]
            : [];
      for (const { name, stale } of candidates) {
        const result = open(name, encrypted);
        if (result !== undefined) return Promise.resolve({ shouldReEncrypt: stale, result });
      }
      return Promise.reject(new Error(DECRYPT_FAILED));
    },
  } satisfies SafeStorageLike;
  return { safeStorage, state };
}
