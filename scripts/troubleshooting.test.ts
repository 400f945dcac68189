import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSTIC_IDS, diagnosticCatalogue } from '../shared/diagnostics/catalogue';
import { classifyError } from '../electron/core/diagnostics/classify';
import { codesFor, missingTexts, readable, regenerate, renderPage } from './troubleshooting';

const root = join(import.meta.dirname, '..');

describe('troubleshooting page parts', () => {
  it('finds no catalogue entry without a title or advice in German or English', () => {
    expect(missingTexts(diagnosticCatalogue)).toEqual([]);
  });

  it('reports an entry whose text is empty or missing in either language', () => {
    const en = { ...diagnosticCatalogue.en, 'net-dns': { title: '  ', advice: 'x' } };
    const de: Partial<typeof diagnosticCatalogue.de> = { ...diagnosticCatalogue.de };
    delete de['graph-throttled'];
    expect(missingTexts({ en, de })).toEqual(['en net-dns title', 'de graph-throttled title', 'de graph-throttled advice']);
  });

  it('renders {{params}} as a readable placeholder and escapes Markdown', () => {
    expect(readable('No answer from {{host}} after {{ seconds }} s')).toBe('No answer from `<host>` after `<seconds>` s');
    expect(readable('a_b *c* [d] <e>')).toBe('a\\_b \\*c\\* \\[d\\] \\<e\\>');
    for (const lang of ['en', 'de'] as const) expect(renderPage(lang)).not.toMatch(/\{\{|\}\}/);
  });

  it('lists the codes from the classifier tables and those its code handles', () => {
    expect(codesFor('aad-redirect-uri-mismatch')).toEqual(['AADSTS50011']);
    expect(codesFor('aad-consent-missing')).toEqual(['AADSTS65001', 'AADSTS90094', 'AADSTS90095']);
    expect(codesFor('graph-send-as-denied')).toEqual(['ErrorSendAsDenied']);
    expect(codesFor('net-dns')).toEqual(expect.arrayContaining(['ENOTFOUND', 'EAI_AGAIN']));
    expect(codesFor('net-proxy')).toEqual(expect.arrayContaining(['UND_ERR_PRX_TLS', 'HTTP 407']));
  });

  // The HTTP statuses the page names for Graph must be what the classifier really does with them.
  it.each([
    [407, undefined, 'net-proxy'],
    [401, undefined, 'graph-token-invalid'],
    [429, undefined, 'graph-throttled-unspecified'],
    [503, undefined, 'graph-unavailable'],
    [504, 'sendMail', 'graph-send-outcome-unknown'],
    [500, undefined, 'graph-server-error'],
  ] as const)('HTTP %i (%s) is listed under the diagnosis it classifies as', (status, operation, id) => {
    const finding = classifyError(
      { status, error: { code: 'SomethingNew', message: 'x' } },
      operation === undefined ? {} : { operation },
    );
    expect(finding.id).toBe(id);
    const shown = codesFor(id);
    expect(shown.includes(`HTTP ${status}`) || shown.includes(`HTTP ${String(status).charAt(0)}xx`), shown.join()).toBe(true);
  });

  it('has every diagnosis once per page, with its codes', () => {
    for (const lang of ['en', 'de'] as const) {
      const page = renderPage(lang);
      for (const id of DIAGNOSTIC_IDS) expect(page.split(`\`${id}\``).length - 1, `${lang} ${id}`).toBe(1);
      expect(page).toContain('`AADSTS7000222`');
      expect(page).toContain(diagnosticCatalogue[lang]['aad-secret-expired'].title);
    }
  });
});

describe('docs/troubleshooting.md and docs/troubleshooting.de.md', () => {
  let pages: Awaited<ReturnType<typeof regenerate>>;
  beforeAll(async () => {
    pages = await regenerate(root);
  }, 60_000);

  it('are committed as generated from the catalogue (else run npx tsx scripts/troubleshooting.ts)', () => {
    expect(pages.map((p) => p.file)).toEqual(['docs/troubleshooting.md', 'docs/troubleshooting.de.md']);
    for (const { file, current, next } of pages) expect(current, file).toBe(next);
  });
});
