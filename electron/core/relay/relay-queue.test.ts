import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFsSeam, type FsSeam } from '../storage/fs-seam';
import { newQueueId, RelayQueue } from './relay-queue';

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

  it('an aborted or crashed write leaves no message: the temp file is removed or swept at start', () => {
    const queue = new RelayQueue(dataDir());
    const writer = queue.open(envelope(newQueueId(1)));
    writer.write(Buffer.from('halb'));
    writer.abort();
    writeFileSync(join(queue.dir, `${newQueueId(2)}.msg.tmp-abcd`), 'crash');
    expect(queue.sweepTemps()).toBe(1);
    expect(readdirSync(queue.dir)).toEqual([]);
  });
});
