import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

/** Every form in which a leaked value could appear: plain, JSON-escaped, URL-encoded, base64 at three offsets. */
export function needlesOf(secret: string, options: { windows?: boolean } = {}): string[] {
  const forms = new Set<string>([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.from('x'.repeat(shift) + secret).toString('base64');
    // Drop the characters influenced by the padding prefix and the tail.
    forms.add(b64.slice(Math.ceil((shift * 4) / 3) + 2, -4));
  }
  // Every 8-character window catches partial leaks beyond the 3-character hint.
  if (options.windows !== false) for (let i = 0; i + 8 <= secret.length; i++) forms.add(secret.slice(i, i + 8));
  return [...forms].filter((f) => f.length >= 8);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

export interface Haystacks {
  page?: Page | undefined;
  dataDir?: string;
  texts?: Record<string, unknown>;
}

/** Returns where each needle was found ("dataDir/profiles.json", "dom", "ipc"…); empty means clean. */
export async function scanForCanary(secret: string, where: Haystacks, options: { windows?: boolean } = {}): Promise<string[]> {
  const needles = needlesOf(secret, options);
  const stacks: Array<[string, string]> = [];
  if (where.page) {
    stacks.push(['dom', await where.page.content()]);
    stacks.push([
      'input values',
      JSON.stringify(
        await where.page
          .locator('input, textarea')
          .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value)),
      ),
    ]);
    stacks.push([
      'web storage',
      await where.page.evaluate<string>('JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])'),
    ]);
  }
  if (where.dataDir) {
    for (const file of await filesUnder(where.dataDir)) stacks.push([`file ${file}`, (await readFile(file)).toString('latin1')]);
  }
  for (const [name, value] of Object.entries(where.texts ?? {}))
    stacks.push([name, typeof value === 'string' ? value : JSON.stringify(value)]);
  return stacks.flatMap(([name, text]) => needles.filter((n) => text.includes(n)).map((n) => `${name}: …${n}…`)).slice(0, 20);
}

const JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/;
/**
 * A private key in any spelling a certificate profile could leak: a PEM armour line, or the base64 of an
 * RSA PKCS#8 / PKCS#1 key's first bytes (version 0 + rsaEncryption OID, or version 0 + modulus).
 */
const PRIVATE_KEY =
  /-----BEGIN [A-Z ]*PRIVATE KEY-----|MII[A-Za-z0-9+/]{3}IBADANBgkqhkiG9w0BAQEFAASC|MII[A-Za-z0-9+/]{3}IBAAKCA[QY]EA/;

/**
 * SH-9 after every spec: no secret of the demo world (client secret values, user passwords), no
 * private key and no JWT-shaped string may appear in anything the app showed, answered, logged, copied or stored.
 */
export async function scanHostForSecrets(
  secrets: ReadonlyArray<{ value: string; windows: boolean }>,
  where: { page?: Page; dataDir?: string; texts: Record<string, unknown> },
): Promise<string[]> {
  const hits: string[] = [];
  const page = where.page && !where.page.isClosed() ? where.page : undefined;
  for (const secret of secrets) {
    hits.push(...(await scanForCanary(secret.value, { ...where, page }, { windows: secret.windows })));
  }
  const stacks: Array<[string, string]> = Object.entries(where.texts).map(([k, v]) => [
    k,
    typeof v === 'string' ? v : JSON.stringify(v),
  ]);
  if (page) stacks.push(['dom', await page.content()]);
  if (where.dataDir)
    for (const file of await filesUnder(where.dataDir)) stacks.push([`file ${file}`, (await readFile(file)).toString('latin1')]);
  for (const [name, text] of stacks) {
    const jwt = JWT.exec(text);
    if (jwt) hits.push(`${name}: JWT-shaped ${jwt[0].slice(0, 16)}…`);
    const key = PRIVATE_KEY.exec(text);
    if (key) hits.push(`${name}: private-key-shaped ${key[0].slice(0, 12)}…`);
  }
  return hits;
}
