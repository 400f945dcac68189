import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killOwnedChildren, spawnOwned } from '../testing/owned-children';
import { relayLockOwner } from './relay-lock';

const ROOT = join(import.meta.dirname, '../../..');
const CHILD = join(import.meta.dirname, 'testing/lock-race-child.ts');
const CONTENDERS = 6;

let base: string | undefined;
afterEach(() => {
  killOwnedChildren();
  if (base !== undefined) rmSync(base, { recursive: true, force: true });
});

describe('relay lock between processes', () => {
  it('contenders started at once on a stale lock: exactly one wins, each round', async () => {
    base = mkdtempSync(join(tmpdir(), 'absender-lock-race-'));
    for (let round = 0; round < 3; round += 1) {
      const dataDir = join(base, `data-${round}`);
      mkdirSync(join(dataDir, 'relay'), { recursive: true, mode: 0o700 });
      // Left by a relay that was killed: PID 2^22 + 1 is above Linux's pid_max range, no such process.
      writeFileSync(join(dataDir, 'relay', 'relay.lock'), JSON.stringify({ pid: 4_194_305, host: '127.0.0.1', port: 2525 }));
      const children = Array.from({ length: CONTENDERS }, () =>
        spawnOwned(process.execPath, ['--import', 'tsx', CHILD, dataDir], {
          cwd: ROOT,
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        }),
      );
      const next = (child: (typeof children)[number]) =>
        new Promise<string>((resolve, reject) => {
          child.once('message', (m) => resolve(m as string));
          child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
        });
      await Promise.all(children.map((c) => next(c)));
      const outcomes = children.map((c) => next(c));
      const at = Date.now() + 300;
      for (const child of children) child.send({ at });
      const results = await Promise.all(outcomes);
      expect(results.filter((r) => r === 'won')).toHaveLength(1);
      expect(results.filter((r) => r === 'lost')).toHaveLength(CONTENDERS - 1);
      const winner = children[results.indexOf('won')];
      expect(relayLockOwner(dataDir)?.pid).toBe(winner?.pid);
      killOwnedChildren();
    }
  }, 120_000);
});
