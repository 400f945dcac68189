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
