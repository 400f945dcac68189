// Child process for the relay lock race: waits for the parent's start time, then takes the relay lock of
// <dataDir> with the real module and reports `won` or `lost`; a winner holds the lock until killed.
// Usage: node --import tsx lock-race-child.ts <dataDir>   (with an IPC channel)
import { acquireRelayLock, RelayLockedError } from '../relay-lock';

const [dataDir = ''] = process.argv.slice(2);
process.on('message', (message: { at: number }) => {
  // Spin to the common start so the contenders really overlap (a timer would spread them by milliseconds).
  while (Date.now() < message.at);
  try {
    acquireRelayLock(dataDir, { host: '127.0.0.1', port: 2525 });
    process.send?.('won');
  } catch (error) {
    process.send?.(error instanceof RelayLockedError ? 'lost' : `error ${String(error)}`);
  }
});
process.send?.('ready');
