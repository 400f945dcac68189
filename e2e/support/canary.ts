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
  page?: Page;
  dataDir?: string;
  texts?: Record<string, unknown>;
}

/** Returns where each needle was found ("dataDir/profiles.json", "dom", "ipc"…); empty means clean. */
export async function scanForCanary(secret: string, where: Haystacks): Promise<string[]> {
  const needles = needlesOf(secret);
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
