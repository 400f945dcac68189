import type { ChildProcess } from 'node:child_process';

// Two-process race tests must start their writers together however long each takes to load (tsx on two loaded
// cores can take seconds, and not the same for both). A start time agreed in advance cannot promise that: a child
// that loads late starts alone and the race is never run. So each child reports ready over its IPC channel once
// everything is loaded and opened, and the parent releases all of them only when every one has reported.

const READY = 'barrier:ready';
const GO = 'barrier:go';

/**
 * Child side: tells the parent this process is ready, then resolves on its go. The IPC channel is closed on the go,
 * so it keeps no child alive afterwards. Needs a parent that spawned it with an `ipc` stdio entry.
 */
export function readyThenWaitForGo(): Promise<void> {
  const send = process.send?.bind(process);
  if (send === undefined) return Promise.reject(new Error('no IPC channel: spawn this child with stdio "ipc"'));
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (message !== GO) return;
      process.off('message', onMessage);
      process.disconnect();
      resolve();
    };
    process.on('message', onMessage);
    send(READY);
  });
}

/**
 * Parent side: waits until every child reported ready (a child that ends first fails it, naming its exit code),
 * then sends each its go back to back, and resolves with their exit codes. `children` must have an IPC channel.
 */
export async function releaseTogether(children: readonly ChildProcess[]): Promise<Array<number | null>> {
  const exits = children.map((child) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))));
  await Promise.all(
    children.map(
      (child, index) =>
        new Promise<void>((resolve, reject) => {
          child.on('message', (message) => {
            if (message === READY) resolve();
          });
          void exits[index]?.then((code) => reject(new Error(`child ${index} exited (${String(code)}) before it was ready`)));
        }),
    ),
  );
  for (const child of children) child.send(GO);
  return Promise.all(exits);
}
