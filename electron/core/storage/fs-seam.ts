import * as nodeFs from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The synchronous file calls the store start-up makes. Tests hand in a wrapper that fails a chosen call,
 * so every failure path runs against real files without needing a full disk or a non-root user.
 */
export interface FsSeam {
  readFileSync(path: string): Buffer;
  readdirSync(path: string): string[];
  existsSync(path: string): boolean;
  mkdirSync(path: string, options: { recursive: true; mode: number }): unknown;
  chmodSync(path: string, mode: number): void;
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: Uint8Array): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  /** The last `maxBytes` of a file (all of it when smaller): a trailer read without the body before it. */
  readTailSync(path: string, maxBytes: number): Buffer;
}

export const nodeFsSeam: FsSeam = {
  readFileSync: (path) => nodeFs.readFileSync(path),
  readdirSync: (path) => nodeFs.readdirSync(path),
  existsSync: (path) => nodeFs.existsSync(path),
  mkdirSync: (path, options) => nodeFs.mkdirSync(path, options),
  chmodSync: (path, mode) => nodeFs.chmodSync(path, mode),
  openSync: (path, flags, mode) => nodeFs.openSync(path, flags, mode),
  writeSync: (fd, data) => nodeFs.writeSync(fd, data),
  fsyncSync: (fd) => nodeFs.fsyncSync(fd),
  closeSync: (fd) => nodeFs.closeSync(fd),
  renameSync: (from, to) => nodeFs.renameSync(from, to),
  unlinkSync: (path) => nodeFs.unlinkSync(path),
  readTailSync: (path, maxBytes) => {
    const fd = nodeFs.openSync(path, 'r');
    try {
      const { size } = nodeFs.fstatSync(fd);
      const length = Math.min(size, maxBytes);
      const buffer = Buffer.alloc(length);
      let read = 0;
      while (read < length) {
        const bytesRead = nodeFs.readSync(fd, buffer, read, length - read, size - length + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return buffer.subarray(0, read);
    } finally {
      nodeFs.closeSync(fd);
    }
  },
};

/** DS-1: only the signed-in user may read the store files (the OS protects the secrets' ciphertext too). */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

// Windows has no POSIX modes: chmod there only toggles the read-only flag, which would do harm, not good.
const isPosix = process.platform !== 'win32';

/**
 * Creates the data directory as 0700, and tightens one that already exists (an older version, or a
 * directory the host made with the umask default). conf and atomically create directories 0777 & ~umask.
 */
export function ensurePrivateDir(dir: string, fs: Pick<FsSeam, 'mkdirSync' | 'chmodSync'> = nodeFsSeam): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (isPosix) fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Tightens a file written before DS-1 (conf only applies configFileMode when it next writes). */
export function ensurePrivateFile(path: string, fs: FsSeam = nodeFsSeam): void {
  if (isPosix && fs.existsSync(path)) fs.chmodSync(path, PRIVATE_FILE_MODE);
}

/**
 * Writes like atomically does (temp file beside the target, fsync, rename), using the same `.tmp-` naming,
 * so the start-up clean-up of `<file>.tmp-*` covers a crash in our own writes too. The target is either
 * the old or the new bytes, never a mix; on failure the temp file is removed before the error is rethrown.
 * The one atomic writer of the app: store files, the send journal, `--out` reports and Prometheus textfiles
 * (whose collector reads only `*.prom`, which the temp name never ends in). `mode` is 0600 unless a reader
 * of another account needs the file (node_exporter).
 */
export function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  fs: FsSeam = nodeFsSeam,
  mode: number = PRIVATE_FILE_MODE,
): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const random = Math.floor(Math.random() * 0xffffff)
    .toString(16)
    .padStart(6, '0');
  const temp = join(dirname(path), `${basename(path)}.tmp-${Date.now().toString().slice(-10)}${random}`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', mode);
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes.subarray(written));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    // The umask may have narrowed the mode, never widened it; this makes it exact on a reused name too.
    if (isPosix) fs.chmodSync(temp, mode);
    fs.renameSync(temp, path);
  } catch (error) {
    const openFd = fd;
    if (openFd !== undefined) tryIgnoring(() => fs.closeSync(openFd));
    tryIgnoring(() => fs.unlinkSync(temp));
    throw error;
  }
}

/**
 * Makes a created or renamed directory entry durable: without it a crash can forget a rename whose file
 * data was already fsynced. Windows cannot open a directory for fsync (NTFS journals the entry itself).
 */
export function fsyncDir(dir: string, fs: FsSeam = nodeFsSeam): void {
  if (!isPosix) return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function tryIgnoring(action: () => void): void {
  try {
    action();
  } catch {
    // Clean-up after a failure: the original error is the one worth reporting.
  }
}
