import { describe, expect, it } from 'vitest';
import { CSP_NONCE_PLACEHOLDER } from '../shared/csp';
import { styleNonce } from './style-nonce';

// Just enough of a Document: the meta element with its nonce property and (possibly hidden) attribute.
const docWith = (meta: { nonce: string; attribute: string | null } | null) =>
  ({
    querySelector: (selector: string) => {
      expect(selector).toBe('meta[property="csp-nonce"]');
      return meta && { nonce: meta.nonce, getAttribute: (name: string) => (name === 'nonce' ? meta.attribute : null) };
    },
  }) as unknown as Document;

describe('styleNonce (EL-7)', () => {
  it('reads the nonce property, which Chromium keeps after hiding the attribute', () => {
    expect(styleNonce(docWith({ nonce: 'q5Ud0kx2m1Yc7x4Hn0Qm1g==', attribute: '' }))).toBe('q5Ud0kx2m1Yc7x4Hn0Qm1g==');
    expect(styleNonce(docWith({ nonce: '', attribute: 'q5Ud0kx2m1Yc7x4Hn0Qm1g==' }))).toBe('q5Ud0kx2m1Yc7x4Hn0Qm1g==');
  });

  it('has none without the tag, and refuses the unreplaced build placeholder', () => {
    expect(styleNonce(docWith(null))).toBeUndefined();
    expect(styleNonce(docWith({ nonce: '', attribute: null }))).toBeUndefined();
    expect(styleNonce(docWith({ nonce: CSP_NONCE_PLACEHOLDER, attribute: CSP_NONCE_PLACEHOLDER }))).toBeUndefined();
  });
});
