import { describe, expect, it } from 'vitest';
import { isLoopback, parseAllowlist } from './client-allowlist';

describe('client allowlist', () => {
  it('matches exact IPs and CIDRs, IPv4 (also IPv4-mapped IPv6) and IPv6', () => {
    const list = parseAllowlist(['10.1.2.0/24', '192.168.7.9', '2001:db8::/32']);
    expect(list.allows('10.1.2.77')).toBe(true);
    expect(list.allows('::ffff:10.1.2.77')).toBe(true);
    expect(list.allows('10.1.3.1')).toBe(false);
    expect(list.allows('192.168.7.9')).toBe(true);
    expect(list.allows('192.168.7.10')).toBe(false);
    expect(list.allows('2001:db8:1::5')).toBe(true);
    expect(list.allows('2001:db9::1')).toBe(false);
    expect(list.allows('not-an-ip')).toBe(false);
  });

  it('refuses entries that are not an IP or CIDR, so a typo cannot widen the list', () => {
    for (const bad of ['10.0.0.0/33', 'erp.example.com', '10.0.0.0/8/1', '*', '10.0.0.0/x'])
      expect(() => parseAllowlist([bad])).toThrow(/not an IP address or CIDR/);
  });

  it('knows loopback in both families', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
  });
});
