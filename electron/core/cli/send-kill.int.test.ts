import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO, type Emulator } from '../../../e2e/emulator';
import { spawnOwned } from '../testing/owned-children';
import { idempotentMessageId } from './send-journal';
import { sendHarness } from './testing/send-harness';
import { sendTestBed } from './testing/send-test-bed';

// Send once under kill -9: a child process runs `Absender send` with an idempotency key and is killed at a
// random point, then the same command runs again to the end; every time exactly one message with the key's
// marker reaches the sink. Every child is owned: killed after each test whatever its outcome.

const bed = sendTestBed('absender-kill-', 'Ihre Bestellung ist unterwegs.');
let emulator: Emulator;
let dataDir: string;
let bodyFile: string;
beforeEach(() => {
  ({ emulator, dataDir, bodyFile } = bed);
});

const child = join(import.meta.dirname, 'testing', 'send-child.ts');
const root = join(import.meta.dirname, '../../..');

/** Starts the child, waits until its command begins, kills it after `delayMs`; its exit code (null = killed). */
async function killedRun(key: string, round: number, delayMs: number, attach = ''): Promise<number | null> {
  const ready = join(dataDir, `ready-${key}-${round}`);
  const args = [dataDir, emulator.authorityHost, emulator.graphRoot, DEMO.graphResource, bodyFile, key, ready, attach];
  const proc = spawnOwned(process.execPath, ['--import', 'tsx', child, ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // A child that never got ready says why (its exit code and stderr), instead of a bare "expected false".
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  while (!existsSync(ready) && proc.exitCode === null && Date.now() < deadline) await sleep(5);
  expect(existsSync(ready), `child not ready: exit ${String(proc.exitCode)}; ${stderr.slice(-2000)}`).toBe(true);
  await sleep(delayMs);
  proc.kill('SIGKILL');
  return exited;
}

/** How long one uninterrupted child takes from "ready" to its exit, so kills can spread over the whole send. */
async function calibrate(attach: string): Promise<number> {
  const ready = join(dataDir, 'ready-calibrate');
  const args = [dataDir, emulator.authorityHost, emulator.graphRoot, DEMO.graphResource, bodyFile, 'calibrate', ready, attach];
  const proc = spawnOwned(process.execPath, ['--import', 'tsx', child, ...args], { cwd: root, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!existsSync(ready) && proc.exitCode === null && Date.now() < deadline) await sleep(5);
  const start = Date.now();
  expect(await exited).toBe(0);
  return Date.now() - start;
}

async function killLoop(rounds: number, attach: string, size: number | null) {
  const h = sendHarness(emulator, dataDir);
  const profileId = await h.saveProfile(DEMO.draftApp);
  // Each Graph call takes a while, so kills land between lookup, draft, journal, chunks and send.
  emulator.setFault({ match: { path: /\/messages/i, host: 'graph' }, action: { type: 'latency', ms: 150 } });
  const fullRunMs = await calibrate(attach);
  // Up to a little past the end of a whole run: from before the first request to after the last.
  const maxDelayMs = Math.ceil(fullRunMs * 1.1);
  let finished = 0;
  // Where the kills fell, read from the mailbox: no draft yet, a draft not yet sent, already sent.
  const fell = { beforeDraft: 0, draftNotSent: 0, sent: 0 };
  for (let round = 0; round < rounds; round += 1) {
    const key = `order-${round}`;
    const marker = idempotentMessageId(profileId, key, DEMO.sender.upn);
    const withMarker = () => emulator.sentMessages().filter((m) => m.internetMessageId === marker);
    const code = await killedRun(key, round, Math.floor(Math.random() * maxDelayMs), attach);
    if (code !== null) finished += 1;
    expect(withMarker().length).toBeLessThanOrEqual(1);
    const items = emulator.mailboxItems(DEMO.sender.upn).filter((m) => m.internetMessageId === marker);
    if (withMarker().length === 1) fell.sent += 1;
    else if (items.length > 0) fell.draftNotSent += 1;
    else fell.beforeDraft += 1;
    const rerun = await h.send(bodyFile, ['--idempotency-key', key, ...(attach === '' ? [] : ['--attach', attach])]);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(withMarker()).toHaveLength(1);
    if (size !== null) expect(withMarker()[0]?.attachments.map((a) => a.size)).toEqual([size]);
    // No second draft for the key, whatever the kill interrupted.
    expect(emulator.mailboxItems(DEMO.sender.upn).filter((m) => m.internetMessageId === marker)).toHaveLength(1);
  }
  expect(emulator.sentMessages()).toHaveLength(rounds + 1);
  return `a whole run: ${fullRunMs} ms; children that finished before the kill: ${finished} of ${rounds}; killed before the draft: ${fell.beforeDraft}, between draft and send: ${fell.draftNotSent}, after the send: ${fell.sent}`;
}

describe('Absender send under kill -9 (child processes against the emulator)', () => {
  it('50 kills at random points of a send, each followed by a rerun: exactly one message every time', async (ctx) => {
    const where = await killLoop(50, '', null);
    await ctx.annotate(where);
  }, 600_000);

  it('20 kills at random points of an upload-session send (6 MB, 2 chunks), each followed by a rerun', async (ctx) => {
    const attach = join(dataDir, 'anlage.pdf');
    writeFileSync(attach, randomBytes(6 * 1024 * 1024));
    const where = await killLoop(20, attach, 6 * 1024 * 1024);
    await ctx.annotate(where);
  }, 600_000);
});
