import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCore } from '../core/compose-core';
import { openConfStore } from '../core/testing/conf-store';
import { testOsPorts } from '../core/testing/core-fixture';
import { MemoryLogger } from '../core/testing/in-memory';
import { UndiciTransport } from '../core/testing/undici-transport';
import { demoDataDir, demoTrustSwitch } from '../main/demo-handoff';
import { DEMO } from '../../e2e/emulator';
import { DEMO_INFO, DEMO_PROFILE_NAMES, startDemoSession, type DemoSession } from './demo-session';

// The demo composition as the Electron host does it (electron/main/index.ts with --demo), over Node's ports:
// the handoff's endpoints and trust, its data dir under appData, the seed before the window lists profiles.
let session: DemoSession | undefined;
let appData: string | undefined;
afterEach(async () => {
  await session?.close();
  if (appData) await rm(appData, { recursive: true, force: true });
  session = appData = undefined;
});

async function composeDemo(s: DemoSession, dataDir: string) {
  await mkdir(dataDir, { recursive: true });
  return startCore({
    storeFiles: { dir: dataDir, open: (name) => openConfStore(dataDir, name), confirmStartEmpty: () => Promise.resolve(false) },
    // Node's transport trusts the emulator's CA (the Electron host trusts its leaf key through Chromium's switch).
    os: testOsPorts({
      clock: { now: () => new Date() },
      logger: new MemoryLogger(),
      transport: new UndiciTransport({ extraCaPem: s.emulator.caCertPem, systemProxy: '' }),
    }),
    events: { emit: () => undefined },
    host: { version: 'test', host: 'electron', platform: 'linux', osLanguage: 'de', demo: s.demo },
    network: s.network,
  });
}

describe('demo composition', () => {
  it('starts the emulator, seeds one profile per type, and the core tests the client-secret profile against it', async () => {
    session = await startDemoSession();
    appData = await mkdtemp(join(tmpdir(), 'absender-appdata-'));
    const { api } = await composeDemo(session, demoDataDir(appData));
    await session.seed(api, 'en');
    await session.seed(api, 'en'); // a second start of the demo finds its profiles and adds none

    const profiles = await api.profiles.list();
    expect(profiles.map((p) => [p.name, p.accountType]).sort()).toEqual(
      [
        [DEMO_PROFILE_NAMES.modernAuth.en, 'modern-auth'],
        [DEMO_PROFILE_NAMES.clientSecret.en, 'client-secret'],
      ].sort(),
    );
    const secretProfile = profiles.find((p) => p.accountType === 'client-secret');
    if (!secretProfile) throw new Error('no client-secret profile seeded');
    const report = await api.tests.run({ profileId: secretProfile.id });
    expect(report.outcome).toBe('ok');
    // The requests really reached this session's emulator (token from its login host).
    expect(session.emulator.requests().some((r) => r.host === 'login' && r.path.includes('/oauth2/v2.0/token'))).toBe(true);
    expect((await api.app.info()).demo).toEqual(DEMO_INFO);
  });

  it('keeps its data beside the real profiles, never in them: the real data dir is left byte for byte', async () => {
    session = await startDemoSession();
    appData = await mkdtemp(join(tmpdir(), 'absender-appdata-'));
    const realDir = join(appData, 'Absender');
    await mkdir(realDir);
    const realProfiles = '{"profiles":{"real":"untouched"}}';
    await writeFile(join(realDir, 'profiles.json'), realProfiles);

    const dataDir = demoDataDir(appData);
    expect(relative(realDir, dataDir).startsWith('..')).toBe(true);
    const { api } = await composeDemo(session, dataDir);
    await session.seed(api, 'de');

    expect(await readdir(realDir)).toEqual(['profiles.json']);
    expect(await readFile(join(realDir, 'profiles.json'), 'utf8')).toBe(realProfiles);
    expect(await readdir(dataDir)).toEqual(expect.arrayContaining(['profiles.json', 'secrets.json']));
    // The seeded secret went into the vault encrypted, never as plain text into a file.
    for (const file of await readdir(dataDir)) {
      if (file.endsWith('.json')) expect(await readFile(join(dataDir, file), 'utf8')).not.toContain(DEMO.rbacApp.secretValue);
    }
  });

  it('hands the host the emulator, never Microsoft: endpoints and trust name localhost and its own CA', async () => {
    session = await startDemoSession();
    const global = session.network.endpoints?.global;
    expect(new URL(global?.authorityHost ?? '').hostname).toBe('localhost');
    expect(new URL(global?.graphRoot ?? '').hostname).toBe('localhost');
    expect(session.trust).toEqual({ spkiFingerprint: session.emulator.spkiFingerprint });
    expect(demoTrustSwitch(session.trust)).toEqual(['ignore-certificate-errors-spki-list', session.emulator.spkiFingerprint]);
    expect(DEMO_INFO.accounts.map((a) => a.upn)).toContain(DEMO.sender.upn);
  });
});
