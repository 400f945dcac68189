// Child process for the DS-4 integration test: fails one fs call with a chosen errno during a write
// through the conf adapter. atomically (via stubborn-fs) keeps references to fs functions taken when it
// loads, so the fault must be installed before conf is imported: hence a child and dynamic imports.
// Usage: node --import tsx write-fault-child.ts <dataDir> <ERRNO> <openSync|writeSync|fsyncSync|renameSync>
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const [dir = '', errno = '', call = ''] = process.argv.slice(2);
const patchable = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
const original = patchable[call];
if (!original) throw new Error(`unknown fs call ${call}`);
let armed = false;
let injected = 0;
patchable[call] = function patched(this: unknown, ...args: unknown[]): unknown {
  // openSync is also how conf reads; only the temp file of the write is failed.
  const hits = call !== 'openSync' || String(args[0]).includes('.tmp-');
  if (armed && hits) {
    injected += 1;
    throw Object.assign(new Error(`${errno}: injected by test`), { code: errno, syscall: call });
  }
  return original.apply(this, args);
};

const { openConfStore } = await import('../../testing/conf-store');
const { guardedWrite } = await import('../write-guard');
const { profileRecord } = await import('./fixtures');

const store = openConfStore(dir, 'profiles');
armed = true;
const started = Date.now();
let outcome: Record<string, unknown>;
try {
  guardedWrite(() => store.set('profiles', { p1: profileRecord('p1'), p2: profileRecord('p2') }));
  outcome = { ok: true };
} catch (error) {
  const e = error as { name?: string; code?: string; params?: unknown; cause?: { code?: string } };
  outcome = { ok: false, name: e.name, code: e.code, params: e.params, causeCode: e.cause?.code };
}
armed = false;
// atomically removes its temp file with an async unlink after a failed write; let it land.
await sleep(100);
process.stdout.write(JSON.stringify({ ...outcome, injected, ms: Date.now() - started }));
