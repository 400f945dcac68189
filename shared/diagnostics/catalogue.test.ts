import { describe, expect, it } from 'vitest';
import {
  CALLER_SET_DIAGNOSTIC_IDS,
  DIAGNOSTIC_IDS,
  diagnosticCatalogue,
  diagnosticParamNames,
  isDiagnosticId,
  type DiagnosticLanguage,
} from './catalogue';
import { RESOURCES, type TextTree } from '../i18n/resources';

const LANGS: DiagnosticLanguage[] = ['de', 'en'];

describe('diagnostic catalogue', () => {
  it('has unique ids that are safe i18next keys', () => {
    expect(new Set(DIAGNOSTIC_IDS).size).toBe(DIAGNOSTIC_IDS.length);
    for (const id of DIAGNOSTIC_IDS) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it.each(LANGS)('has a non-empty title and advice for every id in %s, and nothing else', (lang) => {
    const entries = diagnosticCatalogue[lang];
    expect(Object.keys(entries).sort()).toEqual([...DIAGNOSTIC_IDS].sort());
    for (const id of DIAGNOSTIC_IDS) {
      expect(entries[id].title.trim(), `${lang} ${id} title`).not.toBe('');
      expect(entries[id].advice.trim(), `${lang} ${id} advice`).not.toBe('');
      // Titles are one short status line.
      expect(entries[id].title.length, `${lang} ${id} title length`).toBeLessThanOrEqual(80);
      expect(entries[id].title, `${lang} ${id} title`).not.toMatch(/\n/);
    }
  });

  it('uses the same {{params}} in German and English', () => {
    for (const id of DIAGNOSTIC_IDS) {
      expect(diagnosticParamNames(id, 'de'), id).toEqual(diagnosticParamNames(id, 'en'));
    }
  });

  it('has only well-formed i18next interpolation (no single braces, no nesting)', () => {
    for (const lang of LANGS) {
      for (const id of DIAGNOSTIC_IDS) {
        const { title, advice } = diagnosticCatalogue[lang][id];
        const text = `${title} ${advice}`;
        const stripped = text.replace(/\{\{[A-Za-z0-9_]+\}\}/g, '');
        expect(stripped, `${lang} ${id}`).not.toMatch(/[{}]/);
        expect(text, `${lang} ${id}`).not.toContain('$t(');
      }
    }
  });

  it('names things with the terms of the German manual and of the Entra admin center', () => {
    const de = JSON.stringify(diagnosticCatalogue.de);
    const en = JSON.stringify(diagnosticCatalogue.en);
    for (const term of ['Anwendungs-ID (Client)', 'Verzeichnis-ID (Mandant)', 'geheime', 'Postfach', 'Mandant'])
      expect(de).toContain(term);
    for (const term of ['Application (client) ID', 'Directory (tenant) ID', 'Client secret', 'Certificates & secrets']) {
      expect(en.toLowerCase()).toContain(term.toLowerCase());
    }
    // The Secret ID hint and the fix path for secrets.
    expect(diagnosticCatalogue.en['aad-secret-id-pasted'].advice).toMatch(/Secret ID/);
    expect(diagnosticCatalogue.en['aad-secret-expired'].advice).toMatch(/Certificates & secrets › New client secret/);
    expect(diagnosticCatalogue.de['aad-secret-expired'].advice).toMatch(
      /Zertifikate & Geheimnisse › Neuer geheimer Clientschlüssel/,
    );
  });

  it('shows the exact redirect URI, the waiting time and the host where it matters', () => {
    expect(diagnosticParamNames('aad-redirect-uri-mismatch')).toEqual(['redirectUri']);
    expect(diagnosticParamNames('graph-throttled')).toEqual(['seconds']);
    expect(diagnosticParamNames('net-timeout')).toEqual(['host', 'seconds']);
    expect(diagnosticParamNames('unknown')).toEqual(['code']);
  });

  it('documents the ids only callers set', () => {
    for (const id of CALLER_SET_DIAGNOSTIC_IDS) expect(isDiagnosticId(id)).toBe(true);
    expect(isDiagnosticId('no-such-id')).toBe(false);
  });
});

// Issue 15: Microsoft calls application access policies legacy; RBAC for Applications replaces them.
describe('restriction advice', () => {
  const LEGACY = /Anwendungszugriffsrichtlinie|ApplicationAccessPolicy|application access polic/i;
  const RBAC = /RBAC für Anwendungen|RBAC for Applications/;
  const restrictionTexts = (lang: DiagnosticLanguage) =>
    DIAGNOSTIC_IDS.map((id) => [id, diagnosticCatalogue[lang][id].advice] as const).filter(([, text]) => LEGACY.test(text));

  it.each(LANGS)('names RBAC for Applications before any access policy, which it calls legacy (%s)', (lang) => {
    const texts = restrictionTexts(lang);
    expect(texts.map(([id]) => id).sort()).toEqual(['graph-mailbox-not-allowed', 'probe-not-restricted']);
    for (const [id, text] of texts) {
      const rbac = RBAC.exec(text)?.index ?? Number.POSITIVE_INFINITY;
      expect(rbac, `${lang} ${id}`).toBeLessThan(LEGACY.exec(text)?.index ?? 0);
      expect(text, `${lang} ${id}`).toContain('New-ManagementScope');
      expect(text, `${lang} ${id}`).toContain('New-ManagementRoleAssignment');
      expect(text, `${lang} ${id}`).toMatch(lang === 'de' ? /veraltet/ : /legacy/);
    }
  });

  it.each(LANGS)('does the same in every UI text that mentions an access policy (%s)', (lang) => {
    const flat = (tree: TextTree): string[] => Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : flat(v)));
    const texts = flat(RESOURCES[lang].ui).filter((text) => LEGACY.test(text));
    expect(texts.length).toBeGreaterThanOrEqual(2);
    for (const text of texts)
      expect(RBAC.exec(text)?.index ?? Number.POSITIVE_INFINITY, text).toBeLessThan(LEGACY.exec(text)?.index ?? 0);
  });

  it.each(LANGS)('puts the RBAC role assignment first when Exchange denies the mailbox (%s)', (lang) => {
    const text = diagnosticCatalogue[lang]['graph-access-denied'].advice;
    expect(text.indexOf('Application Mail.Send')).toBeGreaterThan(-1);
    expect(text.indexOf('Application Mail.Send')).toBeLessThan(text.indexOf('API'));
  });
});
