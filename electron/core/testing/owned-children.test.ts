import { describe, expect, it } from 'vitest';
import { killOwnedChildren, ownedChildCount, spawnOwned } from './owned-children';

describe('children owned by a test', () => {
  it('kills a child that would otherwise run for minutes', async () => {
    const child = spawnOwned(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    expect(ownedChildCount()).toBe(1);
    expect(killOwnedChildren()).toBe(1);
    expect(await exited).toBe('SIGKILL');
    expect(ownedChildCount()).toBe(0);
  });

  it('forgets children that ended by themselves', async () => {
    const child = spawnOwned(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(ownedChildCount()).toBe(0);
    expect(killOwnedChildren()).toBe(0);
  });
});
