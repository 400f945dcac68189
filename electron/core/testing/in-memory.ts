import type { Cipher, Decrypted, KeyValueStore, Logger } from '../ports';

/** A store fake that keeps JSON copies, so tests see exactly what a file would hold. */
export class InMemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>();
  failNextWrite: NodeJS.ErrnoException | undefined;

  get(key: string): unknown {
    const raw = this.data.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as unknown);
  }

  set(key: string, value: unknown): void {
    const failure = this.failNextWrite;
    this.failNextWrite = undefined;
    if (failure) throw failure;
    this.data.set(key, JSON.stringify(value));
  }

  delete(key: string): void {
    this.data.delete(key);
  }

  dump(): string {
    return [...this.data.values()].join('\n');
  }
}

/**
 * Reversible but not plaintext, and counts calls, so tests can see every decrypt. Each ciphertext names the key
 * generation it was made with; rotateKey() makes older ones decrypt with shouldReEncrypt, as safeStorage does.
 */
export class InMemoryCipher implements Cipher {
  decryptCalls = 0;
  encryptCalls = 0;
  private generation = 1;
  constructor(
    private readonly reportedBackend = 'test',
    private readonly available = true,
  ) {}
  backend(): string {
    return this.reportedBackend;
  }
  isAvailable(): boolean {
    return this.available;
  }
  /** The OS moved to a new key; ciphertexts of older generations still decrypt but ask to be re-encrypted. */
  rotateKey(): void {
    this.generation += 1;
  }
  encrypt(plaintext: string): Promise<Buffer> {
    this.encryptCalls += 1;
    return Promise.resolve(Buffer.from(`enc:${this.generation}:${Buffer.from(plaintext).toString('hex')}`));
  }
  decrypt(ciphertext: Buffer): Promise<Decrypted> {
    this.decryptCalls += 1;
    const match = /^enc:(\d+):((?:[0-9a-f]{2})*)$/.exec(ciphertext.toString());
    const generation = Number(match?.[1]);
    if (!match || generation > this.generation) return Promise.reject(new Error('bad ciphertext'));
    return Promise.resolve({
      plaintext: Buffer.from(match[2] ?? '', 'hex').toString(),
      shouldReEncrypt: generation < this.generation,
    });
  }
}

export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  info(message: string, data?: Record<string, unknown>): void {
    this.lines.push(`INFO ${message} ${JSON.stringify(data ?? {})}`);
  }
  warn(message: string, data?: Record<string, unknown>): void {
    this.lines.push(`WARN ${message} ${JSON.stringify(data ?? {})}`);
  }
  error(message: string, data?: Record<string, unknown>): void {
    this.lines.push(`ERROR ${message} ${JSON.stringify(data ?? {})}`);
  }
}
