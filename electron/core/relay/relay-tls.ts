import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import forge from 'node-forge';
import type { Cipher } from '../ports';
import { ensurePrivateDir, nodeFsSeam, writeFileAtomic } from '../storage/fs-seam';

export interface RelayTls {
  key: string;
  cert: string;
  /** SHA-256 of the certificate's DER, as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint: string;
  generated: boolean;
}

export const certificateFingerprint = (certPem: string): string => new X509Certificate(certPem).fingerprint256;

/** A self-signed certificate for the relay's host names, valid for 5 years (ERPs rarely check, admins may pin it). */
export function generateRelayCertificate(hostNames: readonly string[], now: Date): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 3_600_000);
  cert.validity.notAfter = new Date(now.getTime() + 5 * 365 * 86_400_000);
  const subject = [
    { name: 'commonName', value: hostNames[0] ?? 'localhost' },
    { name: 'organizationName', value: 'Absender relay' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: hostNames.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 7, ip: h } : { type: 2, value: h })),
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { key: keyPem, cert: forge.pki.certificateToPem(cert) };
}

/**
 * The admin's certificate when given, else the generated one in `<data dir>/relay/tls.json`: the private key is
 * encrypted with the OS cipher (as the client secrets are), so the same fingerprint survives restarts.
 */
export async function loadRelayTls(
  options: { dataDir: string; cipher: Cipher; hostNames: readonly string[]; now: Date },
  admin?: { key: string; cert: string },
): Promise<RelayTls> {
  if (admin !== undefined) return { ...admin, fingerprint: certificateFingerprint(admin.cert), generated: false };
  const dir = join(options.dataDir, 'relay');
  const file = join(dir, 'tls.json');
  if (nodeFsSeam.existsSync(file)) {
    try {
      const saved = JSON.parse(nodeFsSeam.readFileSync(file).toString('utf8')) as { cert: string; key: string };
      const key = (await options.cipher.decrypt(Buffer.from(saved.key, 'base64'))).plaintext;
      return { key, cert: saved.cert, fingerprint: certificateFingerprint(saved.cert), generated: true };
    } catch {
      // Another account or a damaged file: a new certificate (its new fingerprint is shown at start).
    }
  }
  const made = generateRelayCertificate(options.hostNames, options.now);
  const sealed = (await options.cipher.encrypt(made.key)).toString('base64');
  ensurePrivateDir(dir);
  writeFileAtomic(file, `${JSON.stringify({ version: 1, cert: made.cert, key: sealed }, null, 2)}\n`);
  return { ...made, fingerprint: certificateFingerprint(made.cert), generated: true };
}

export const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 12);
