import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { redact, redactText } from './redact';

describe('redact', () => {
  it.each([
    ['Authorization: Bearer abc.def.ghi123456', 'abc.def.ghi123456'],
    ['token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', 'eyJzdWIiOiJ4In0'],
    ['client_secret=Abc~123.xyz&grant_type=client_credentials', 'Abc~123.xyz'],
    ['https://x/nativeclient?code=0.AAAA-code&state=st4te', '0.AAAA-code'],
    ['{"refresh_token":"1.AQ-rt-value"}', '1.AQ-rt-value'],
    ['code_verifier=verifier-abcdefg', 'verifier-abcdefg'],
  ])('removes %s', (input, needle) => {
    expect(redactText(input)).not.toContain(needle);
  });

  it('removes known secret values and the home directory', () => {
    const out = redactText(`failed with S3cr3t-Value in ${homedir()}/.config/absender`, ['S3cr3t-Value']);
    expect(out).not.toContain('S3cr3t-Value');
    expect(out).not.toContain(homedir());
  });

  it('walks nested objects and Error.cause chains', () => {
    const error = new Error('outer', { cause: new Error('inner Bearer abcdefghijkl') });
    const out = JSON.stringify(redact({ error, config: { headers: { Authorization: 'Bearer zzz' } } }));
    expect(out).not.toContain('abcdefghijkl');
    expect(out).not.toContain('zzz');
    expect(out).toContain('outer');
  });
});
