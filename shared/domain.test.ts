import { describe, expect, it } from 'vitest';
import { ProfileDraft, ProfileId, ProfileView, ProxySetting, ProxyUrl, Settings, SignInHost, SignInHosts } from './domain';
import { VALID_DRAFT } from './testing/fixtures';

const DRAFT = VALID_DRAFT;
const errorsOf = (input: unknown) =>
  ProfileDraft.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}:${i.message}`) ?? [];

describe('ProfileDraft', () => {
  it('accepts a GUID or a verified domain as tenant', () => {
    expect(errorsOf(DRAFT)).toEqual([]);
    expect(errorsOf({ ...DRAFT, tenant: '99999999-8888-7777-6666-555555555555' })).toEqual([]);
  });

  it.each([
    [{ tenant: 'contoso' }, 'tenant:validation.tenant'],
    [{ clientId: '1234' }, 'clientId:validation.guid'],
    [{ senderAddress: 'bestellung' }, 'senderAddress:validation.email'],
    [{ name: '   ' }, 'name:validation.required'],
  ])('names the field and the i18n key for %j', (patch, expected) => {
    expect(errorsOf({ ...DRAFT, ...patch })).toContain(expected);
  });

  // SH-2: lengths are bounded.
  it('checks the length before the format: a 1 MB address is "too long", not a stack overflow', () => {
    const huge = `a@${'a.'.repeat(500_000)}de`;
    expect(errorsOf({ ...DRAFT, senderAddress: huge })).toEqual(['senderAddress:validation.tooLong']);
    expect(errorsOf({ ...DRAFT, tenant: huge, clientId: huge })).toEqual([
      'clientId:validation.tooLong',
      'tenant:validation.tooLong',
    ]);
  });

  it.each([
    'Bestellungen\u0000',
    'Bestellungen\r\nBcc: x@evil.test',
    'Rabatte\u202egnp.exe',
    'a\u2066b',
    'tab\there',
    'c1\u0085',
  ])('refuses control and bidi characters in every text field: %j', (bad) => {
    expect(errorsOf({ ...DRAFT, name: bad })).toContain('name:validation.controlChars');
    expect(errorsOf({ ...DRAFT, senderAddress: `x${bad}@contoso.com` })).toContain('senderAddress:validation.controlChars');
    expect(errorsOf({ ...DRAFT, mailboxAddress: `${bad}@contoso.com` })).toContain('mailboxAddress:validation.controlChars');
    expect(errorsOf({ ...DRAFT, tenant: `contoso${bad}.de` })).toContain('tenant:validation.controlChars');
  });

  it('keeps umlauts and other printable Unicode in names', () => {
    expect(errorsOf({ ...DRAFT, name: 'Bestellungen Süd – Lager «Ost» 東京' })).toEqual([]);
  });

  it.each(['constructor', '__proto__', 'hasOwnProperty', 'toString', '../../etc/passwd', 'p1'])(
    'accepts only UUIDs as profile ids, not %j',
    (id) => {
      expect(ProfileId.safeParse(id).success).toBe(false);
      expect(ProfileDraft.safeParse({ ...DRAFT, id }).success).toBe(false);
    },
  );

  // DS-2, SH-2: strict schemas.
  it('rejects unknown keys (no field can smuggle a secret into a profile)', () => {
    expect(ProfileDraft.safeParse({ ...DRAFT, clientSecret: 'x' }).success).toBe(false);
  });
});

describe('ProfileView (what the renderer sees)', () => {
  // SH-1: the renderer's view carries no secret.
  it('has no key that could carry a secret or a token beyond the allowed metadata', () => {
    const allowed = new Set(['secret', 'hasSecret', 'secretHint', 'secretExpiresOn']);
    const keys: string[] = [];
    const walk = (shape: Record<string, unknown>): void => {
      for (const [key, value] of Object.entries(shape)) {
        keys.push(key);
        const inner = (
          value as { def?: { shape?: Record<string, unknown>; innerType?: { def?: { shape?: Record<string, unknown> } } } }
        ).def;
        const nested = inner?.shape ?? inner?.innerType?.def?.shape;
        if (nested) walk(nested);
      }
    };
    walk(ProfileView.shape);
    expect(keys).toContain('secretHint');
    expect(keys.filter((k) => /secret|token|password/i.test(k) && !allowed.has(k))).toEqual([]);
  });
});

describe('ProxySetting / ProxyUrl', () => {
  const issue = (v: string) => ProxyUrl.safeParse(v).error?.issues[0]?.message ?? null;

  it('takes system, none and http://host:port', () => {
    for (const ok of ['system', 'none', 'http://proxy.contoso.com:8080', 'http://10.0.0.8:3128/', 'http://[::1]:3128'])
      expect(ProxySetting.safeParse(ok).success, ok).toBe(true);
    expect(ProxyUrl.parse('  http://proxy:8080  ')).toBe('http://proxy:8080');
  });

  it('refuses credentials in the URL with their own field message', () => {
    expect(issue('http://user:pw@proxy.contoso.com:8080')).toBe('validation.proxyCredentials');
    expect(issue('http://user@proxy.contoso.com:8080')).toBe('validation.proxyCredentials');
    expect(issue('http://:pw@proxy:8080')).toBe('validation.proxyCredentials');
  });

  it('refuses anything else as a proxy URL', () => {
    for (const bad of [
      '',
      'proxy:8080',
      'https://proxy:8443',
      'socks5://proxy:1080',
      'http://proxy',
      'http://proxy:0',
      'http://proxy:70000',
      'http://proxy:8080/path',
      'http://proxy:8080?x=1',
      'http://pro xy:8080',
    ])
      expect(issue(bad), bad).toBe('validation.proxyUrl');
    expect(ProxySetting.safeParse('System').success).toBe(false);
  });

  it('stored settings without a proxy read as "system"', () => {
    expect(Settings.parse({ language: null, acceptedWeakEncryption: false }).proxy).toBe('system');
    expect(Settings.safeParse({ language: null, acceptedWeakEncryption: false, proxy: 'http://u:p@h:1' }).success).toBe(false);
  });
});

describe('SignInHost (extra sign-in hosts: federation servers)', () => {
  const issue = (v: string) => SignInHost.safeParse(v).error?.issues[0]?.message ?? null;

  it('keeps the exact host[:port], lower-cased, IDN as punycode, the default port dropped', () => {
    expect(SignInHost.parse('  ADFS.Contoso.com ')).toBe('adfs.contoso.com');
    expect(SignInHost.parse('sts.contoso.com:4443')).toBe('sts.contoso.com:4443');
    expect(SignInHost.parse('sts.contoso.com:443')).toBe('sts.contoso.com'); // what the window compares for :443
    expect(SignInHost.parse('anmeldung.müller.de')).toBe('anmeldung.xn--mller-kva.de');
    expect(SignInHost.parse('localhost:9443')).toBe('localhost:9443');
  });

  it('refuses wildcards, schemes, paths, credentials and IP literals, each with its message', () => {
    expect(issue('*.contoso.com')).toBe('validation.signInHostWildcard');
    for (const bad of [
      '',
      'https://adfs.contoso.com',
      'adfs.contoso.com/adfs/ls',
      'adfs.contoso.com?x=1',
      'user@adfs.contoso.com',
      'adfs contoso.com',
      'adfs.contoso.com:70000',
      'adfs.contoso.com.',
      '.contoso.com',
    ])
      expect(issue(bad), bad).toBe('validation.signInHostFormat');
    for (const ip of ['10.0.0.5', '10.0.0.5:443', '0x7f.1', '[::1]', '[2001:db8::1]:8443'])
      expect(issue(ip), ip).toBe('validation.signInHostIp');
  });

  it('a list is de-duplicated after canonicalization and bounded; old settings files have none', () => {
    expect(SignInHosts.parse(['adfs.contoso.com', 'ADFS.contoso.com:443'])).toEqual(['adfs.contoso.com']);
    expect(SignInHosts.safeParse(Array.from({ length: 21 }, (_, i) => `h${i}.contoso.com`)).success).toBe(false);
    expect(Settings.parse({ language: null, acceptedWeakEncryption: false }).signInHosts).toEqual([]);
    expect(Settings.safeParse({ language: null, acceptedWeakEncryption: false, signInHosts: ['*.evil.test'] }).success).toBe(
      false,
    );
  });
});
