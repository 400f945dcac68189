// Shown before i18n exists: the core may still wait for the OS keychain (a prompt can take a while).
const NOTICE = {
  de: 'Absender wird gestartet – Schlüsselbund wird geöffnet …',
  en: 'Starting Absender – opening the keychain …',
} as const;

/** The text in the browser's language (Electron's --lang / the OS language): German or English. */
export function startupNotice(language: string): string {
  return language.toLowerCase().startsWith('de') ? NOTICE.de : NOTICE.en;
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
