// Round trips of `Absender send`, counted at the emulator: a small message with a warm token is one
// sendMail; a 20 MB attachment is the minimum the upload path allows (draft + session + chunks + send).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, startEmulator } from '../../e2e/emulator';
import { sendHarness } from '../../electron/core/cli/testing/send-harness';
import { UPLOAD_CHUNK_BYTES } from '../../electron/core/mail/attachments';
import type { BenchCase, BenchResult } from '../types';

export const ids = ['send.roundtrips.small_warm', 'send.roundtrips.20mb'] as const;

const ATTACHMENT_BYTES = 20 * 1024 * 1024;

export const run: BenchCase = async () => {
  const emulator = await startEmulator();
  const dir = await mkdtemp(join(tmpdir(), 'absender-bench-send-'));
  try {
    // One core for every run: the token cache is warm after the first send.
    const h = sendHarness(emulator, dir, { keepCore: true });
    await h.saveProfile(DEMO.draftApp);
    const body = join(dir, 'body.txt');
    await writeFile(body, 'Ihre Bestellung ist unterwegs.');
    const counted = async (extra: string[]): Promise<number> => {
      emulator.clearRequests();
      const result = await h.send(body, extra);
      if (result.exitCode !== 0) throw new Error(`send ended with ${result.exitCode}: ${result.stderr}`);
      return emulator.requests().length;
    };
    await counted([]); // cold: token + sendMail
    const smallWarm = await counted([]);
    const attachment = join(dir, 'archiv.zip');
    await writeFile(attachment, randomBytes(ATTACHMENT_BYTES));
    const big = await counted(['--attach', attachment]);
    const minimum = 1 + 1 + Math.ceil(ATTACHMENT_BYTES / UPLOAD_CHUNK_BYTES) + 1;
    const results: BenchResult[] = [
      { id: ids[0], value: smallWarm, unit: 'count', target: '= 1', ok: smallWarm === 1 },
      { id: ids[1], value: big, unit: 'count', target: `= ${minimum}`, ok: big === minimum },
    ];
    return results;
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
};
