import { describe, expect, it } from 'vitest';
import { LoginLockout } from './login-lockout';

describe('login lockout', () => {
  it('locks after the threshold, doubles the wait per further failure up to the cap, and forgets on success', () => {
    let now = 0;
    const lockout = new LoginLockout({ threshold: 3, baseMs: 1_000, maxMs: 5_000 }, () => now);
    lockout.fail('10.0.0.1');
    lockout.fail('10.0.0.1');
    expect(lockout.lockedFor('10.0.0.1')).toBe(0);
    lockout.fail('10.0.0.1');
    expect(lockout.lockedFor('10.0.0.1')).toBe(1_000);
    lockout.fail('10.0.0.1');
    expect(lockout.lockedFor('10.0.0.1')).toBe(2_000);
    for (let i = 0; i < 10; i += 1) lockout.fail('10.0.0.1');
    expect(lockout.lockedFor('10.0.0.1')).toBe(5_000);
    expect(lockout.lockedFor('10.0.0.2')).toBe(0);
    now = 5_000;
    expect(lockout.lockedFor('10.0.0.1')).toBe(0);
    lockout.succeed('10.0.0.1');
    lockout.fail('10.0.0.1');
    expect(lockout.lockedFor('10.0.0.1')).toBe(0);
  });
});
