import type { RelayQueueRow } from '../../../shared/ipc/contract';

export interface QueueFeedDeps {
  list: () => Promise<RelayQueueRow[]>;
  /** relay.changed: the core sends one per change of the queue, the logins or the listener (debounced). */
  onChanged: (listener: () => void) => () => void;
}

/**
 * The relay panel's queue rows: listed once when the panel opens and once per relay.changed. Every action of the
 * panel (start, stop, retry, delete, a login) ends in exactly one relay.changed, so that is its one refresh; the
 * action's own answer is not listed again (before, an answered status and the event each listed the queue).
 * A listing overtaken by a later one is dropped, so rows never go back to an older queue.
 */
export function followRelayQueue(deps: QueueFeedDeps, onRows: (rows: RelayQueueRow[]) => void): () => void {
  let latest = 0;
  let live = true;
  const refresh = (): void => {
    const seq = ++latest;
    const take = (rows: RelayQueueRow[]) => {
      if (live && seq === latest) onRows(rows);
    };
    deps.list().then(take, () => take([]));
  };
  const off = deps.onChanged(refresh);
  refresh();
  return () => {
    live = false;
    off();
  };
}
