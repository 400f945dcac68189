import { rootCertificates } from 'node:tls';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Agent, getGlobalDispatcher, setGlobalDispatcher, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa } from './ca';
import { DEMO, startEmulator, type Emulator } from './index';

// An emulator with its own CA (not the run CA in NODE_EXTRA_CA_CERTS): what an outside caller of startEmulator gets.
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ ca: createCa() });
});
afterAll(async () => {
  await emu.close();
});

describe('TLS trust', () => {
  // EL-21: verification stays on; an untrusted CA is refused.
  it('is refused when the CA is not trusted (verification stays on)', async () => {
    const e: unknown = await fetch(`${emu.authorityHost}/common/oauth2/nativeclient`).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(TypeError);
    expect(String((e as { cause?: unknown }).cause)).toMatch(/certificate/i);
  });

  it('works with caCertPem passed to an undici Agent, also for MSAL via the global dispatcher', async () => {
    const agent = new Agent({ connect: { ca: [...rootCertificates, emu.caCertPem] } });
    const res = await undiciFetch(`${emu.authorityHost}/common/oauth2/nativeclient`, { dispatcher: agent });
    expect(res.status).toBe(200);
    const previous = getGlobalDispatcher();
    setGlobalDispatcher(agent);
    try {
      const app = new ConfidentialClientApplication({
        auth: { clientId: DEMO.confidentialApp.clientId, clientSecret: DEMO.confidentialApp.secretValue, ...emu.msalAuthority() },
      });
      const result = await app.acquireTokenByClientCredential({ scopes: [DEMO.graphDefaultScope] });
      expect(result?.accessToken).toBeTruthy();
    } finally {
      setGlobalDispatcher(previous);
      await agent.close();
    }
  });
});
