import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { i18nextOptions, NAMESPACES, RESOURCES, type TextTree } from './resources';
import { t } from './translate';

const keysOf = (tree: TextTree, prefix: string): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keysOf(v, `${prefix}${k}.`)));
const placeholderNames = (text: string) => [...text.matchAll(/\{\{(.+?)\}\}/g)].map((m) => m[1]?.trim() ?? '');

/** An i18next set up as the renderer's (renderer/i18n/i18n.ts), without React. */
async function rendererI18next() {
  const instance = i18next.createInstance();
  await instance.init(i18nextOptions('de'));
  return instance;
}

describe('t (the plain translator)', () => {
  it('gives the same text as the renderer’s i18next for every key, language and plural form', async () => {
    const i18n = await rendererI18next();
    let compared = 0;
    for (const lang of ['de', 'en'] as const) {
      const fixed = i18n.getFixedT(lang);
      for (const ns of NAMESPACES) {
        for (const full of keysOf(RESOURCES[lang][ns], '')) {
          const key = `${ns}:${full.replace(/_(zero|one|other)$/, '')}`;
          const text = t(lang, key);
          // Values with characters a naive translator would mangle or re-read as a template.
          const params: Record<string, string | number> = {};
          for (const name of placeholderNames(text)) params[name] = `<${name}> & {{x}} $t(ui:app.title)`;
          for (const count of full.match(/_(zero|one|other)$/) ? [1, 2, 0] : [undefined]) {
            const withCount = count === undefined ? params : { ...params, count };
            expect(t(lang, key, withCount), `${lang} ${key}`).toBe(fixed(key, withCount));
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('reads a key without namespace as a ui key, and a host key in either language', () => {
    expect(t('de', 'fields.clientId')).toBe('Anwendungs-ID (Client)');
    expect(t('en', 'ui:fields.clientId')).toBe('Application (client) ID');
    expect(t('de', 'host:unsavedChanges.message')).toBe('Der Absender hat ungespeicherte Änderungen.');
    expect(t('en', 'host:unsavedChanges.message')).toBe('This sender profile has unsaved changes.');
  });

  it('fills {{params}} once, leaves an unknown one as written and a missing key as the key', () => {
    expect(t('en', 'host:openStores.detail', { corrupt: '{{dir}}', dir: '/data' })).toBe(
      'The damaged file is kept as {{dir}} in /data.',
    );
    expect(t('en', 'host:openStores.detail', { dir: '/data' })).toBe('The damaged file is kept as {{corrupt}} in /data.');
    expect(t('en', 'host:openStores.detail', { corrupt: null, dir: 7 })).toBe('The damaged file is kept as  in 7.');
    expect(t('de', 'host:no.such.key')).toBe('host:no.such.key');
    expect(t('de', 'host:openStores')).toBe('host:openStores');
  });

  it('takes the _zero form for a count of 0, as i18next does, and the plural forms otherwise', () => {
    expect(t('de', 'expiry.hint', { date: '1. Mai 2026', count: 0 })).toBe(
      'Läuft heute ab (1. Mai 2026) – der letzte gültige Tag.',
    );
    expect(t('de', 'expiry.hint', { date: '1. Mai 2026', count: 1 })).toBe('Läuft am 1. Mai 2026 ab – noch 1 Tag.');
    expect(t('en', 'expiry.hint', { date: 'May 1, 2026', count: 2 })).toBe('Expires on May 1, 2026 – 2 days left.');
  });
});
