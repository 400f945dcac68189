import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { holdSecret, redact, redactText } from './redact';

// SH-3: the one redact().
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

// SH-3: by key, and the values of secrets held now.
describe('redact by key and by held value', () => {
  it.each([
    ['refreshToken', '1.AQ-camel-rt'],
    ['accessToken', 'at-camel-value'],
    ['secret', 'msal-secret-value'],
    ['clientSecret', 'Abc8Q~camel'],
    ['Cookie', 'ESTSAUTH=cookie-value'],
    ['authorization', 'Basic dXNlcjpwYXNz'],
    ['privateKey', 'pk-material-value'],
  ])('blanks the value of %s in objects and in JSON text', (key, value) => {
    expect(JSON.stringify(redact({ nested: { [key]: value } }))).not.toContain(value);
    expect(redactText(JSON.stringify({ [key]: value }))).not.toContain(value);
  });

  it('keeps error and status codes, which support needs', () => {
    const out = redact({ errorCode: 'invalid_client', statusCode: 401, code: 'ErrorAccessDenied', subError: 'bad_token' });
    expect(out).toEqual({ errorCode: 'invalid_client', statusCode: 401, code: 'ErrorAccessDenied', subError: 'bad_token' });
    expect(redactText('{"errorCode":"invalid_client","statusCode":401}')).toBe('{"errorCode":"invalid_client","statusCode":401}');
  });

  it('keeps codes readable in text, where support needs them', () => {
    expect(redactText('AADSTS7000215 · Code: AADSTS7000215 · HTTP 401')).toBe('AADSTS7000215 · Code: AADSTS7000215 · HTTP 401');
    expect(redactText('{"error":{"code":"ErrorAccessDenied","message":"Access is denied."}}')).toContain(
      '"code":"ErrorAccessDenied"',
    );
    expect(redactText('error code: 401')).toBe('error code: 401');
    expect(redactText('grant_type=authorization_code&code=0.AAA-secret-code&state=st4te')).not.toMatch(
      /0\.AAA-secret-code|st4te/,
    );
    expect(redactText('code=0.AAA-first-param&x=1')).not.toContain('0.AAA-first-param');
  });

  it('cuts Cookie headers and proxy credentials from text', () => {
    const out = redactText('Cookie: ESTSAUTH=abc123; x-ms-gateway=1\nProxy-Authorization: Basic dXNlcjpwYXNz\nnext');
    expect(out).not.toContain('abc123');
    expect(out).not.toContain('dXNlcjpwYXNz');
    expect(out).toContain('next');
  });

  it('removes the bare value of every secret the core holds, and stops once it is released', () => {
    const value = 'HeldSecret-2f9c1e';
    const release = holdSecret(value);
    expect(redactText(`MSAL said ${value} was refused`)).toBe('MSAL said [redacted-secret] was refused');
    expect(JSON.stringify(redact({ note: `x${value}x` }))).not.toContain(value);
    release();
    expect(redactText(`later ${value}`)).toContain(value);
  });

  it('writes bytes as a length, never as a list of numbers', () => {
    const out = JSON.stringify(redact({ ciphertext: Buffer.from('v10secret-bytes'), raw: new Uint8Array([1, 2, 3]) }));
    expect(out).toContain('[binary 15 bytes]');
    expect(out).not.toMatch(/"0":|\[1,2,3\]/);
  });

  it('keeps the armour but not the body of a PEM private key', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    const out = redactText(`import failed: ${pem}`);
    expect(out).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(out).toContain('BEGIN PRIVATE KEY');
  });
});
