import { CSP_NONCE_PLACEHOLDER } from '../shared/csp';

/**
 * This page load's style nonce, from Vite's <meta property="csp-nonce"> as the app:// handler filled it in.
 * Read from the nonce property: Chromium hides the attribute once the page is parsed. An unreplaced
 * placeholder is refused, so a page served without the handler shows unstyled and reports CSP violations.
 */
export function styleNonce(doc: Document): string | undefined {
  const meta = doc.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');
  const nonce = meta?.nonce || meta?.getAttribute('nonce') || '';
  return nonce === '' || nonce === CSP_NONCE_PLACEHOLDER ? undefined : nonce;
}
