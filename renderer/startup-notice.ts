import { t } from '../shared/i18n/translate';

// Shown before i18next exists: the core may still wait for the OS keychain (a prompt can take a while).

/** The text in the browser's language (Electron's --lang / the OS language): German or English. */
export function startupNotice(language: string): string {
  return t(language.toLowerCase().startsWith('de') ? 'de' : 'en', 'startupNotice');
}

/**
 * Puts the notice into the empty root after a short delay (no flash when the core answers at once);
 * React's first render replaces it. Returns the cancel function.
 */
export function showStartupNotice(root: HTMLElement, language: string, delayMs = 300): () => void {
  const timer = setTimeout(() => {
    if (root.childNodes.length > 0) return;
    const p = root.ownerDocument.createElement('p');
    p.setAttribute('role', 'status');
    p.style.cssText = 'font: 14px system-ui, sans-serif; margin: 2rem;';
    p.textContent = startupNotice(language);
    root.append(p);
  }, delayMs);
  return () => clearTimeout(timer);
}
