import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_DATA_DIR_NAME, demoDataDir, demoEntryPath, demoTrustSwitch, wantsDemo } from './demo-handoff';

describe('demo handoff', () => {
  it('trusts one leaf key through Chromium’s SPKI list, never a list or a blanket switch', () => {
    const spki = 'q1Yp0cJ5m0Pp0m0mJkq9cQ3o6m4nVw8rYbJ7x0tZp2k=';
    expect(demoTrustSwitch({ spkiFingerprint: spki })).toEqual(['ignore-certificate-errors-spki-list', spki]);
    for (const bad of ['', `${spki},${spki}`, 'true', spki.slice(1)]) {
      expect(() => demoTrustSwitch({ spkiFingerprint: bad }), bad).toThrow('not one SHA-256 SPKI fingerprint');
    }
  });

  it('--demo anywhere on the command line; a demo data dir beside the real one, not inside it', () => {
    expect(wantsDemo(['/opt/Absender/absender', '--demo'])).toBe(true);
    expect(wantsDemo(['electron', '.', '--no-demo'])).toBe(false);
    expect(demoDataDir('/home/a/.config')).toBe(join('/home/a/.config', DEMO_DATA_DIR_NAME));
    expect(demoDataDir('/home/a/.config')).not.toBe(join('/home/a/.config', 'Absender'));
    expect(demoEntryPath('/app/dist/electron/main')).toBe(join('/app/dist/electron/demo/index.js'));
  });
});
