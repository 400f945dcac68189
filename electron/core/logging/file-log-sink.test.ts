import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeTestCore } from '../testing/core-fixture';
import { FileLogSink, nodeLogFs, type LogFs } from './file-log-sink';
import { createLogger } from './logger';

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'absender-log-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const isPosix = process.platform !== 'win32';
const mode = (path: string): number => statSync(path).mode & 0o777;
const fsError = (code: string) => Object.assign(new Error(code), { code });
const failing = (call: keyof LogFs, code: string, after = 0): LogFs => {
  let calls = 0;
  return {
    ...nodeLogFs,
    [call]: (...args: unknown[]) => {
      calls += 1;
      if (calls > after) throw fsError(code);
      return (nodeLogFs[call] as (...a: unknown[]) => unknown)(...args);
    },
  };
};

describe('FileLogSink on real files', () => {
  // SH-3: the log file is private.
  it.skipIf(!isPosix)('creates a missing logs directory 0700 and the file 0600', () => {
    const dir = join(base, 'nested', 'logs');
    const sink = new FileLogSink({ dir });
    sink.write('one');
    expect(mode(dir)).toBe(0o700);
    expect(mode(sink.path)).toBe(0o600);
    expect(readFileSync(sink.path, 'utf8')).toBe('one\n');
    expect(sink.failure()).toBeNull();
  });

  it.skipIf(!isPosix)('tightens a directory and files an older version left wider', () => {
    const dir = join(base, 'logs');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    for (const f of ['absender.log', 'absender.1.log']) {
      writeFileSync(join(dir, f), 'old\n');
      chmodSync(join(dir, f), 0o644);
    }
    new FileLogSink({ dir });
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'absender.log'))).toBe(0o600);
    expect(mode(join(dir, 'absender.1.log'))).toBe(0o600);
  });

  it('rotates at the size bound and keeps only the configured number of files', () => {
    const dir = join(base, 'logs');
    const sink = new FileLogSink({ dir, maxBytes: 100, files: 3 });
    const line = (n: number) => `line ${n.toString().padStart(3, '0')} ${'x'.repeat(30)}`; // 40 bytes + newline
    for (let n = 0; n < 20; n += 1) sink.write(line(n));
    expect(readdirSync(dir).sort()).toEqual(['absender.1.log', 'absender.2.log', 'absender.log']);
    for (const f of readdirSync(dir)) {
      expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(100);
      if (isPosix) expect(mode(join(dir, f))).toBe(0o600);
    }
    // Two lines per file: the newest in absender.log, the ones before in .1 and .2, older ones gone.
    expect(readFileSync(join(dir, 'absender.log'), 'utf8')).toBe(`${line(18)}\n${line(19)}\n`);
    expect(readFileSync(join(dir, 'absender.1.log'), 'utf8')).toBe(`${line(16)}\n${line(17)}\n`);
    expect(readFileSync(join(dir, 'absender.2.log'), 'utf8')).toBe(`${line(14)}\n${line(15)}\n`);
    expect(sink.failure()).toBeNull();
  });

  it('a line larger than the bound is still written, alone in its file', () => {
    const sink = new FileLogSink({ dir: base, maxBytes: 10, files: 2 });
    sink.write('a');
    sink.write('b'.repeat(50));
    expect(readFileSync(sink.path, 'utf8')).toBe(`${'b'.repeat(50)}\n`);
    expect(readFileSync(join(base, 'absender.1.log'), 'utf8')).toBe('a\n');
  });
});

describe('FileLogSink failures (fs seam)', () => {
  it('EACCES on the directory at start-up is recorded with its path; writes do not throw', () => {
    const dir = join(base, 'logs');
    const sink = new FileLogSink({ dir, fs: failing('mkdirSync', 'EACCES') });
    expect(sink.failure()).toEqual({ code: 'EACCES', path: dir });
    expect(() => sink.write('lost')).not.toThrow();
  });

  it('ENOSPC on a write is recorded once: the first failure stays, the logger goes on', () => {
    const dir = join(base, 'logs');
    let fail: string | null = null;
    const fs: LogFs = {
      ...nodeLogFs,
      writeSync: (fd, data) => {
        if (fail !== null) throw fsError(fail);
        return nodeLogFs.writeSync(fd, data);
      },
    };
    const sink = new FileLogSink({ dir, fs });
    const logger = createLogger(sink);
    logger.info('kept');
    fail = 'ENOSPC';
    logger.error('lost');
    fail = 'EIO';
    logger.error('lost too');
    expect(sink.failure()).toEqual({ code: 'ENOSPC', path: sink.path });
    fail = null;
    logger.info('again');
    expect(readFileSync(sink.path, 'utf8')).toMatch(/INFO kept\n.*INFO again\n$/);
    // The failed writes left nothing behind beside the log itself.
    expect(readdirSync(dir)).toEqual(['absender.log']);
  });

  it('a failed rotation (EACCES on rename) is recorded and the line is not lost silently', () => {
    const sink = new FileLogSink({ dir: base, maxBytes: 5, fs: failing('renameSync', 'EACCES') });
    sink.write('first');
    sink.write('second');
    expect(sink.failure()).toEqual({ code: 'EACCES', path: sink.path });
  });

  it('app.info names the log file and its first failure for the notice', async () => {
    const dir = join(base, 'logs');
    const sink = new FileLogSink({ dir, fs: failing('openSync', 'ENOSPC', 1) });
    const api = (logFile?: FileLogSink) =>
      composeTestCore({ os: { logger: createLogger(sink) }, ...(logFile ? { logFile } : {}) }).api;
    expect((await api(sink).app.info()).log).toEqual({ path: sink.path, failure: null });
    sink.write('lost');
    expect((await api(sink).app.info()).log).toEqual({ path: sink.path, failure: { code: 'ENOSPC', reason: 'disk-full' } });
    expect((await api().app.info()).log).toBeUndefined();
  });

  it('a write that fails while the app runs is pushed to the window once (app.logFailure)', () => {
    const sink = new FileLogSink({ dir: join(base, 'logs'), fs: failing('writeSync', 'ENOSPC') });
    const events: unknown[] = [];
    composeTestCore({
      os: { logger: createLogger(sink) },
      logFile: sink,
      emit: (event, payload) => events.push({ event, payload }),
    });
    expect(events).toEqual([]);
    sink.write('first lost line');
    sink.write('second lost line');
    expect(events).toEqual([
      { event: 'app.logFailure', payload: { path: sink.path, failure: { code: 'ENOSPC', reason: 'disk-full' } } },
    ]);
  });
});
