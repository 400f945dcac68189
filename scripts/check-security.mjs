// Static security gate (part of npm run lint): patterns that must never appear in our source,
// with the few files allowed to hold a pattern on purpose. Each rule proves itself on a sample first.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const RULES = [
  {
    id: 'EL-21 TLS',
    re: /rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED\s*=|ignoreHTTPSErrors\s*:\s*true|setCertificateVerifyProc|['"]certificate-error['"]/,
    sample: 'new Agent({ rejectUnauthorized: false })',
  },
  {
    id: 'EL-21 switches',
    re: /--ignore-certificate-errors(?!-spki-list)|--disable-web-security/,
    sample: "args: ['--ignore-certificate-errors']",
  },
  {
    id: 'OA-P6 hands off the login page',
    re: /\.(executeJavaScript|insertCSS)\(/,
    sample: 'win.webContents.executeJavaScript(code)',
  },
  {
    id: 'EL-15 one openExternal wrapper',
    re: /shell\.openExternal\(/,
    sample: 'shell.openExternal(url)',
    allow: ['electron/main/index.ts'],
  },
  {
    id: 'EL-2 one webPreferences factory',
    re: /webPreferences\s*:/,
    sample: 'webPreferences: { nodeIntegration: true }',
    allow: ['electron/main/window-factory.ts', 'electron/main/adapters/popup-options.ts'],
  },
  {
    id: 'EL-10 no Blink features',
    re: /enableBlinkFeatures|nodeIntegration\s*:\s*true|contextIsolation\s*:\s*false|sandbox\s*:\s*false/,
    sample: 'contextIsolation: false',
  },
  { id: 'DS-1 store options', re: /clearInvalidConfig\s*:\s*true|initRenderer\(/, sample: 'clearInvalidConfig: true' },
  {
    // Plain http only for the loopback redirect (RFC 8252) and the proxy URL built from the admin's setting.
    id: 'EL-1 https only',
    re: /['"`]http:\/\/(?!localhost\b|127\.0\.0\.1\b|\$\{)/,
    sample: "fetch('http://graph.microsoft.com/v1.0/me')",
    only: /^(electron|renderer|shared)\//,
  },
  {
    // Endpoints are fixed in code per cloud: no environment variable can point the app at another host.
    id: 'OA-7 fixed endpoints',
    re: /\bprocess\.env\b/,
    sample: "const authority = process.env['AUTHORITY_HOST'];",
    only: /^(electron\/core|shared|renderer)\/(?!(.*\/)?testing\/)/,
  },
  {
    // Plaintext only for the token request itself: the modules that call MSAL, and the vault.
    id: 'SH-8 plaintext via withSecret',
    re: /\.withSecret\(/,
    sample: "vault.withSecret(id, 'clientSecret', (s) => log(s))",
    only: /^(electron|renderer|shared)\/(?!(.*\/)?testing\/)/,
    allow: [
      // The one place that decrypts an app credential (secret or certificate key) for a token request.
      'electron/core/auth/app-credential.ts',
      'electron/core/auth/client-credentials.ts',
      'electron/core/auth/token-cache-plugin.ts',
      'electron/core/vault/secret-vault.ts',
    ],
  },
  {
    id: 'SH-3 no console in the app',
    re: /\bconsole\.(log|info|warn|error|debug)\(/,
    sample: 'console.log(token)',
    only: /^(electron|renderer|shared)\//,
  },
];

for (const rule of RULES) {
  if (!rule.re.test(rule.sample)) throw new Error(`check-security: rule "${rule.id}" does not catch its own sample`);
}

const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts', '*.tsx', '*.js', '*.mjs', '*.cjs'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter(
    (f) =>
      f &&
      !f.startsWith('node_modules/') &&
      !f.startsWith('dist/') &&
      f !== 'scripts/check-security.mjs' &&
      !/\.test\.tsx?$/.test(f),
  );

const findings = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // deleted in the working tree
  }
  const lines = text.split('\n');
  for (const rule of RULES) {
    if (rule.allow?.includes(file) || (rule.only && !rule.only.test(file))) continue;
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, ''); // comments may name a pattern
      if (rule.re.test(code)) findings.push(`${file}:${i + 1}  [${rule.id}]  ${line.trim()}`);
    });
  }
}

// EL-19: the fuses are declared in one place (electron-builder.yml) and must keep these values.
const REQUIRED_FUSES = {
  runAsNode: 'false',
  enableNodeOptionsEnvironmentVariable: 'false',
  enableNodeCliInspectArguments: 'false',
  grantFileProtocolExtraPrivileges: 'false',
  onlyLoadAppFromAsar: 'true',
  enableEmbeddedAsarIntegrityValidation: 'true',
  enableCookieEncryption: 'true',
};
const builder = readFileSync('electron-builder.yml', 'utf8');
const fuseBlock = builder.split(/^electronFuses:\s*$/m)[1]?.split(/^\S/m)[0] ?? '';
for (const [fuse, value] of Object.entries(REQUIRED_FUSES)) {
  const actual = new RegExp(`^\\s+${fuse}:\\s*(\\w+)`, 'm').exec(fuseBlock)?.[1];
  if (actual !== value) findings.push(`electron-builder.yml  [EL-19 fuses]  ${fuse} must be ${value}, is ${actual ?? 'missing'}`);
}

if (findings.length > 0) {
  console.error(`check-security: ${findings.length} finding(s)\n${findings.join('\n')}`);
  process.exit(1);
}
console.log(`check-security: ${RULES.length} rules, ${files.length} files, no findings`);
