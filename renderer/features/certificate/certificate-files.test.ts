import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { importFileOf } from './certificate-files';

// No Node built-ins in renderer tests: forge makes the pair (1024 bits: only the file handling is under test).
const pair = forge.pki.rsa.generateKeyPair({ bits: 1024 });
const fkey = pair.privateKey;
const keyPem = forge.pki.privateKeyToPem(fkey);
const cert = forge.pki.createCertificate();
cert.publicKey = forge.pki.setRsaPublicKey(fkey.n, fkey.e);
cert.serialNumber = '01';
cert.validity.notBefore = new Date();
cert.validity.notAfter = new Date(Date.now() + 86_400_000);
cert.setSubject([{ name: 'commonName', value: 'Datei' }]);
cert.setIssuer([{ name: 'commonName', value: 'Datei' }]);
cert.sign(fkey, forge.md.sha256.create());
const certPem = forge.pki.certificateToPem(cert);
const derBytes = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
const der = Uint8Array.from(derBytes, (c) => c.charCodeAt(0));

describe('importFileOf (the chosen files as an import request)', () => {
  it('a PFX travels as base64 of its exact bytes, with the password', async () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_v, i) => i % 251);
    const file = await importFileOf([new File([bytes], 'a.PFX')], 'geheim');
    expect(file).toMatchObject({ kind: 'pfx', password: 'geheim' });
    const back = file?.kind === 'pfx' ? Uint8Array.from(atob(file.pfxBase64), (c) => c.charCodeAt(0)) : new Uint8Array();
    expect(back).toEqual(bytes);
  });

  it('a PEM key with a DER .cer: the certificate becomes PEM, the key is taken as it is', async () => {
    const file = await importFileOf([new File([keyPem], 'k.key'), new File([der], 'c.cer')], '');
    expect(file?.kind).toBe('pem');
    if (file?.kind !== 'pem') return;
    expect(file.keyPem).toBe(keyPem);
    expect(file).not.toHaveProperty('password');
    const parsed = forge.pki.certificateFromPem(file.certPem);
    expect(forge.asn1.toDer(forge.pki.certificateToAsn1(parsed)).getBytes()).toBe(derBytes);
  });

  it('one PEM holding key and certificate is enough', async () => {
    const file = await importFileOf([new File([`${keyPem}\n${certPem}`], 'both.pem')], 'x');
    expect(file).toMatchObject({ kind: 'pem', password: 'x' });
  });

  it('neither a PFX alone nor a key with a certificate: null', async () => {
    expect(await importFileOf([new File([certPem], 'c.pem')], '')).toBeNull();
    expect(await importFileOf([new File([keyPem], 'k.key')], '')).toBeNull();
    expect(await importFileOf([new File([der], 'a.pfx'), new File([keyPem], 'k.key')], '')).toBeNull();
  });
});
