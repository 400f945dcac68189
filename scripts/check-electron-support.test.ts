import { describe, expect, it } from 'vitest';
import { isSupported } from './check-electron-support';

describe('supported Electron (EL-16)', () => {
  it.each([
    ['45.5.0', '45.5.0', true],
    ['44.0.1', '46.2.0', true],
    ['43.3.0', '46.0.0', false],
    ['47.0.0', '46.0.0', false],
  ])('electron %s against latest %s → %s', (installed, latest, expected) => {
    expect(isSupported(installed, latest)).toBe(expected);
  });
});
