import type { TextTree } from '../shared/i18n/resources';
import type { LanguageTexts } from './i18n/texts';

// Shown before i18next exists: the core may still wait for the OS keychain (a prompt can take a while).

/** The notice from a language's `ui` texts. */
export function startupNotice(ui: TextTree): string {
  const text = ui['startupNotice'];
  return typeof text === 'string' ? text : '';
}

/**
 * Puts the notice, in the browser's language (Electron's --lang / the OS language), into the empty root after a
 * short delay (no flash when the core answers at once); React's first render replaces it. Returns the cancel function.
 */
export function showStartupNotice(root: HTMLElement, texts: Promise<LanguageTexts>, delayMs = 300): () => void {
  let cancelled = false;
  const timer = setTimeout(() => {
    texts
      .then(({ ui }) => {
        if (cancelled || root.childNodes.length > 0) return;
        const p = root.ownerDocument.createElement('p');
        p.setAttribute('role', 'status');
        p.style.cssText = 'font: 14px system-ui, sans-serif; margin: 2rem;';
        p.textContent = startupNotice(ui);
        root.append(p);
      })
      // No notice then: the start loads the admin's texts itself and reports a failure there (boot.tsx).
      .catch(() => undefined);
  }, delayMs);
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
}
