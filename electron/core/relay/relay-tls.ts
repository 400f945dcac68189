import { createHash, generateKeyPair, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import forge from 'node-forge';
import { CipherUnavailableError, type Cipher } from '../ports';
import { ensurePrivateDir, fsyncDir, nodeFsSeam, writeFileAtomic } from '../storage/fs-seam';

/** The generated certificate could not be opened and was made anew: the fingerprint an ERP may have pinned changed. */
export interface RelayTlsRegenerated {
  /** null when the old file was too damaged to read a certificate from. */
  oldFingerprint: string | null;
  newFingerprint: string;
  /** The old tls.json, kept beside it (in the relay folder). */
  keptFile: string;
  at: string;
}

/**
 * The stored certificate could not be used on this start only because the OS cipher is not (yet) available or is
 * another backend than the one that sealed it: tls.json stays untouched and this run serves an in-memory one.
 */
export interface RelayTlsTemporary {
  reason: 'cipher-unavailable' | 'other-backend';
  /** The backend that sealed the stored key (null in files written before it was recorded). */
  sealedWith: string | null;
  /** The cipher's backend on this start. */
  backend: string;
  /** The stored certificate's fingerprint: the one an ERP pinned, served again once the cipher is back. */
  storedFingerprint: string;
}

export interface RelayTls {
  key: string;
  cert: string;
  /** SHA-256 of the certificate's DER, as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint: string;
  generated: boolean;
  /** Set on the start that replaced an unreadable generated certificate. */
  regenerated?: RelayTlsRegenerated;
  /** Set when this run serves a temporary certificate and the stored one waits for its cipher. */
  temporary?: RelayTlsTemporary;
  /** False when the OS offers no real protection and the admin did not accept that (SS-3): the key is not written. */
  stored: boolean;
}

export const certificateFingerprint = (certPem: string): string => new X509Certificate(certPem).fingerprint256;

// RSA-2048 takes ~1 s: off the event loop (libuv's pool), so the window and a running relay stay responsive.
const rsaKeyPair = (): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> =>
  new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) =>
      error ? reject(error) : resolve({ publicKey, privateKey }),
    ),
  );

