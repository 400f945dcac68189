// The demo world: the built-in emulator with the demo tenant, and what the host needs to reach it. Shared by the
// Electron demo entry (electron/demo/index.ts) and the browser preview (scripts/preview.ts); plain Node.
import { DEMO, startEmulator, type Emulator } from '../../e2e/emulator';
import type { DemoInfo } from '../../shared/domain';
import type { AbsenderApi } from '../../shared/ipc/contract';
import type { DemoHandoff } from '../main/demo-handoff';

/** The banner's accounts: the emulator's test users that can sign in to a mailbox (never real ones). */
export const DEMO_INFO: DemoInfo = {
  tenantId: DEMO.tenantId,
  tenantDomain: DEMO.tenantDomain,
  accounts: [DEMO.sender, DEMO.mfaUser, DEMO.otherMailbox].map((u) => ({ upn: u.upn, password: u.password })),
  mfaCode: DEMO.mfaCode,
};

export const DEMO_PROFILE_NAMES = {
  clientSecret: { de: 'Demo: Bestellung (geheimer Clientschlüssel)', en: 'Demo: orders (client secret)' },
  modernAuth: { de: 'Demo: Bestellung (Modern Authentication)', en: 'Demo: orders (Modern Authentication)' },
} as const;

const DAY = 24 * 60 * 60 * 1000;
/** The demo world dates the RBAC app's secret 360 days from today (UTC), as Entra would show it. */
const rbacSecretExpiry = (): string => new Date((Math.floor(Date.now() / DAY) + 360) * DAY).toISOString().slice(0, 10);

/** One profile of each type, only into an empty data dir (a demo the admin changed stays as it is). */
export async function seedDemoProfiles(api: AbsenderApi, language: 'de' | 'en'): Promise<void> {
  if ((await api.profiles.list()).length > 0) return;
  const common = { senderAddress: DEMO.sender.upn, mailboxAddress: DEMO.sender.upn, tenant: DEMO.tenantId };
  await api.profiles.save({
    draft: {
      ...common,
      name: DEMO_PROFILE_NAMES.clientSecret[language],
      accountType: 'client-secret',
      // The recommended set-up: RBAC for Applications limits the app to the sender mailbox (the guide's last step).
      clientId: DEMO.rbacApp.clientId,
      secretExpiresOn: rbacSecretExpiry(),
    },
    clientSecret: DEMO.rbacApp.secretValue,
  });
  await api.profiles.save({
    draft: {
      ...common,
      name: DEMO_PROFILE_NAMES.modernAuth[language],
      accountType: 'modern-auth',
      clientId: DEMO.publicApp.clientId,
      secretExpiresOn: '',
    },
  });
}

export interface DemoSession extends DemoHandoff {
  readonly emulator: Emulator;
}

/** Starts the emulator (its own fresh CA, removed on close) and describes it for the host. */
export async function startDemoSession(): Promise<DemoSession> {
  const emulator = await startEmulator();
  return {
    emulator,
    demo: DEMO_INFO,
    network: {
      endpoints: {
        global: { authorityHost: emulator.authorityHost, graphRoot: emulator.graphRoot, graphResource: DEMO.graphResource },
      },
    },
    trust: { spkiFingerprint: emulator.spkiFingerprint },
    seed: (api, language) => seedDemoProfiles(api, language),
    close: () => emulator.close(),
  };
}
