import { createHash, createPublicKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

/** Env var naming the directory of the per-run CA (set by the vitest/Playwright global setups). */
export const CA_DIR_ENV = 'ABSENDER_EMULATOR_CA_DIR';
export const CA_CERT_FILE = 'ca-cert.pem';
const CA_KEY_FILE = 'ca-key.pem';

export interface RunCa {
  dir: string;
  caCertPath: string;
  caCertPem: string;
  caKeyPem: string;
  /** true when this call generated the CA (the caller owns the directory and may delete it). */
  created: boolean;
}

export interface LeafCert {
  certPem: string;
  keyPem: string;
  /** base64 SHA-256 of the leaf's SubjectPublicKeyInfo, for Chromium's --ignore-certificate-errors-spki-list. */
  spkiFingerprint: string;
}

// RSA keys come from node:crypto (native, fast); node-forge only builds and signs the X.509 structures.
function rsaKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

function serialNumber(): string {
  // Positive (high bit clear) 16-byte serial, as RFC 5280 requires.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

/** Creates a self-signed CA (valid 2 days) in memory. */
export function createCa(): { caCertPem: string; caKeyPem: string } {
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + 2 * 24 * 60 * 60 * 1000);
  const subject = [
    { name: 'commonName', value: `Absender Emulator Test CA ${new Date(now).toISOString()}` },
    { name: 'organizationName', value: 'Absender e2e (not trusted outside tests)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha256.create());
  return { caCertPem: forge.pki.certificateToPem(cert), caKeyPem: keys.privateKeyPem };
}

/** Writes a CA into a fresh temp directory. */
export function writeCa(ca: { caCertPem: string; caKeyPem: string }, dir?: string): string {
  const target = dir ?? mkdtempSync(join(tmpdir(), 'absender-emulator-ca-'));
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, CA_CERT_FILE), ca.caCertPem);
  writeFileSync(join(target, CA_KEY_FILE), ca.caKeyPem, { mode: 0o600 });
  return target;
}

export function loadCa(dir: string): RunCa | undefined {
  const caCertPath = join(dir, CA_CERT_FILE);
  const keyPath = join(dir, CA_KEY_FILE);
  if (!existsSync(caCertPath) || !existsSync(keyPath)) return undefined;
  const caCertPem = readFileSync(caCertPath, 'utf8');
  // A CA left over from an earlier run may have expired; then the caller makes a new one.
  if (new Date(new X509Certificate(caCertPem).validTo).getTime() < Date.now() + 60 * 60 * 1000) return undefined;
  return { dir, caCertPath, caCertPem, caKeyPem: readFileSync(keyPath, 'utf8'), created: false };
}

/**
 * The CA of this test run: reuses the one named by ABSENDER_EMULATOR_CA_DIR, else creates one in a temp dir.
 * With `exportToEnv`, sets NODE_EXTRA_CA_CERTS and ABSENDER_EMULATOR_CA_DIR so that processes started
 * afterwards (vitest fork workers, Playwright's web server, Electron) trust it. Node reads
 * NODE_EXTRA_CA_CERTS only at start-up, so this never affects the calling process itself.
 */
export function ensureRunCa(options: { exportToEnv?: boolean } = {}): RunCa {
  const fromEnv = process.env[CA_DIR_ENV];
  let ca = fromEnv !== undefined && fromEnv !== '' ? loadCa(fromEnv) : undefined;
  if (ca === undefined) {
    // A named but empty/expired directory is filled in place (and stays the caller's); else a temp dir is ours.
    const named = fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
    const fresh = createCa();
    const dir = writeCa(fresh, named);
    ca = { dir, caCertPath: join(dir, CA_CERT_FILE), ...fresh, created: named === undefined };
  }
  if (options.exportToEnv === true) {
    process.env[CA_DIR_ENV] = ca.dir;
    process.env['NODE_EXTRA_CA_CERTS'] = ca.caCertPath;
  }
  return ca;
}

export function spkiFingerprintOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/** Issues a localhost server certificate (SAN DNS:localhost, IP:127.0.0.1, IP:::1) signed by the CA. */
export function issueLeaf(ca: { caCertPem: string; caKeyPem: string }, hostnames: string[] = ['localhost']): LeafCert {
  const keys = rsaKeyPair();
  const caCert = forge.pki.certificateFromPem(ca.caCertPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  // Short validity keeps well inside browsers' 398-day limit and the CA's own lifetime.
  cert.validity.notAfter = new Date(Math.min(now + 24 * 60 * 60 * 1000, caCert.validity.notAfter.getTime()));
  cert.setSubject([{ name: 'commonName', value: hostnames[0] ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...hostnames.map((value) => ({ type: 2, value })), { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.caKeyPem), forge.md.sha256.create());
  return {
    certPem: forge.pki.certificateToPem(cert),
    keyPem: keys.privateKeyPem,
    spkiFingerprint: spkiFingerprintOf(keys.publicKeyPem),
  };
}
