// Certificate credentials: a new RSA key + self-signed certificate, or an imported PFX / PEM pair, checked
// before anything is stored. The private key leaves here only as PKCS#8 PEM, for the vault.

import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { AppError } from '../../../shared/errors';

export const CERT_KEY_BITS = 3072;
export const MIN_IMPORT_KEY_BITS = 2048;
export const DEFAULT_VALIDITY_DAYS = 365;
export const MAX_VALIDITY_DAYS = 730;
const DAY_MS = 86_400_000;

/** What the profile keeps about its certificate: public facts only (what Entra lists beside it). */
export interface CertificateInfo {
  /** SHA-256 of the DER, uppercase hex without separators (Entra's "Fingerabdruck"/"Thumbprint" column style). */
  thumbprintSha256: string;
  /** SHA-1 of the DER, uppercase hex: the thumbprint the Entra portal lists. */
  thumbprintSha1: string;
  subject: string;
  /** ISO instants from the certificate. */
  notBefore: string;
  notAfter: string;
  /** The public certificate, PEM. */
  certPem: string;
}

/** The material to store: the public part on the profile, the private key (PKCS#8 PEM) in the vault only. */
export interface CertificateMaterial {
  info: CertificateInfo;
  privateKeyPem: string;
  origin: 'created' | 'imported';
}

const hex = (alg: 'sha1' | 'sha256', der: Buffer): string => createHash(alg).update(der).digest('hex').toUpperCase();

export function describeCertificate(cert: X509Certificate): CertificateInfo {
  return {
    thumbprintSha256: hex('sha256', cert.raw),
    thumbprintSha1: hex('sha1', cert.raw),
    subject: cert.subject,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    certPem: cert.toString(),
  };
}

/** The public certificate as Entra's upload takes it: `.cer` as DER, or `.pem`. */
export function exportCertificate(certPem: string, format: 'pem' | 'der'): Buffer {
  const cert = new X509Certificate(certPem);
  return format === 'der' ? Buffer.from(cert.raw) : Buffer.from(cert.toString(), 'utf8');
}

export const certificateSubject = (profileName: string): string => `Absender ${profileName}`;

/**
 * A new key pair (Node's generator: forge's pure-JS one takes seconds at 3072 bits) and a self-signed
 * certificate for client authentication, valid from `now` for `validityDays` (1…730).
 */
export function createCertificate(profileName: string, now: Date, validityDays = DEFAULT_VALIDITY_DAYS): CertificateMaterial {
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > MAX_VALIDITY_DAYS) {
    throw new AppError('invalid-request', { params: { field: 'validityDays' } });
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: CERT_KEY_BITS });
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(privateKeyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  // A positive 128-bit serial (top bit cleared: DER INTEGERs are signed).
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = now;
  cert.validity.notAfter = new Date(now.getTime() + validityDays * DAY_MS);
  const name = [
    // UTF8String (forge encodes it): a profile name may hold umlauts, which PrintableString (the default) cannot.
    { name: 'commonName', value: certificateSubject(profileName), valueTagClass: forge.asn1.Type.UTF8 },
  ] as unknown as forge.pki.CertificateField[];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  const x509 = new X509Certificate(forge.pki.certificateToPem(cert));
  return { info: describeCertificate(x509), privateKeyPem, origin: 'created' };
}

export type ImportInput =
  { kind: 'pfx'; pfx: Buffer; password: string } | { kind: 'pem'; certPem: string; keyPem: string; password?: string };

type ImportRefusal = 'wrong-password' | 'key-mismatch' | 'expired' | 'not-yet-valid' | 'key-too-small' | 'not-rsa' | 'unreadable';
const refuse = (reason: ImportRefusal, params: Record<string, string> = {}): AppError =>
  new AppError(`certificate-${reason}`, { params });

/** The PFX's private key and the certificates in it; a wrong password (MAC or decryption) is its own error. */
function readPfx(pfx: Buffer, password: string): { key: KeyObject; certs: X509Certificate[] } {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(pfx.toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (cause) {
    // forge says "Invalid password?" for a MAC mismatch and fails decryption otherwise: both are the password.
    const text = cause instanceof Error ? cause.message : '';
    throw /password|mac|decrypt|pkcs#12/i.test(text) && pfx.length > 0 ? refuse('wrong-password') : refuse('unreadable');
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids['pkcs8ShroudedKeyBag'] })[forge.pki.oids['pkcs8ShroudedKeyBag'] ?? ''] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids['keyBag'] })[forge.pki.oids['keyBag'] ?? ''] ?? []),
  ];
  const forgeKey = keyBags.find((b) => b.key !== undefined)?.key;
  if (forgeKey === undefined) throw refuse('unreadable');
  const certBags = p12.getBags({ bagType: forge.pki.oids['certBag'] })[forge.pki.oids['certBag'] ?? ''] ?? [];
  const certs = certBags.flatMap((b) => (b.cert === undefined ? [] : [new X509Certificate(forge.pki.certificateToPem(b.cert))]));
  if (certs.length === 0) throw refuse('unreadable');
  return { key: createPrivateKey(forge.pki.privateKeyToPem(forgeKey)), certs };
}

function readPem(certPem: string, keyPem: string, password: string | undefined): { key: KeyObject; certs: X509Certificate[] } {
  let certs: X509Certificate[];
  try {
    const blocks = certPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    certs = blocks.map((b) => new X509Certificate(b));
  } catch {
    throw refuse('unreadable');
  }
  if (certs.length === 0) throw refuse('unreadable');
  const encrypted = /ENCRYPTED/.test(keyPem);
  try {
    return { key: createPrivateKey(encrypted ? { key: keyPem, passphrase: password ?? '' } : keyPem), certs };
  } catch {
    throw encrypted ? refuse('wrong-password') : refuse('unreadable');
  }
}

/**
 * An imported PFX or PEM pair, checked as Entra and MSAL would need it: RSA, at least 2048 bits, a certificate
 * that belongs to the key, valid now. The password is used here once and dropped; errors carry no material.
 */
export function importCertificate(input: ImportInput, now: Date): CertificateMaterial {
  const { key, certs } =
    input.kind === 'pfx' ? readPfx(input.pfx, input.password) : readPem(input.certPem, input.keyPem, input.password);
  if (key.asymmetricKeyType !== 'rsa') throw refuse('not-rsa');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_IMPORT_KEY_BITS) throw refuse('key-too-small', { bits: String(bits) });
  const cert = certs.find((c) => c.checkPrivateKey(key));
  if (cert === undefined) throw refuse('key-mismatch');
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  if (now.getTime() > to) throw refuse('expired', { date: new Date(to).toISOString().slice(0, 10) });
  if (now.getTime() < from) throw refuse('not-yet-valid', { date: new Date(from).toISOString().slice(0, 10) });
  return {
    info: describeCertificate(cert),
    privateKeyPem: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
    origin: 'imported',
  };
}
