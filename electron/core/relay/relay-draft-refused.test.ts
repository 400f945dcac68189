import { describe, expect, it } from 'vitest';
import { draftRefusedReason } from './relay-worker';

const mailbox = 'einkauf@contoso.example';

describe('relay: why a draft was refused (403)', () => {
  it('an app-only profile is told the application permission', () => {
    expect(draftRefusedReason('en', 'client-secret', { mailbox })).toContain('Mail.ReadWrite missing');
    expect(draftRefusedReason('en', 'client-certificate', { mailbox })).toContain('application permission');
  });

  it('a sign-in without delegated Mail.ReadWrite is told the delegated permission and a new sign-in', () => {
    const text = draftRefusedReason('en', 'modern-auth', { mailbox, delegatedScopes: ['Mail.Send', 'User.Read'] });
    expect(text).toContain('delegated permission Mail.ReadWrite');
    expect(text).toContain('Authenticate');
  });

  it('a sign-in whose token holds Mail.ReadWrite is not told it is missing: the account lacks rights in the mailbox', () => {
    for (const language of ['de', 'en'] as const) {
      const text = draftRefusedReason(language, 'modern-auth', { mailbox, delegatedScopes: ['Mail.ReadWrite', 'Mail.Send'] });
      expect(text).not.toMatch(/Mail\.ReadWrite (missing|fehlt)/);
      expect(text).toContain(mailbox);
      expect(text).toContain('Mail.ReadWrite.Shared');
    }
    expect(draftRefusedReason('de', 'modern-auth', { mailbox, delegatedScopes: ['Mail.ReadWrite'] })).toContain(
      'Lesen und verwalten (Vollzugriff)',
    );
  });
});
