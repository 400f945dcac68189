import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Handler } from '../../core/ipc/request-handlers';

/** Only frames of the app's own page may call the API; anything else is refused before parsing. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, appUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    const app = new URL(appUrl);
    return url.protocol === app.protocol && url.host === app.host && url.pathname === app.pathname;
  } catch {
    return false;
  }
}

export function registerHandlers(ipcMain: Pick<IpcMain, 'handle'>, handlers: Map<string, Handler>, appUrl: string): void {
  for (const [channel, handler] of handlers) {
    ipcMain.handle(channel, (event, arg: unknown) =>
      isTrustedSender(event, appUrl) ? handler(arg) : Promise.reject(new Error('IPC sender refused')),
    );
  }
}