/** A self-signed certificate for the relay's host names, valid for 5 years (ERPs rarely check, admins may pin it). */
export async function generateRelayCertificate(hostNames: readonly string[], now: Date): Promise<{ key: string; cert: string }> {
  const { privateKey, publicKey } = await rsaKeyPair();
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

const TlsFile = z.object({
  version: z.number().optional(),
  /** The cipher backend that sealed the key (SS-4: another backend is not even tried). Absent in older files. */
  backend: z.string().optional(),
  cert: z.string(),
  key: z.string(),
  regenerated: z
    .object({ oldFingerprint: z.string().nullable(), newFingerprint: z.string(), keptFile: z.string(), at: z.string() })
    .optional(),
});

const tlsFile = (dataDir: string): string => join(dataDir, 'relay', 'tls.json');

/** How long the panel and `relay` keep telling that the fingerprint changed. */
export const TLS_NOTICE_DAYS = 14;

/** The last replacement of an unreadable generated certificate, while it is recent (for the panel, without the key). */
export function relayTlsNotice(dataDir: string, now: Date): RelayTlsRegenerated | null {
  try {
    const parsed = TlsFile.safeParse(JSON.parse(nodeFsSeam.readFileSync(tlsFile(dataDir)).toString('utf8')));
    const notice = parsed.success ? parsed.data.regenerated : undefined;
    if (notice === undefined) return null;
    return now.getTime() - Date.parse(notice.at) < TLS_NOTICE_DAYS * 86_400_000 ? notice : null;
  } catch {
    return null;
  }
}

export interface RelayTlsOptions {
  dataDir: string;
  cipher: Cipher;
  hostNames: readonly string[];
  now: Date;
  /** The admin accepted storing secrets without OS protection (the vault's gate, SS-3); default no. */
  weakEncryptionAccepted?: () => boolean;
  log?: (event: string, data: Record<string, string | number | boolean>) => void;
}

/**
 * The admin's certificate when given, else the generated one in `<data dir>/relay/tls.json`: the private key is
 * encrypted with the OS cipher (as the client secrets are), so the same fingerprint survives restarts.
 *
 * Which failure replaces it decides whether an ERP that pinned the fingerprint breaks, so they are told apart:
 * - The cipher is unavailable (a keyring still locked at boot, safeStorage not ready) or another backend than the
 *   one that sealed the key: nothing is wrong with the file, it will open again. It is left exactly as it is and
 *   this run serves a temporary in-memory certificate (`relay.tls-temporary`, `temporary` set).
 * - The available, same backend cannot decrypt it (another account, damage) or the file does not parse: it never
 *   opens again here, so it is kept aside and replaced, and said so loudly (`relay.tls-regenerated`).
 */
export async function loadRelayTls(options: RelayTlsOptions, admin?: { key: string; cert: string }): Promise<RelayTls> {
  if (admin !== undefined) return { ...admin, fingerprint: certificateFingerprint(admin.cert), generated: false, stored: true };
  const log = options.log ?? (() => undefined);
  const file = tlsFile(options.dataDir);
  if (!nodeFsSeam.existsSync(file)) return generateAndStore(options, log);
  const opened = await openStored(nodeFsSeam.readFileSync(file), options.cipher);
  if (opened.kind === 'opened') return opened.tls;
  if (opened.kind === 'temporary') {
    const made = await generateRelayCertificate(options.hostNames, options.now);
    const fingerprint = certificateFingerprint(made.cert);
    const { temporary } = opened;
    log('relay.tls-temporary', {
      reason: temporary.reason,
      sealedWith: temporary.sealedWith ?? 'unrecorded',
      backend: temporary.backend,
      stored: temporary.storedFingerprint,
      temporary: fingerprint,
    });
    // A recent regenerated notice in the untouched file still holds: the panel and `relay` go on reading it from disk.
    return { ...made, fingerprint, generated: true, stored: false, temporary };
  }
  // The old file stays as it was, beside the new one: with the right account or keyring back it still opens.
  const keptFile = `tls.json.unreadable-${options.now.toISOString().replace(/[:.]/g, '-')}`;
  nodeFsSeam.renameSync(file, join(options.dataDir, 'relay', keptFile));
  return generateAndStore(options, log, { oldFingerprint: opened.oldFingerprint, keptFile });
}

type Opened =
  | { kind: 'opened'; tls: RelayTls }
  | { kind: 'temporary'; temporary: RelayTlsTemporary }
  | { kind: 'unreadable'; oldFingerprint: string | null };

async function openStored(bytes: Buffer, cipher: Cipher): Promise<Opened> {
  let saved: z.infer<typeof TlsFile>;
  let oldFingerprint: string;
  try {
    saved = TlsFile.parse(JSON.parse(bytes.toString('utf8')));
    oldFingerprint = certificateFingerprint(saved.cert);
  } catch {
    return { kind: 'unreadable', oldFingerprint: null };
  }
  const temporary = (reason: RelayTlsTemporary['reason']): Opened => ({
    kind: 'temporary',
    temporary: { reason, sealedWith: saved.backend ?? null, backend: cipher.backend(), storedFingerprint: oldFingerprint },
  });
  // SS-4: another backend is not even tried (its ciphertext means nothing to this one); it is back at a later start.
  // An unavailable one is named as such: 'unknown' before safeStorage started is no backend the admin chose.
  if (saved.backend !== undefined && saved.backend !== cipher.backend())
    return temporary(cipher.isAvailable() ? 'other-backend' : 'cipher-unavailable');
  try {
    const key = (await cipher.decrypt(Buffer.from(saved.key, 'base64'))).plaintext;
    return {
      kind: 'opened',
      tls: {
        key,
        cert: saved.cert,
        fingerprint: oldFingerprint,
        generated: true,
        stored: true,
        ...(saved.regenerated === undefined ? {} : { regenerated: saved.regenerated }),
      },
    };
  } catch (error) {
    // A key store out of reach mid-start, 'unknown' (safeStorage not started) and a locked keyring (it keeps its name
    // and fails every decrypt) say nothing about the file. basic_text is never "available" but always reachable: its
    // refusal, like an available keyring's, proves the key is lost here (else every start served a new temporary one).
    const outOfReach =
      error instanceof CipherUnavailableError ||
      cipher.backend() === 'unknown' ||
      (!cipher.isAvailable() && cipher.backend() !== 'basic_text');
    return outOfReach ? temporary('cipher-unavailable') : { kind: 'unreadable', oldFingerprint };
  }
}

async function generateAndStore(
  options: RelayTlsOptions,
  log: NonNullable<RelayTlsOptions['log']>,
  replaced?: { oldFingerprint: string | null; keptFile: string },
): Promise<RelayTls> {
  const dir = join(options.dataDir, 'relay');
  const file = tlsFile(options.dataDir);
  const made = await generateRelayCertificate(options.hostNames, options.now);
  const fingerprint = certificateFingerprint(made.cert);
  let regenerated: RelayTlsRegenerated | undefined;
  if (replaced !== undefined) {
    regenerated = { ...replaced, newFingerprint: fingerprint, at: options.now.toISOString() };
    log('relay.tls-regenerated', { old: replaced.oldFingerprint ?? 'unreadable', new: fingerprint, kept: replaced.keptFile });
  }
  // The vault's rule for secrets (SS-3): without OS protection nothing secret is written unless the admin accepted it.
  if (!options.cipher.isAvailable() && options.weakEncryptionAccepted?.() !== true) {
    log('relay.tls-not-stored', { backend: options.cipher.backend() });
    return { ...made, fingerprint, generated: true, stored: false, ...(regenerated ? { regenerated } : {}) };
  }
  const sealed = (await options.cipher.encrypt(made.key)).toString('base64');
  ensurePrivateDir(dir);
  const saved = {
    version: 1,
    backend: options.cipher.backend(),
    cert: made.cert,
    key: sealed,
    ...(regenerated ? { regenerated } : {}),
  };
  writeFileAtomic(file, `${JSON.stringify(saved, null, 2)}\n`);
  fsyncDir(dir);
  return { ...made, fingerprint, generated: true, stored: true, ...(regenerated ? { regenerated } : {}) };
}

export const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 12);
