import type { SafeStorage } from 'electron';
import type { Cipher } from '../../core/ports';

// Linux without a keyring falls back to a hard-coded key: that is no protection (SS-2).
const WEAK_BACKENDS = new Set(['basic_text', 'unknown']);

type AsyncSafeStorage = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>;

/** Electron's asynchronous safeStorage API; create() only after app 'ready' (SS-1). */
export class SafeStorageCipher implements Cipher {
  private constructor(
    private readonly safeStorage: AsyncSafeStorage,
    private readonly selectedBackend: string,
    private readonly available: boolean,
  ) {}

  static async create(safeStorage: AsyncSafeStorage, platform: NodeJS.Platform): Promise<SafeStorageCipher> {
    // First let the encryptor start: before that, Linux reports the backend as 'unknown'.
    const asyncAvailable = await safeStorage.isAsyncEncryptionAvailable();
    const backend =
      platform === 'linux'
        ? safeStorage.getSelectedStorageBackend()
        : platform === 'win32'
          ? 'dpapi'
          : platform === 'darwin'
            ? 'keychain'
            : 'os';
    const available = asyncAvailable && !WEAK_BACKENDS.has(backend);
    return new SafeStorageCipher(safeStorage, backend, available);
  }

  backend(): string {
    return this.selectedBackend;
  }

  isAvailable(): boolean {
    return this.available;
  }

  encrypt(plaintext: string): Promise<Buffer> {
    return this.safeStorage.encryptStringAsync(plaintext);
  }

  async decrypt(ciphertext: Buffer): Promise<string> {
    return (await this.safeStorage.decryptStringAsync(ciphertext)).result;
  }
}
