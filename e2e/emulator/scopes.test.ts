import { describe, expect, it } from 'vitest';
import { parseScopes, responseScope } from './scopes';

describe('scope parsing', () => {
  it('splits OIDC, Graph, .default, foreign and unknown scopes', () => {
    const s = parseScopes(
      'https://graph.microsoft.com/Mail.Send User.Read openid profile offline_access https://x.example/.default Foo.Bar',
    );
    expect([...s.oidc]).toEqual(['openid', 'profile', 'offline_access']);
    expect(s.graph).toEqual(['Mail.Send', 'User.Read']);
    expect(s.foreign).toEqual(['https://x.example/.default']);
    expect(s.unknown).toEqual(['Foo.Bar']);
    expect(parseScopes('https://graph.microsoft.com/.default').graphDefault).toBe(true);
  });

  it('echoes scopes like Entra (no offline_access)', () => {
    expect(responseScope(['Mail.Send'], new Set(['openid', 'profile', 'offline_access']))).toBe(
      'https://graph.microsoft.com/Mail.Send openid profile email',
    );
  });
});
