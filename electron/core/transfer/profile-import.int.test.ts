import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportFile } from '../../../shared/transfer/profile-transfer';
import { startCore } from '../compose-core';
import { openConfStore } from '../testing/conf-store';
import { TEST_HOST, testOsPorts, VALID_DRAFT } from '../testing/core-fixture';
import { InMemoryCipher } from '../testing/in-memory';

// Import over real store files (conf, the journal, history.json): preview writes nothing, a refused file
// changes no byte, conflicts follow the admin's choice, and nothing secret travels in either direction.
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

let tick = 0;
async function core() {
  const dir = mkdtempSync(join(tmpdir(), 'absender-import-'));
  dirs.push(dir);
  const started = await startCore({
    storeFiles: { dir, open: (name) => openConfStore(dir, name), confirmStartEmpty: () => Promise.resolve(false) },
    os: testOsPorts({ cipher: new InMemoryCipher(), clock: { now: () => new Date(Date.UTC(2026, 11, 1, 10, 0, tick++)) } }),
    events: { emit: () => undefined },
    host: TEST_HOST,
  });
  return { ...started, dir };
}

const digest = (dir: string): string => {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort())
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(join(dir, name)));
  return hash.digest('hex');
};

const SECRET = 'Zq8Q~geheim-und-lang-genug-1234';

