import { useSyncExternalStore } from 'react';
import type { RelayStatusView } from '../../../shared/ipc/contract';
import { api, onEvent } from '../../api';

// One subscription for the whole window: the panel and every list badge read the same relay status.
let current: RelayStatusView | null = null;
const listeners = new Set<() => void>();
let unsubscribe: (() => void) | null = null;

const publish = (next: RelayStatusView): void => {
  current = next;
  for (const listener of listeners) listener();
};

let reading: Promise<void> | null = null;

/**
 * Reads the status again. Calls while one read is under way share it: the panel opening and the store's first
 * subscriber (the same moment when no list badge is drawn yet) ask once, not twice.
 */
export function refreshRelayStatus(): Promise<void> {
  reading ??= api.relay
    .status()
    .then(publish, () => undefined)
    .finally(() => {
      reading = null;
    });
  return reading;
}

export function setRelayStatus(next: RelayStatusView): void {
  publish(next);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (unsubscribe === null) {
    unsubscribe = onEvent('relay.changed', publish);
    void refreshRelayStatus();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && unsubscribe !== null) {
      unsubscribe();
      unsubscribe = null;
    }
  };
}

export function useRelayStatus(): RelayStatusView | null {
  return useSyncExternalStore(subscribe, () => current);
}
