import type { SafeStorage } from 'electron';
import { CipherUnavailableError, type Cipher, type Decrypted } from '../../core/ports';

/** The part of Electron's safeStorage this adapter calls, typed from the installed electron.d.ts. */
export type SafeStorageLike = Pick<
  SafeStorage,
  | 'isAsyncEncryptionAvailable'
  | 'isEncryptionAvailable'
  | 'encryptStringAsync'
  | 'decryptStringAsync'
  | 'getSelectedStorageBackend'
>;

// Linux without a keyring encrypts with a hard-coded key; before 'ready' the backend is 'unknown' (SS-2).
const WEAK_BACKENDS: ReadonlySet<string> = new Set(['basic_text', 'unknown']);
// Electron's rejection text when the OS key store is briefly out of reach (electron_api_safe_storage.cc).
const TEMPORARILY_UNAVAILABLE = /temporarily unavailable/i;
const DECRYPT_ATTEMPTS = 3;

export interface SafeStorageCipherOptions {
  /** Pause between attempts while the key store is temporarily unavailable (SS-7). */
  retryDelayMs?: number;
}

/** Electron's asynchronous safeStorage API; create() only after app 'ready' (SS-1). */
export class SafeStorageCipher implements Cipher {
  private constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly selectedBackend: string,
    private readonly available: boolean,
    private readonly retryDelayMs: number,
  ) {}

  static async create(
    safeStorage: SafeStorageLike,
    platform: NodeJS.Platform,
    options: SafeStorageCipherOptions = {},
  ): Promise<SafeStorageCipher> {
    // docs/api/safe-storage.md: isAsyncEncryptionAvailable starts the async encryptor and resolves once it is ready.
    const asyncAvailable = await safeStorage.isAsyncEncryptionAvailable();
    // The async encryptor reports true even on Linux's hard-coded fallback key, so the sync keyring check decides too.
    // docs/api/safe-storage.md: isEncryptionAvailable, on Linux true only after 'ready' with the secret key available.
    const syncAvailable = safeStorage.isEncryptionAvailable(); // eslint-disable-line @typescript-eslint/no-deprecated -- v45 offers no async way to spot the fallback key
    const backend =
      platform === 'linux'
        ? // docs/api/safe-storage.md: getSelectedStorageBackend (Linux) is basic_text, gnome_libsecret, kwallet*, unknown.
          safeStorage.getSelectedStorageBackend()
        : platform === 'win32'
          ? 'dpapi'
          : platform === 'darwin'
            ? 'keychain'
            : 'os';
    // A selected but unreachable keyring keeps its name (records stay readable once it is back) and is unavailable.
    const available = asyncAvailable && syncAvailable && !WEAK_BACKENDS.has(backend);
    return new SafeStorageCipher(safeStorage, backend, available, options.retryDelayMs ?? 250);
  }

  backend(): string {
    return this.selectedBackend;
  }

  isAvailable(): boolean {
    return this.available;
  }

  encrypt(plaintext: string): Promise<Buffer> {
    // docs/api/safe-storage.md: encryptStringAsync resolves the encrypted bytes.
    return this.safeStorage.encryptStringAsync(plaintext);
  }

  async decrypt(ciphertext: Buffer): Promise<Decrypted> {
    // Electron resolves an empty buffer to '' without decrypting; an empty record is no secret (SS-6).
    if (ciphertext.length === 0) throw new Error('empty ciphertext');
    for (let attempt = 1; ; attempt += 1) {
      try {
        // docs/api/safe-storage.md: decryptStringAsync resolves {shouldReEncrypt, result}.
        const { result, shouldReEncrypt } = await this.safeStorage.decryptStringAsync(ciphertext);
        return { plaintext: result, shouldReEncrypt };
      } catch (error) {
        // Only a briefly unreachable key store is worth another try; a wrong key fails the same way every time.
        if (!TEMPORARILY_UNAVAILABLE.test(messageOf(error))) throw error;
        // Still out of reach: typed, so a caller keeps what it could not open instead of taking it for lost.
        if (attempt >= DECRYPT_ATTEMPTS) throw new CipherUnavailableError(messageOf(error), { cause: error });
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
      }
    }
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
