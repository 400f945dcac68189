import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCa, issueLeaf, spkiFingerprintOf } from './ca';

describe('per-run CA', () => {
  const ca = createCa();
  const leaf = issueLeaf(ca);

  it('issues a localhost leaf signed by the CA', () => {
    const caCert = new X509Certificate(ca.caCertPem);
    const cert = new X509Certificate(leaf.certPem);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('example.com')).toBeUndefined();
  });

  it('reports the SPKI fingerprint of the leaf key', () => {
    const cert = new X509Certificate(leaf.certPem);
    expect(leaf.spkiFingerprint).toBe(spkiFingerprintOf(cert.publicKey.export({ type: 'spki', format: 'pem' }).toString()));
    expect(leaf.spkiFingerprint).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});
