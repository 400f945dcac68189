import type { ImportCertificateRequest } from '../../../shared/ipc/contract';
import { downloadBlob } from '../../components/download';

/** Saves bytes through the page's own download (as the test-all CSV): Electron asks where, a browser saves it. */
export function downloadBytes(name: string, mimeType: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  downloadBlob(name, new Blob([bytes], { type: mimeType }));
}

const isPfx = (f: File): boolean => /\.(pfx|p12)$/i.test(f.name);

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A DER .cer/.crt as PEM: the core reads certificates as PEM blocks. */
function certificateText(name: string, buffer: ArrayBuffer): string {
  const text = new TextDecoder().decode(buffer);
  if (text.includes('-----BEGIN')) return text;
  const body = toBase64(buffer).replace(/(.{64})/g, '$1\n');
  return /\.(cer|crt|der)$/i.test(name) ? `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n` : text;
}

/**
 * The chosen files as the import request's `file`: one PFX/P12, or a PEM key and a certificate (.pem/.cer/.crt,
 * or one PEM holding both). Null when the choice is neither. The content lives only in the returned object.
 */
export async function importFileOf(files: readonly File[], password: string): Promise<ImportCertificateRequest['file'] | null> {
  const pfx = files.find(isPfx);
  if (pfx) return files.length === 1 ? { kind: 'pfx', pfxBase64: toBase64(await pfx.arrayBuffer()), password } : null;
  const texts = await Promise.all(files.map(async (f) => certificateText(f.name, await f.arrayBuffer())));
  const keyPem = texts.find((t) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(t));
  const certPem = texts.filter((t) => t.includes('-----BEGIN CERTIFICATE-----')).join('\n');
  if (keyPem === undefined || certPem === '') return null;
  return { kind: 'pem', keyPem, certPem, ...(password === '' ? {} : { password }) };
}
