import { afterEach, describe, expect, it } from 'vitest';
import type { RelayStatusView } from '../../../shared/ipc/contract';
import { refreshRelayStatus } from './relay-store';

const status = { running: false, counts: { pending: 0, sending: 0, sent: 0, failed: 0 } } as unknown as RelayStatusView;

/** The bridge the renderer's api reads from window.absender: counts the status reads and answers when told. */
function fakeBridge() {
  const answers: Array<() => void> = [];
  const bridge = {
    relay: {
      status: () =>
        new Promise<{ ok: true; value: RelayStatusView }>((resolve) => answers.push(() => resolve({ ok: true, value: status }))),
    },
  };
  (globalThis as unknown as { window: unknown }).window = { absender: bridge };
  return answers;
}

afterEach(() => {
  delete (globalThis as unknown as { window?: unknown }).window;
});

describe('refreshRelayStatus', () => {
  it('shares one read among calls while it is under way (the panel opening and the first subscriber), then reads anew', async () => {
    const answers = fakeBridge();
    const first = refreshRelayStatus();
    const second = refreshRelayStatus();
    await Promise.resolve();
    expect(answers).toHaveLength(1);
    answers[0]?.();
    await Promise.all([first, second]);
    const third = refreshRelayStatus();
    await Promise.resolve();
    expect(answers).toHaveLength(2);
    answers[1]?.();
    await third;
  });
});
