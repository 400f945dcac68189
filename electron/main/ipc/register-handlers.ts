import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Handler } from '../../core/ipc/request-handlers';
import { isTrustedFrame } from './trusted-sender';

/** Electron's senderFrame under the shared rule (null once the frame navigated away or is gone); refused before parsing. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, appUrl: string): boolean {
  const frame = event.senderFrame;
  return isTrustedFrame(frame && { url: frame.url, isMainFrame: frame.parent === null }, appUrl);
}

export function registerHandlers(ipcMain: Pick<IpcMain, 'handle'>, handlers: Map<string, Handler>, appUrl: string): void {
  for (const [channel, handler] of handlers) {
    ipcMain.handle(channel, (event, arg: unknown) =>
      isTrustedSender(event, appUrl) ? handler(arg) : Promise.reject(new Error('IPC sender refused')),
    );
  }
}
