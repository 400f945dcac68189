/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_IDS } from '../diagnostics/catalogue';
import { DEFAULT_NAMESPACE, NAMESPACES, RESOURCES, type TextTree } from './resources';

// The one key check for every user-visible text: both languages, no empty text, the same
// placeholders, every key the sources name exists, and every key is used somewhere.

const flatten = (tree: TextTree, prefix: string): Array<[string, string]> =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v]] : flatten(v, `${prefix}${k}.`)));
/** Every text of a language as `ns:path`. */
const texts = (lang: 'de' | 'en') => new Map(NAMESPACES.flatMap((ns) => flatten(RESOURCES[lang][ns], `${ns}:`)));
const placeholders = (s: string) => [...s.matchAll(/\{\{(.+?)\}\}/g)].map((m) => m[1]?.trim()).sort();
/** `a.b` and `ui:a.b` are the same key (i18next's defaultNS). */
const qualified = (key: string) =>
  /^[a-z]+:/.test(key) && NAMESPACES.some((ns) => key.startsWith(`${ns}:`)) ? key : `${DEFAULT_NAMESPACE}:${key}`;
const PLURAL = /_(zero|one|two|few|many|other)$/;

/**
 * Keys whose caller another change is still moving (electron/core/auth's loopback pages). The list
 * may only shrink: a key here that the sources already use fails the test, so the entry goes.
 */
const AWAITING_WIRING: string[] = [];

// The sources that may name a key: renderer, shared and electron code, not tests or test doubles.
const sources = import.meta.glob<string>(
  [
    '/{renderer,shared,electron}/**/*.{ts,tsx}',
    '!/**/*.test.{ts,tsx}',
    '!/**/testing/**',
    '!/shared/i18n/**',
    '!/shared/diagnostics/catalogue.ts',
  ],
  { query: '?raw', import: 'default', eager: true },
);
const code = Object.values(sources).join('\n');

/** Keys named as a whole: a t() call, a step's messageKey/adviceKey, a warning's key, a zod error. */
const namedKeys = [
  ...code.matchAll(
    /(?:\bt\((?:\s*(?:[\w.()]+|'[a-z]{2}')\s*,)?|(?:messageKey|adviceKey|key|error|message):)\s*'((?:[a-z]+:)?[a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g,
  ),
].map((m) => qualified(m[1] ?? ''));
/** A key is named when it stands quoted as a whole, with its namespace or (for `ui`) without. */
const quoted = (key: string): boolean => {
  const [ns, path] = key.split(/:(.*)/s) as [string, string];
  const names = ns === DEFAULT_NAMESPACE ? [key, path] : [key];
  return names.some((name) => ["'", '"', '`'].some((q) => code.includes(`${q}${name}${q}`)));
};
/** Keys built at run time: `steps.label.${id}` uses every key under `ui:steps.label.`. */
const dynamicPrefixes = [...code.matchAll(/`((?:[a-z]+:)?(?:[a-zA-Z][\w-]*\.)*(?:[a-zA-Z][\w-]*[.:])?)\$\{/g)]
  .map((m) => m[1] ?? '')
  .filter((p) => p.endsWith('.') || p.endsWith(':'))
  .map((p) => (p.endsWith(':') && NAMESPACES.some((ns) => p === `${ns}:`) ? p : qualified(p)));

describe('the text home (shared/i18n)', () => {
  const de = texts('de');
  const en = texts('en');

  it('has every key in German and in English', () => {
    expect([...de.keys()].filter((k) => !en.has(k))).toEqual([]);
    expect([...en.keys()].filter((k) => !de.has(k))).toEqual([]);
    expect(de.size).toBeGreaterThan(300);
  });

  it('has no empty text, the same placeholders in both languages and no i18next nesting', () => {
    for (const [key, text] of de) {
      const other = en.get(key) ?? '';
      expect(text.trim(), key).not.toBe('');
      expect(other.trim(), key).not.toBe('');
      expect(placeholders(text), key).toEqual(placeholders(other));
      // translate.ts does not nest, so no text may rely on it.
      expect(`${text} ${other}`, key).not.toContain('$t(');
    }
  });

  it('serves the diagnosis catalogue in full: a title and an advice per id', () => {
    for (const id of DIAGNOSTIC_IDS) {
      for (const part of ['title', 'advice']) {
        expect(de.get(`diagnostics:${id}.${part}`)?.trim(), `de ${id}.${part}`).toBeTruthy();
        expect(en.get(`diagnostics:${id}.${part}`)?.trim(), `en ${id}.${part}`).toBeTruthy();
      }
    }
  });

  it('contains every key the sources name', () => {
    expect(namedKeys.length).toBeGreaterThan(100);
    expect(namedKeys).toContain('host:unsavedChanges.message');
    const has = (key: string) => de.has(key) || de.has(`${key}_one`);
    expect([...new Set(namedKeys)].filter((key) => !has(key))).toEqual([]);
  });

  it('uses every key somewhere (diagnoses through the catalogue’s id list)', () => {
    expect(dynamicPrefixes).toContain('ui:errors.');
    const diagnosisIds = new Set<string>(DIAGNOSTIC_IDS);
    const used = (key: string): boolean => {
      const base = key.replace(PLURAL, '');
      if (key.startsWith('diagnostics:')) return diagnosisIds.has(key.slice('diagnostics:'.length).split('.')[0] ?? '');
      return quoted(base) || dynamicPrefixes.some((p) => base.startsWith(p));
    };
    expect([...de.keys()].filter((key) => !used(key) && !AWAITING_WIRING.includes(key))).toEqual([]);
    expect(AWAITING_WIRING.filter((key) => used(key))).toEqual([]);
    for (const key of AWAITING_WIRING) expect(de.has(key), key).toBe(true);
  });

  it('uses the manual’s German labels and Entra’s English terms', () => {
    expect(de.get('ui:fields.clientId')).toBe('Anwendungs-ID (Client)');
    expect(de.get('ui:fields.tenant')).toBe('Verzeichnis-ID (Mandant)');
    expect(de.get('ui:fields.clientSecret')).toBe('Geheimer Clientschlüssel');
    expect(en.get('ui:fields.clientId')).toBe('Application (client) ID');
    expect(en.get('ui:fields.tenant')).toBe('Directory (tenant) ID');
    expect(en.get('ui:fields.clientSecret')).toBe('Client secret');
  });
});
