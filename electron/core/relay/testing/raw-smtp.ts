import { connect, type Socket } from 'node:net';

/** A raw SMTP conversation for hostile input: write anything, read whole replies (multi-line included). */
export class RawSmtp {
  private buffer = '';
  private waiters: Array<() => void> = [];
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.on('data', (c: Buffer) => {
      this.buffer += c.toString('latin1');
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawSmtp> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => resolve(new RawSmtp(socket)));
      socket.once('error', reject);
    });
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(data: string | Buffer): void {
    if (!this.closed) this.socket.write(data);
  }

  /** The next complete reply ("250-…\r\n250 …\r\n"), or null when the server closed first or timeoutMs passed. */
  async reply(timeoutMs = 10_000): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m[0].length);
        return m[0];
      }
      if (this.closed || Date.now() > deadline) return null;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, Math.max(1, deadline - Date.now()));
      });
    }
  }

  async command(line: string, timeoutMs?: number): Promise<string | null> {
    this.write(`${line}\r\n`);
    return this.reply(timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }
}

export const authPlain = (user: string, password: string): string => Buffer.from(`\0${user}\0${password}`).toString('base64');
