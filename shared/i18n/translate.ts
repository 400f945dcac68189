import type { Language } from '../domain';
import { DEFAULT_NAMESPACE, NAMESPACES, RESOURCES, type Namespace, type TextTree } from './resources';

// The translator for code without i18next (main process, core, the renderer before i18next starts):
// the same resources, key syntax (`ns:a.b`), plural suffixes and {{param}} interpolation as i18next
// with escapeValue false; translate.test.ts holds it to i18next's output for every key.

export type TextParams = Readonly<Record<string, string | number | boolean | null | undefined>>;

function lookup(tree: TextTree | undefined, path: string): string | undefined {
  let node: TextTree | string | undefined = tree;
  for (const part of path.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = Object.hasOwn(node, part) ? node[part] : undefined;
  }
  return typeof node === 'string' ? node : undefined;
}

function splitKey(key: string): { ns: Namespace; path: string } {
  const at = key.indexOf(':');
  const ns = key.slice(0, at);
  return at > 0 && (NAMESPACES as readonly string[]).includes(ns)
    ? { ns: ns as Namespace, path: key.slice(at + 1) }
    : { ns: DEFAULT_NAMESPACE, path: key };
}

/** Fills {{name}} in one pass (a value is never read as a template); an unknown name stays as written. */
function interpolate(text: string, params: TextParams): string {
  return text.replace(/\{\{(.+?)\}\}/g, (match, name: string) => {
    const key = name.trim();
    const value = Object.hasOwn(params, key) ? params[key] : undefined;
    // As i18next: an unknown name stays, null becomes empty.
    return value === undefined ? match : value === null ? '' : String(value);
  });
}

/** The text for `key` in `language`; like i18next, a missing key comes back as the key itself. */
export function t(language: Language, key: string, params: TextParams = {}): string {
  const { ns, path } = splitKey(key);
  const tree = RESOURCES[language][ns];
  const count = params['count'];
  // As i18next: `_zero` wins for a count of 0 in every language ("heute" instead of "noch 0 Tage").
  const zero = count === 0 ? lookup(tree, `${path}_zero`) : undefined;
  const plural =
    zero ?? (typeof count === 'number' ? lookup(tree, `${path}_${new Intl.PluralRules(language).select(count)}`) : undefined);
  const text = plural ?? lookup(tree, path);
  return text === undefined ? key : interpolate(text, params);
}
