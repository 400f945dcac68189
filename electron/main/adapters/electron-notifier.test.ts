import { describe, expect, it } from 'vitest';
import type { NotificationConstructorOptions } from 'electron';
import { electronNotifier, type NotificationClass } from './electron-notifier';

function fakeClass(supported: boolean) {
  const made: { options: NotificationConstructorOptions; shown: boolean; handlers: Map<string, () => void> }[] = [];
  const Impl = class {
    private readonly entry;
    constructor(options: NotificationConstructorOptions) {
      this.entry = { options, shown: false, handlers: new Map<string, () => void>() };
      made.push(this.entry);
    }
    static isSupported = () => supported;
    show() {
      this.entry.shown = true;
    }
    on(event: string, listener: () => void) {
      this.entry.handlers.set(event, listener);
      return this;
    }
  };
  return { Impl: Impl as unknown as NotificationClass, made };
}

describe('electronNotifier', () => {
  it('shows the core’s title and body and reports a click with the profile', () => {
    const { Impl, made } = fakeClass(true);
    const clicked: (string | undefined)[] = [];
    electronNotifier(Impl, (n) => clicked.push(n.profileId)).notify({ title: 'T', body: 'B', profileId: 'p1' });
    expect(made.map((m) => [m.options.title, m.options.body, m.shown])).toEqual([['T', 'B', true]]);
    made[0]?.handlers.get('click')?.();
    expect(clicked).toEqual(['p1']);
  });

  it('shows nothing where the OS has no notifications', () => {
    const { Impl, made } = fakeClass(false);
    electronNotifier(Impl, () => undefined).notify({ title: 'T', body: 'B' });
    expect(made).toEqual([]);
  });
});
