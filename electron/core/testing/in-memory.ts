import type { Cipher, KeyValueStore, Logger } from '../ports';

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

/** Reversible but not plaintext, and counts calls, so tests can see every decrypt. */
export class InMemoryCipher implements Cipher {
  decryptCalls = 0;
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
  encrypt(plaintext: string): Promise<Buffer> {
    return Promise.resolve(Buffer.from(`enc:${Buffer.from(plaintext).toString('hex')}`));
  }
  decrypt(ciphertext: Buffer): Promise<string> {
    this.decryptCalls += 1;
    const text = ciphertext.toString();
    if (!text.startsWith('enc:')) return Promise.reject(new Error('bad ciphertext'));
    return Promise.resolve(Buffer.from(text.slice(4), 'hex').toString());
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
