import type { BrowserWindow } from 'electron';

type FocusableWindow = Pick<BrowserWindow, 'isMinimized' | 'restore' | 'focus' | 'isDestroyed'>;

/** app 'second-instance': bring the running window back; focus() alone leaves a minimised one in the taskbar. */
export function focusExistingWindow(win: FocusableWindow | undefined): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.focus();
}
