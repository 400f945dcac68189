import { LogLevel } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { MICROSOFT_CLOUDS } from '../net/endpoints';
import { MemoryLogger } from '../testing/in-memory';
import { UndiciTransport } from '../testing/undici-transport';
import { authorityOptions, systemOptions } from './msal-options';

describe('MSAL options', () => {
  // SH-4: PII logging off, PII-marked messages dropped before our logger, Warning in production.
  it('turns PII logging off, drops what MSAL marks as PII, and logs at Warning by default', () => {
    const logger = new MemoryLogger();
    const options = systemOptions(logger, 1_000, new UndiciTransport({ systemProxy: '' }));
    const logging = options.loggerOptions;
    expect(logging?.piiLoggingEnabled).toBe(false);
    expect(logging?.logLevel).toBe(LogLevel.Warning);
    logging?.loggerCallback?.(LogLevel.Error, 'user bestellung@contoso.com failed', true);
    logging?.loggerCallback?.(LogLevel.Warning, 'token endpoint slow', false);
    logging?.loggerCallback?.(LogLevel.Error, 'request failed', false);
    expect(JSON.stringify(logger)).not.toContain('bestellung@contoso.com');
    expect(JSON.stringify(logger)).toContain('msal: token endpoint slow');
    expect(JSON.stringify(logger)).toContain('msal: request failed');
  });

  // OA-7: the authority comes from the fixed cloud table, with its metadata: MSAL makes no discovery request.
  it('builds the authority from the fixed cloud table with metadata for every endpoint', () => {
    const auth = authorityOptions(MICROSOFT_CLOUDS.global, 'contoso.onmicrosoft.com');
    expect(auth.authority).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com');
    expect(auth.knownAuthorities).toEqual(['login.microsoftonline.com']);
    const metadata = JSON.parse(auth.authorityMetadata ?? '{}') as Record<string, string>;
    for (const url of Object.values(metadata)) expect(new URL(url).origin).toBe('https://login.microsoftonline.com');
    for (const cloud of Object.values(MICROSOFT_CLOUDS)) {
      expect(new URL(cloud.authorityHost).protocol).toBe('https:');
      expect(new URL(cloud.graphRoot).protocol).toBe('https:');
    }
  });
});
