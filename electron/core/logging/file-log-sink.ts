import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, nodeFsSeam, PRIVATE_FILE_MODE, type FsSeam } from '../storage/fs-seam';
import type { LogSink } from './logger';

/** The file calls the sink makes; tests hand in one that fails a chosen call (ENOSPC, EACCES). */
export type LogFs = Pick<
  FsSeam,
  'existsSync' | 'mkdirSync' | 'chmodSync' | 'openSync' | 'writeSync' | 'closeSync' | 'renameSync' | 'unlinkSync'
> & { fstatSync(fd: number): { size: number } };

export const nodeLogFs: LogFs = { ...nodeFsSeam, fstatSync: (fd) => nodeFs.fstatSync(fd) };

/** The first write that failed (later ones would only repeat it), for the notice in the window. */
export interface LogFailure {
  code: string;
  path: string;
}

export interface FileLogSinkOptions {
  dir: string;
  /** `absender.log`; the rotated ones are `absender.1.log` … */
  fileName?: string;
  /** Size at which the file is rotated (default 1 MB). */
  maxBytes?: number;
  /** Files kept including the current one (default 3). */
  files?: number;
  fs?: LogFs;
}

const isPosix = process.platform !== 'win32';

/**
 * The app's log file (SH-3: the logger redacts before a line gets here): directory 0700 and files 0600, also
 * ones an older version left wider; bounded by rotation; a failed write is kept for the window, not dropped.
 */
export class FileLogSink implements LogSink {
  readonly path: string;
  private readonly fs: LogFs;
  private readonly maxBytes: number;
  private readonly files: number;
  private firstFailure: LogFailure | null = null;
  private readonly failureListeners = new Set<(failure: LogFailure) => void>();

  constructor(private readonly options: FileLogSinkOptions) {
    this.fs = options.fs ?? nodeLogFs;
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.files = Math.max(1, options.files ?? 3);
    this.path = join(options.dir, options.fileName ?? 'absender.log');
    // Opening once at start-up finds a log directory that cannot be written before the first message is lost.
    this.attempt(this.options.dir, () => {
      ensurePrivateDir(this.options.dir, this.fs);
      for (let n = 0; n < this.files; n += 1) {
        const file = this.fileAt(n);
        if (isPosix && this.fs.existsSync(file)) this.fs.chmodSync(file, PRIVATE_FILE_MODE);
      }
      this.fs.closeSync(this.fs.openSync(this.path, 'a', PRIVATE_FILE_MODE));
    });
  }

  /** Never throws: a full disk must not turn the report of an error into a crash of its own. */
  write(line: string): void {
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    this.attempt(this.path, () => {
      let fd = this.fs.openSync(this.path, 'a', PRIVATE_FILE_MODE);
      try {
        const size = this.fs.fstatSync(fd).size;
        if (size > 0 && size + bytes.length > this.maxBytes) {
          this.fs.closeSync(fd);
          fd = -1;
          this.rotate();
          fd = this.fs.openSync(this.path, 'a', PRIVATE_FILE_MODE);
        }
        let written = 0;
        while (written < bytes.length) written += this.fs.writeSync(fd, bytes.subarray(written));
      } finally {
        if (fd !== -1) this.fs.closeSync(fd);
      }
    });
  }

  failure(): LogFailure | null {
    return this.firstFailure;
  }

  /** Told once, at the first failed write, so a disk that fills while the app runs is reported too. */
  onFailure(listener: (failure: LogFailure) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** absender.log → absender.1.log → … ; the oldest one is dropped. */
  private rotate(): void {
    const oldest = this.fileAt(this.files - 1);
    if (this.fs.existsSync(oldest)) this.fs.unlinkSync(oldest);
    for (let n = this.files - 2; n >= 0; n -= 1) {
      const from = this.fileAt(n);
      if (this.fs.existsSync(from)) this.fs.renameSync(from, this.fileAt(n + 1));
    }
  }

  private fileAt(n: number): string {
    if (n === 0) return this.path;
    const name = this.options.fileName ?? 'absender.log';
    const dot = name.lastIndexOf('.');
    const rotated = dot > 0 ? `${name.slice(0, dot)}.${n}${name.slice(dot)}` : `${name}.${n}`;
    return join(this.options.dir, rotated);
  }

  private attempt(path: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (this.firstFailure !== null) return;
      const failure = { code: typeof code === 'string' ? code : 'unknown', path };
      this.firstFailure = failure;
      for (const listener of this.failureListeners) listener(failure);
    }
  }
}
