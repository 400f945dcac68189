import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../ports';
import { SettingsService } from './settings-service';

const memoryStore = (initial: Record<string, unknown> = {}): KeyValueStore => {
  const data = new Map(Object.entries(initial));
  return { get: (k) => data.get(k), set: (k, v) => void data.set(k, v), delete: (k) => void data.delete(k) };
};

describe('SettingsService: the manual notes folded away', () => {
  it('are shown in files written before the setting existed', () => {
    const store = memoryStore({ settings: { language: 'de', acceptedWeakEncryption: false } });
    expect(new SettingsService(store).get().manualHintsCollapsed).toBe(false);
  });

  it('stay folded for the next start once the admin folds them, and other settings stay as they were', () => {
    const store = memoryStore({ settings: { language: 'en', acceptedWeakEncryption: true } });
    new SettingsService(store).update({ manualHintsCollapsed: true });
    const again = new SettingsService(store).get();
    expect(again.manualHintsCollapsed).toBe(true);
    expect(again.language).toBe('en');
    expect(again.acceptedWeakEncryption).toBe(true);
    new SettingsService(store).update({ manualHintsCollapsed: false });
    expect(new SettingsService(store).get().manualHintsCollapsed).toBe(false);
  });
});

describe('SettingsService: a host default for the relay (the test host on a free port)', () => {
  it('stands without a file, and in a file without relay settings; the product default elsewhere', () => {
    expect(new SettingsService(memoryStore(), { relay: { port: 0 } }).get().relay).toEqual({
      enabled: false,
      host: '127.0.0.1',
      port: 0,
      allowClients: [],
    });
    const old = memoryStore({ settings: { language: 'de', acceptedWeakEncryption: false } });
    expect(new SettingsService(old, { relay: { port: 0 } }).get().relay.port).toBe(0);
    expect(new SettingsService(old).get().relay.port).toBe(2525);
  });

  it("survives a save of another setting, and gives way to the admin's own relay settings", () => {
    const store = memoryStore({ settings: { language: 'de', acceptedWeakEncryption: false } });
    const service = new SettingsService(store, { relay: { port: 0 } });
    service.update({ language: 'en' });
    expect(new SettingsService(store, { relay: { port: 0 } }).get()).toMatchObject({ language: 'en', relay: { port: 0 } });
    service.update({ relay: { enabled: true, host: '127.0.0.1', port: 2626, allowClients: [] } });
    expect(new SettingsService(store, { relay: { port: 0 } }).get().relay).toMatchObject({ enabled: true, port: 2626 });
  });
});
