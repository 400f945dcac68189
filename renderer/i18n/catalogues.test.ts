import { describe, expect, it } from 'vitest';
import de from './de.json';
import en from './en.json';

const flatten = (obj: object, prefix = ''): Record<string, string> =>
  Object.fromEntries(
    Object.entries(obj).flatMap(([k, v]) =>
      typeof v === 'object' && v !== null
        ? Object.entries(flatten(v as object, `${prefix}${k}.`))
        : [[`${prefix}${k}`, String(v)]],
    ),
  );
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('i18n catalogues', () => {
  const fde = flatten(de);
  const fen = flatten(en);
  it('have the same keys in German and English', () => {
    expect(Object.keys(fde).filter((k) => !(k in fen))).toEqual([]);
    expect(Object.keys(fen).filter((k) => !(k in fde))).toEqual([]);
  });
  it('use the same placeholders and no empty text', () => {
    for (const [key, text] of Object.entries(fde)) {
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(text), key).toEqual(placeholders(fen[key] ?? ''));
    }
  });
  it('contain every key the renderer names literally', () => {
    const sources = import.meta.glob<string>(['../**/*.tsx', '../**/*.ts', '!../**/*.test.ts'], {
      query: '?raw',
      import: 'default',
      eager: true,
    });
    const used = Object.values(sources).flatMap((src) => [...src.matchAll(/\bt\('([a-zA-Z][\w.-]+)'/g)].map((m) => m[1] ?? ''));
    expect(used.length).toBeGreaterThan(20);
    const has = (f: Record<string, string>, key: string) => key in f || `${key}_one` in f;
    expect(used.filter((key) => !has(fde, key) || !has(fen, key))).toEqual([]);
  });
  it('use the manual’s German labels and Entra’s English terms', () => {
    expect(fde['fields.clientId']).toBe('Anwendungs-ID (Client)');
    expect(fde['fields.tenant']).toBe('Verzeichnis-ID (Mandant)');
    expect(fde['fields.clientSecret']).toBe('Geheimer Clientschlüssel');
    expect(fen['fields.clientId']).toBe('Application (client) ID');
    expect(fen['fields.tenant']).toBe('Directory (tenant) ID');
    expect(fen['fields.clientSecret']).toBe('Client secret');
  });
});
