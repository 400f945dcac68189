// What the core needs from its host. The Electron host and the browser test host each provide these
// at their composition root; the core never imports electron.

export interface Cipher {
  /** False when the OS offers no real protection (Linux basic_text / unknown). */
  isAvailable(): boolean;
  /** e.g. "dpapi", "keychain", "gnome_libsecret", "kwallet6", "basic_text", "aes-256-gcm (test)". */
  backend(): string;
  encrypt(plaintext: string): Promise<Buffer>;
  decrypt(ciphertext: Buffer): Promise<string>;
}

/** A persistent map of top-level keys to JSON values (electron-store in the app, conf in tests). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface HostInfo {
  version: string;
  host: 'electron' | 'browser-test-host';
  platform: string;
  osLanguage: string;
}

export const systemClock: Clock = { now: () => new Date() };
