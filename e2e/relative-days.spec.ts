import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { createModernAuthProfile, profileList } from './support/mask';
import { foldProfileJournal } from './support/stored-profiles';

const DAY_MS = 86_400_000;
const base = { clientId: '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b', tenant: 'contoso.onmicrosoft.com' };
/** Name → days since the last test (the renderer counts with the browser's clock, so the file holds real past moments). */
const AGES = { Heute: 0, Gestern: 1, Vorgestern3: 3 } as const;

/** Profiles saved through the mask, then their last test written into profiles.json as that many days old. */
async function seedLastTests(dataDir: string): Promise<void> {
  const file = join(dataDir, 'profiles.json');
  foldProfileJournal(dataDir);
  const data = JSON.parse(await readFile(file, 'utf8')) as {
    profiles: Record<string, { name: string }> | Array<{ name: string }>;
  };
  const now = Date.now();
  for (const profile of Object.values(data.profiles)) {
    const days = AGES[profile.name as keyof typeof AGES];
    // An hour past the start of the day count, so a test run across midnight cannot shift it.
    Object.assign(profile, {
      lastTest: { at: new Date(now - days * DAY_MS - 3_600_000).toISOString(), outcome: 'ok', failedStep: null },
    });
  }
  await writeFile(file, JSON.stringify(data));
  // A stale backup must not win over the edited file.
  await rm(join(dataDir, 'profiles.bak.json'), { force: true });
}

for (const [locale, words, title] of [
  [
    'de',
    { Heute: 'Test erfolgreich · heute', Gestern: 'Test erfolgreich · gestern', Vorgestern3: 'Test erfolgreich · vor 3 Tagen' },
    'Absender',
  ],
  ['en', { Heute: 'Test OK · today', Gestern: 'Test OK · yesterday', Vorgestern3: 'Test OK · 3 days ago' }, 'Sender profiles'],
] as const) {
  test(`the list says when the last test ran in words: today, yesterday, 3 days ago (${locale})`, async ({
    openHost,
  }, testInfo) => {
    const dataDir = testInfo.outputPath('data');
    const first = await openHost({ locale, dataDir });
    for (const name of Object.keys(AGES))
      await createModernAuthProfile(first.page, locale, {
        ...base,
        name,
        sender: `${name.toLowerCase()}@contoso.onmicrosoft.com`,
      });
    await first.close();
    await seedLastTests(dataDir);

    const { page } = await openHost({ locale, dataDir });
    const list = profileList(page, title);
    for (const [name, text] of Object.entries(words)) {
      await expect(list.getByRole('button', { name: new RegExp(name) }).locator('[data-badge="test"]')).toHaveText(text);
    }
    await expect(list).not.toContainText(locale === 'de' ? 'vor 0 Tagen' : '0 days ago');
  });
}
