import { spawnOwned } from '../../testing/owned-children';

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a real client (curl, swaks, python3, smtp-source) as an owned child: it dies with the test. */
export function runTool(
  command: string,
  args: readonly string[],
  options: { input?: string | Buffer; timeoutMs?: number } = {},
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawnOwned(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(options.input ?? '');
  });
}

/** A plain-text message as an ERP hands it over: headers and body with CRLF line ends. */
export function plainEml(message: { from: string; to: string; subject: string; body: string }): string {
  return `From: ${message.from}\r\nTo: ${message.to}\r\nSubject: ${message.subject}\r\n\r\n${message.body}\r\n`;
}

/** curl as the ERP's SMTP client: AUTH with the relay login, the envelope from the options, `file` uploaded as is. */
export function curlSmtp(options: {
  port: number;
  user: string;
  password: string;
  file: string;
  from: string;
  rcpts: readonly string[];
  /** The name curl says in EHLO (the URL's path). */
  client?: string;
}): Promise<ToolRun> {
  return runTool('curl', [
    '-sS',
    `smtp://127.0.0.1:${options.port}/${options.client ?? 'erp'}`,
    '--mail-from',
    options.from,
    ...options.rcpts.flatMap((rcpt) => ['--mail-rcpt', rcpt]),
    '--user',
    `${options.user}:${options.password}`,
    '--upload-file',
    options.file,
  ]);
}
