import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cipherContract } from '../../electron/core/testing/cipher-contract';
import { AesGcmCipher } from './aes-gcm-cipher';

describe('AesGcmCipher satisfies the Cipher contract (SS-9)', () => {
  cipherContract({
    make: () => Promise.resolve(new AesGcmCipher()),
    makeWithOtherKey: () => Promise.resolve(new AesGcmCipher(randomBytes(32))),
    rotate: () => {
      const oldKey = randomBytes(32);
      return Promise.resolve({
        before: new AesGcmCipher(oldKey),
        after: () => Promise.resolve(new AesGcmCipher(randomBytes(32), undefined, [oldKey])),
      });
    },
  });

  it('reports basic_text and unknown as unavailable', () => {
    expect(new AesGcmCipher(undefined, 'basic_text').isAvailable()).toBe(false);
    expect(new AesGcmCipher(undefined, 'unknown').isAvailable()).toBe(false);
    expect(new AesGcmCipher(undefined, 'kwallet6').isAvailable()).toBe(true);
  });
});