describe('profiles.export / importPreview / importApply', () => {
  it('export → delete → import restores the profiles without secrets, with their history on request', async () => {
    const { api, dir } = await core();
    const secret = await api.profiles.save({ draft: { ...VALID_DRAFT }, clientSecret: SECRET });
    await api.profiles.save({ draft: { ...VALID_DRAFT, id: secret.id, revision: secret.revision, name: 'Bestellungen neu' } });
    await api.profiles.save({
      draft: {
        ...VALID_DRAFT,
        name: 'Adele',
        accountType: 'modern-auth',
        mailboxAddress: '',
        senderAddress: 'adele@contoso.com',
      },
    });
    const { text, fileName } = await api.profiles.export({ includeHistory: true });
    expect(fileName).toMatch(/^absender-profiles-\d{4}-\d{2}-\d{2}\.json$/);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SECRET.slice(0, 3)); // not even the hint
    const file = ExportFile.parse(JSON.parse(text));
    expect(file.profiles.map((p) => p.name)).toEqual(['Adele', 'Bestellungen neu']);
    expect(file.profiles[1]?.history?.map((h) => h.kind)).toEqual(['created', 'secret-replaced', 'edited']);
    expect((await api.profiles.export({ includeHistory: false })).text).not.toContain('"history"');

    for (const p of await api.profiles.list()) await api.profiles.delete({ id: p.id, revision: p.revision });
    expect(await api.profiles.list()).toEqual([]);
    expect(readFileSync(join(dir, 'history.json'), 'utf8')).not.toContain('secret-replaced');

    const before = digest(dir);
    const preview = await api.profiles.importPreview({ text });
    expect(digest(dir)).toBe(before);
    expect(preview.profiles.map((p) => [p.name, p.conflictId])).toEqual([
      ['Adele', null],
      ['Bestellungen neu', null],
    ]);
    expect(await api.profiles.importApply({ text, choices: [] })).toEqual({ created: 2, replaced: 0, skipped: 0 });
    const restored = await api.profiles.list();
    expect(restored.map((p) => [p.name, p.accountType, p.secret.hasSecret, p.secret.secretHint, p.delegated])).toEqual([
      ['Adele', 'modern-auth', false, null, null],
      ['Bestellungen neu', 'client-secret', false, null, null],
    ]);
    const history = await api.profiles.history({ profileId: restored[1]?.id ?? '' });
    expect(history.map((h) => h.kind)).toEqual(['created', 'secret-replaced', 'edited', 'imported']);
  });

  it('conflicts by name: skip keeps, replace overwrites, keep both adds a copy; no choice skips', async () => {
    const { api } = await core();
    const stored = await api.profiles.save({ draft: { ...VALID_DRAFT }, clientSecret: SECRET });
    const { text: exported } = await api.profiles.export({ includeHistory: false });
    const text = exported.replace('bestellung@contoso.com', 'neu@contoso.com');
    const preview = await api.profiles.importPreview({ text });
    expect(preview.profiles[0]?.conflictId).toBe(stored.id);

    expect(await api.profiles.importApply({ text, choices: [] })).toEqual({ created: 0, replaced: 0, skipped: 1 });
    expect(await api.profiles.importApply({ text, choices: [{ index: 0, choice: 'skip' }] })).toMatchObject({ skipped: 1 });
    expect((await api.profiles.list()).map((p) => [p.name, p.senderAddress, p.secret.hasSecret])).toEqual([
      ['Bestellungen', 'bestellung@contoso.com', true],
    ]);

    expect(await api.profiles.importApply({ text, choices: [{ index: 0, choice: 'keep-both' }] })).toMatchObject({ created: 1 });
    expect((await api.profiles.list()).map((p) => p.name)).toEqual(['Bestellungen', 'Bestellungen (2)']);

    expect(await api.profiles.importApply({ text, choices: [{ index: 0, choice: 'replace' }] })).toMatchObject({ replaced: 1 });
    const after = await api.profiles.list();
    const replaced = after.find((p) => p.name === 'Bestellungen');
    // Same id (relay login and queued mail stay attached); same app registration, so its secret stays.
    expect(replaced).toMatchObject({ id: stored.id, senderAddress: 'neu@contoso.com', secret: { hasSecret: true } });
    expect(after).toHaveLength(2);
    expect((await api.profiles.history({ profileId: stored.id })).map((h) => h.kind).slice(-2)).toEqual(['edited', 'imported']);
  });

  it('replace with another app registration keeps the id but removes the credential that belonged to the old app', async () => {
    const { api, dir } = await core();
    const stored = await api.profiles.save({ draft: { ...VALID_DRAFT }, clientSecret: SECRET });
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).toContain(`clientSecret:${stored.id}`);
    const { text: exported } = await api.profiles.export({ includeHistory: false });
    const otherApp = exported.replace(VALID_DRAFT.clientId, '99999999-aaaa-4bbb-8ccc-000000000001');
    expect(otherApp).not.toBe(exported);
    await api.profiles.importApply({ text: otherApp, choices: [{ index: 0, choice: 'replace' }] });
    const [replaced] = await api.profiles.list();
    expect(replaced).toMatchObject({
      id: stored.id,
      clientId: '99999999-aaaa-4bbb-8ccc-000000000001',
      secret: { hasSecret: false, secretHint: null },
    });
    // The old app's secret is gone from the vault file, not only hidden (it held the record before).
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain(`clientSecret:${stored.id}`);
  });

  it('every malformed file is refused with its reason and changes no byte', async () => {
    const { api, dir } = await core();
    await api.profiles.save({ draft: { ...VALID_DRAFT }, clientSecret: SECRET });
    const { text } = await api.profiles.export({ includeHistory: true });
    const good = JSON.parse(text) as Record<string, unknown> & { profiles: Record<string, unknown>[] };
    const cases: Record<string, string> = {
      'not-json': '{"format": "absender-profiles",',
      'wrong-format': JSON.stringify({ ...good, format: 'outlook-profiles' }),
      'wrong-version': JSON.stringify({ ...good, version: 2 }),
      invalid: JSON.stringify({ ...good, profiles: [{ ...good.profiles[0], clientSecret: 'x' }] }),
      'prototype-key': text.replace('"format"', '"__proto__": {"isAdmin": true}, "format"'),
      'too-large': `${text}${' '.repeat(50 * 1024 * 1024)}`,
    };
    // The name of the stored profile must not matter: a conflict would otherwise be skipped, not refused.
    for (const [reason, bad] of Object.entries(cases)) {
      const before = digest(dir);
      for (const call of [
        () => api.profiles.importPreview({ text: bad }),
        () => api.profiles.importApply({ text: bad, choices: [{ index: 0, choice: 'replace' }] }),
      ]) {
        await expect(call(), reason).rejects.toMatchObject({ code: 'import-invalid', params: { problem: reason } });
        expect(digest(dir), reason).toBe(before);
      }
    }
    expect((await api.profiles.list()).map((p) => p.secret.hasSecret)).toEqual([true]);
  });
});
