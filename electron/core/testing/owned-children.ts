import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

// Every child a test starts dies with it: killed after each test (pass, fail or timeout) and when the
// worker exits, so a failed assertion can never leave a writer or a server running for minutes.
const live = new Set<ChildProcess>();

export function spawnOwned(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, options);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGKILL for every child still running; for afterEach and afterAll. Returns how many it had to kill. */
export function killOwnedChildren(): number {
  let killed = 0;
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')) killed += 1;
    live.delete(child);
  }
  return killed;
}

export const ownedChildCount = (): number => live.size;

process.once('exit', () => killOwnedChildren());
