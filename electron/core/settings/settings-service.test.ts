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
