import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loggableUser } from './relay-server';

describe('loggableUser (relay.login-failed)', () => {
  it('logs an address as is', () => {
    expect(loggableUser('erp@contoso.com')).toBe('erp@contoso.com');
  });

  it('logs anything else (a password typed into the user field) only as the first 8 hex of its SHA-256', () => {
    const secret = 'Sommer2026!geheim';
    const logged = loggableUser(secret);
    expect(logged).not.toContain(secret);
    expect(logged).toBe(`sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 8)}`);
    expect(logged).toMatch(/^sha256:[0-9a-f]{8}$/);
    expect(loggableUser('')).toMatch(/^sha256:[0-9a-f]{8}$/);
    expect(loggableUser('a@b.com\r\nX: y')).not.toContain('a@b.com');
  });
});
