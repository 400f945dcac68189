import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFsSeam, type FsSeam } from '../storage/fs-seam';
import { FileLane, newQueueId, RelayQueue } from './relay-queue';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'absender-queue-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const envelope = (id: string) => ({
  id,
  profileId: 'p1',
  mailFrom: 'a@contoso.com',
  rcptTo: ['b@example.com'],
  acceptedAt: new Date(0).toISOString(),
  clientAddress: '127.0.0.1',
  messageId: '',
  addedMessageId: false,
});

describe('relay queue', () => {
  it('commits message + envelope under a final name only after fsync of file and directory; reads both back', async () => {
    const calls: string[] = [];
    const seam: FsSeam = {
      ...nodeFsSeam,
      fsyncSync: (fd) => {
        calls.push('fsync');
        nodeFsSeam.fsyncSync(fd);
      },
      renameSync: (a, b) => {
        calls.push('rename');
        nodeFsSeam.renameSync(a, b);
      },
    };
    const queue = new RelayQueue(dataDir(), seam);
    const id = newQueueId(Date.now());
    const writer = queue.open(envelope(id));
    const message = Buffer.from('Subject: x\r\n\r\n#absender-relay-envelope {"fake":true}\r\n');
    writer.write(message);
    expect(queue.ids()).toEqual([]);
    await writer.commit({ messageId: '<m@x>', addedMessageId: true });
    expect(calls).toEqual(['fsync', 'rename', 'fsync']);
    expect(queue.ids()).toEqual([id]);
    expect(queue.readMessage(id).equals(message)).toBe(true);
    expect(queue.readEnvelope(id)).toMatchObject({ id, messageId: '<m@x>', size: message.length });
    expect(statSync(join(queue.dir, `${id}.msg`)).mode & 0o777).toBe(0o600);
  });

  it('an aborted or crashed write leaves no message: the temp file is removed or swept at start', async () => {
    const queue = new RelayQueue(dataDir());
    const writer = queue.open(envelope(newQueueId(1)));
    writer.write(Buffer.from('halb'));
    await writer.abort();
    writeFileSync(join(queue.dir, `${newQueueId(2)}.msg.tmp-abcd`), 'crash');
    expect(queue.sweepTemps()).toBe(1);
    expect(readdirSync(queue.dir)).toEqual([]);
  });

  it('off the event loop: chunks land in order, past the high-water mark write() asks to pause until drained', async () => {
    const queue = new RelayQueue(dataDir());
    const id = newQueueId(Date.now());
    const writer = queue.open(envelope(id));
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(64 * 1024, i));
    const answers = chunks.map((c) => writer.write(c));
    // 40 × 64 KB queued at once is past 1 MB: the later writes say "pause".
    expect(answers.slice(0, 4).every(Boolean)).toBe(true);
    expect(answers.at(-1)).toBe(false);
    await writer.drained();
    const committed = await writer.commit({ messageId: '<gross@x>', addedMessageId: false });
    expect(committed.size).toBe(40 * 64 * 1024);
    expect(queue.readMessage(id).equals(Buffer.concat(chunks))).toBe(true);
    expect(readdirSync(queue.dir)).toEqual([`${id}.msg`]);
  });

  it('off the event loop: a temp file that cannot be made fails the commit (no 250), abort leaves nothing', async () => {
    const queue = new RelayQueue(dataDir());
    rmSync(queue.dir, { recursive: true });
    const writer = queue.open(envelope(newQueueId(3)));
    writer.write(Buffer.from('Subject: x\r\n\r\nx'));
    await expect(writer.commit({ messageId: '<m@x>', addedMessageId: true })).rejects.toMatchObject({ code: 'ENOENT' });
    await writer.abort();
    expect(() => writer.write(Buffer.from('more'))).toThrow(/closed/);
  });

  it('the worker lane runs one task at a time, in the order they came', async () => {
    const lane = new FileLane(1);
    const log: string[] = [];
    let release: () => void = () => undefined;
    const first = lane.run(async () => {
      log.push('1 start');
      await new Promise<void>((resolve) => (release = resolve));
      log.push('1 end');
    });
    const second = lane.run(() => {
      log.push('2');
      return Promise.resolve(2);
    });
    const third = lane.run(() => Promise.reject(new Error('3 failed')));
    const fourth = lane.run(() => {
      log.push('4');
      return Promise.resolve();
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toEqual(['1 start']);
    release();
    await first;
    await expect(second).resolves.toBe(2);
    await expect(third).rejects.toThrow('3 failed');
    await fourth;
    expect(log).toEqual(['1 start', '1 end', '2', '4']);
  });
});
