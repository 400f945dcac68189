import { describe, expect, it } from 'vitest';
import { focusExistingWindow } from './focus-window';

function fakeWindow(state: { minimized: boolean; destroyed?: boolean }) {
  const calls: string[] = [];
  const win = {
    isMinimized: () => state.minimized,
    isDestroyed: () => state.destroyed ?? false,
    restore: () => {
      calls.push('restore');
      state.minimized = false;
    },
    focus: () => void calls.push(state.minimized ? 'focus-while-minimised' : 'focus'),
  };
  return { win, calls };
}

// DS-3: a second instance quits and the first one comes to the front.
describe('focusExistingWindow (second instance)', () => {
  it('restores a minimised window before focusing it', () => {
    const { win, calls } = fakeWindow({ minimized: true });
    focusExistingWindow(win);
    expect(calls).toEqual(['restore', 'focus']);
  });

  it('only focuses a window that is not minimised', () => {
    const { win, calls } = fakeWindow({ minimized: false });
    focusExistingWindow(win);
    expect(calls).toEqual(['focus']);
  });

  it('does nothing before the window exists or after it is gone', () => {
    const { win, calls } = fakeWindow({ minimized: true, destroyed: true });
    focusExistingWindow(win);
    focusExistingWindow(undefined);
    expect(calls).toEqual([]);
  });
});
