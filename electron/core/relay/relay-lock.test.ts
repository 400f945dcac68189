import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSubject } from './relay-app';
import { acquireRelayLock, relayLockOwner, RelayLockedError } from './relay-lock';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'absender-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('relay lock', () => {
  it('one holder per data directory; released, the next may take it', () => {
    const dir = dataDir();
    const lock = acquireRelayLock(dir, { host: '127.0.0.1', port: 0 });
    lock.update(2525);
    expect(relayLockOwner(dir)).toEqual({ pid: process.pid, host: '127.0.0.1', port: 2525 });
    expect(() => acquireRelayLock(dir, { host: '127.0.0.1', port: 2526 })).toThrow(RelayLockedError);
    lock.release();
    expect(relayLockOwner(dir)).toBeNull();
    acquireRelayLock(dir, { host: '127.0.0.1', port: 2526 }).release();
  });

  it('a lock file left by a process that died (kill -9) is replaced', () => {
    const dir = dataDir();
    acquireRelayLock(dir, { host: '127.0.0.1', port: 1 }).release();
    // PID 2^22 + 1 is above Linux's pid_max default range: no such process.
    writeFileSync(join(dir, 'relay', 'relay.lock'), JSON.stringify({ pid: 4_194_305, host: '127.0.0.1', port: 2525 }));
    expect(relayLockOwner(dir)).toBeNull();
    const lock = acquireRelayLock(dir, { host: '127.0.0.1', port: 2527 });
    expect(JSON.parse(readFileSync(join(dir, 'relay', 'relay.lock'), 'utf8'))).toMatchObject({ pid: process.pid, port: 2527 });
    lock.release();
  });
});

describe('decodeSubject', () => {
  it('decodes RFC 2047 words (B and Q) and raw UTF-8 as the panel shows them', () => {
    expect(decodeSubject('=?utf-8?B?QmVzdGVsbHVuZyBNw7xsbGVy?=')).toBe('Bestellung Müller');
    expect(decodeSubject('=?iso-8859-1?Q?Gr=FC=DFe_aus?= =?utf-8?Q?K=C3=B6ln?=')).toBe('Grüße ausKöln');
    expect(decodeSubject(Buffer.from('Straße 4711', 'utf8').toString('latin1'))).toBe('Straße 4711');
    expect(decodeSubject('=?x-unknown?B?AAAA?=')).toBe('=?x-unknown?B?AAAA?=');
  });
});
