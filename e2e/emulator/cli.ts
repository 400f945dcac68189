/**
 * npm run emulator [-- --login-port 8443 --graph-port 8444 --world world.json]
 * Starts the Entra ID + Graph emulator with the demo world (or a JSON world) and prints how to use it.
 */
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CA_DIR_ENV, DEMO, ensureRunCa, loadWorldJson, startEmulator } from './index';

const { values } = parseArgs({
  options: {
    'login-port': { type: 'string', default: '8443' },
    'graph-port': { type: 'string', default: '8444' },
    world: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

// The CLI keeps one CA per ABSENDER_EMULATOR_CA_DIR (or a fresh temp one); print it so callers can trust it.
// A stable default directory, so a CA trusted once keeps working across restarts (until it expires after 2 days).
process.env[CA_DIR_ENV] ??= join(tmpdir(), 'absender-emulator-ca');
const ca = ensureRunCa();

const emu = await startEmulator({
  loginPort: Number(values['login-port']),
  graphPort: Number(values['graph-port']),
  ...(values.world === undefined ? {} : { world: loadWorldJson(values.world) }),
});

const info = {
  authorityHost: emu.authorityHost,
  authority: `${emu.authorityHost}/${DEMO.tenantId}`,
  graphBaseUrl: emu.graphBaseUrl,
  graphRoot: emu.graphRoot,
  caCertPath: emu.caCertPath,
  caDir: ca.dir,
  spkiFingerprint: emu.spkiFingerprint,
  msal: emu.msalAuthority(DEMO.tenantId),
  demo: values.world === undefined ? DEMO : undefined,
};

if (values.json) {
  console.log(JSON.stringify(info, null, 2));
} else {
  console.log(`Absender Entra ID + Graph emulator
  Entra ID (authority host): ${emu.authorityHost}
  MSAL authority:            ${info.authority}   knownAuthorities: ${JSON.stringify(info.msal.knownAuthorities)}
  Graph:                     ${emu.graphBaseUrl}   (Graph client baseUrl ${emu.graphRoot}, customHosts ['localhost'])
  CA certificate:            ${emu.caCertPath}
      trust it: NODE_EXTRA_CA_CERTS=${emu.caCertPath}   (and ABSENDER_EMULATOR_CA_DIR=${ca.dir} to reuse it)
  Chromium:                  --ignore-certificate-errors-spki-list=${emu.spkiFingerprint}
  Sign-in page:              ${emu.authorityHost}/${DEMO.tenantId}/oauth2/v2.0/authorize?client_id=${DEMO.publicApp.clientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(`${emu.authorityHost}/common/oauth2/nativeclient`)}
`);
  if (values.world === undefined) {
    console.log('Demo world (DEMO):');
    console.log(JSON.stringify(DEMO, null, 2));
  }
  console.log('\nCtrl+C to stop.');
}

const stop = (): void => {
  void emu.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
