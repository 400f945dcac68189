import { createHash, createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { createCertificate, exportCertificate, importCertificate, type CertificateMaterial } from './certificate-material';

const NOW = new Date('2026-03-01T10:00:00Z');
const DAY = 86_400_000;

/** A PFX (3DES, as Windows exports it) of a key and a certificate, both chosen by the test. */
function pfxOf(keyPem: string, certPem: string, password: string): Buffer {
  const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(keyPem), [forge.pki.certificateFromPem(certPem)], password, {
    algorithm: '3des',
  });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

/** A self-signed certificate for a given key and validity (forge, independent of the code under test). */
function selfSigned(keyPem: string, from: Date, to: Date): string {
  const key = forge.pki.privateKeyFromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = from;
  cert.validity.notAfter = to;
  cert.setSubject([{ name: 'commonName', value: 'Imported' }]);
  cert.setIssuer([{ name: 'commonName', value: 'Imported' }]);
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

const createKey = (pem: string) => createPrivateKey(pem);
const rsaPem = (bits: number): string =>
  generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).code;
  }
  throw new Error('expected a refusal');
};

describe('createCertificate', () => {
  let created: CertificateMaterial;
  beforeAll(() => {
    created = createCertificate('Einkauf Müller', NOW);
  });

  it('makes a 3072-bit RSA certificate Node parses, named CN=Absender <profile>, valid one year by default', () => {
    const cert = new X509Certificate(created.info.certPem);
    expect(cert.subject).toBe('CN=Absender Einkauf Müller');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(Date.parse(cert.validFrom)).toBe(NOW.getTime());
    expect(Date.parse(cert.validTo)).toBe(NOW.getTime() + 365 * DAY);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkPrivateKey(createKey(created.privateKeyPem))).toBe(true);
    expect(created.info.notAfter).toBe(new Date(NOW.getTime() + 365 * DAY).toISOString());
  });

  it('gives the SHA-256 thumbprint of the DER in Entra’s form (uppercase hex, no separators)', () => {
    const der = exportCertificate(created.info.certPem, 'der');
    expect(created.info.thumbprintSha256).toBe(createHash('sha256').update(der).digest('hex').toUpperCase());
    expect(created.info.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
    expect(new X509Certificate(created.info.certPem).fingerprint256.replaceAll(':', '')).toBe(created.info.thumbprintSha256);
    expect(new X509Certificate(der).fingerprint.replaceAll(':', '')).toBe(created.info.thumbprintSha1);
  });

  it('exports the public certificate only, as PEM and DER', () => {
    const pem = exportCertificate(created.info.certPem, 'pem').toString('utf8');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(pem).not.toContain('PRIVATE KEY');
    // The private exponent is what must never leave: it appears in neither export.
    const d = Buffer.from(createKey(created.privateKeyPem).export({ format: 'jwk' }).d ?? '', 'base64url');
    expect(d.length).toBeGreaterThan(300);
    expect(exportCertificate(created.info.certPem, 'der').includes(d.subarray(0, 32))).toBe(false);
  });

  it('takes a validity of up to two years and refuses more (or none)', () => {
    expect(() => createCertificate('x', NOW, 731)).toThrow(AppError);
    expect(() => createCertificate('x', NOW, 0)).toThrow(AppError);
  });
});

describe('importCertificate', () => {
  const key = rsaPem(2048);
  const cert = selfSigned(key, new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + 100 * DAY));

  it('takes a PFX with the right password and keeps the key as PKCS#8', () => {
    const imported = importCertificate({ kind: 'pfx', pfx: pfxOf(key, cert, 'Geheim-1'), password: 'Geheim-1' }, NOW);
    expect(imported.info.thumbprintSha256).toBe(new X509Certificate(cert).fingerprint256.replaceAll(':', ''));
    expect(imported.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(new X509Certificate(cert).checkPrivateKey(createKey(imported.privateKeyPem))).toBe(true);
  });

  it('takes a PEM pair, also with an encrypted key', () => {
    const encrypted = createKey(key).export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    const imported = importCertificate({ kind: 'pem', certPem: cert, keyPem: encrypted, password: 'pw' }, NOW);
    expect(imported.info.subject).toBe('CN=Imported');
    expect(codeOf(() => importCertificate({ kind: 'pem', certPem: cert, keyPem: encrypted, password: 'wrong' }, NOW))).toBe(
      'certificate-wrong-password',
    );
  });

  it('refuses a wrong PFX password', () => {
    expect(codeOf(() => importCertificate({ kind: 'pfx', pfx: pfxOf(key, cert, 'right'), password: 'wrong' }, NOW))).toBe(
      'certificate-wrong-password',
    );
  });

  it('refuses a key that does not belong to the certificate', () => {
    const other = rsaPem(2048);
    expect(codeOf(() => importCertificate({ kind: 'pem', certPem: cert, keyPem: other }, NOW))).toBe('certificate-key-mismatch');
  });

  it('refuses an expired and a not-yet-valid certificate', () => {
    const old = selfSigned(key, new Date(NOW.getTime() - 100 * DAY), new Date(NOW.getTime() - DAY));
    const future = selfSigned(key, new Date(NOW.getTime() + DAY), new Date(NOW.getTime() + 100 * DAY));
    expect(codeOf(() => importCertificate({ kind: 'pem', certPem: old, keyPem: key }, NOW))).toBe('certificate-expired');
    expect(codeOf(() => importCertificate({ kind: 'pfx', pfx: pfxOf(key, future, 'p'), password: 'p' }, NOW))).toBe(
      'certificate-not-yet-valid',
    );
  });

  it('refuses a key under 2048 bits and names its size', () => {
    const small = rsaPem(1024);
    const smallCert = selfSigned(small, new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + DAY));
    let error: unknown;
    try {
      importCertificate({ kind: 'pem', certPem: smallCert, keyPem: small }, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'certificate-key-too-small', params: { bits: '1024' } });
  });

  it('refuses garbage without echoing it', () => {
    let error: unknown;
    try {
      importCertificate({ kind: 'pfx', pfx: Buffer.from('not a pfx at all'), password: 'x' }, NOW);
    } catch (e) {
      error = e;
    }
    expect((error as AppError).code).toMatch(/^certificate-(unreadable|wrong-password)$/);
    expect(JSON.stringify(error)).not.toContain('not a pfx');
  });
});
