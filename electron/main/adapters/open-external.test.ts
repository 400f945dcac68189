import { describe, expect, it } from 'vitest';
import { httpsOnlyOpener, systemBrowserVia } from './open-external';

// EL-1: nothing but https leaves for the OS browser.
describe('httpsOnlyOpener (EL-15, OA-L2)', () => {
  const opened: string[] = [];
  const open = httpsOnlyOpener((url) => {
    opened.push(url);
    return Promise.resolve();
  });

  it('opens https URLs', async () => {
    await open('https://login.microsoftonline.com/contoso.example/oauth2/v2.0/authorize?client_id=x');
    expect(opened).toEqual(['https://login.microsoftonline.com/contoso.example/oauth2/v2.0/authorize?client_id=x']);
  });

  it.each([
    'http://login.microsoftonline.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'ms-settings:privacy',
    'smb://server/share',
    'https://login.microsoftonline.com@evil.test/',
    'not a url',
  ])('refuses %s', async (url) => {
    const before = opened.length;
    await expect(open(url)).rejects.toThrow(/openExternal/);
    expect(opened).toHaveLength(before);
  });

  it('the system browser port goes through the same check', async () => {
    const seen: string[] = [];
    const browser = systemBrowserVia((url) => {
      seen.push(url);
      return Promise.resolve();
    });
    await expect(browser.open('http://localhost:1234/')).rejects.toThrow(/https only/);
    await browser.open('https://login.microsoftonline.com/x');
    expect(seen).toEqual(['https://login.microsoftonline.com/x']);
  });
});

describe('httpsOnlyOpener with a host allowlist (EL-15)', () => {
  it('opens only the listed hosts', async () => {
    const opened: string[] = [];
    const open = httpsOnlyOpener((url) => Promise.resolve(void opened.push(url)), new Set(['learn.microsoft.com']));
    await open('https://learn.microsoft.com/graph/auth-limit-mailbox-access');
    await expect(open('https://evil.example/')).rejects.toThrow('host not allowed');
    await expect(open('https://learn.microsoft.com.evil.example/')).rejects.toThrow('host not allowed');
    expect(opened).toEqual(['https://learn.microsoft.com/graph/auth-limit-mailbox-access']);
  });
});
