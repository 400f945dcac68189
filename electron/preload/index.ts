import { contextBridge, ipcRenderer } from 'electron';
import { API_EVENTS, API_METHODS } from '../../shared/ipc/manifest';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld(
  'absender',
  createBridge(API_METHODS, API_EVENTS, {
    invoke: (channel, arg) => ipcRenderer.invoke(channel, arg),
    subscribe: (channel, listener) => {
      const handler = (_event: unknown, payload: unknown): void => listener(payload);
      ipcRenderer.on(channel, handler);
      return () => ipcRenderer.removeListener(channel, handler);
    },
  }),
);
