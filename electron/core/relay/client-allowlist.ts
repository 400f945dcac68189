import { BlockList, isIP } from 'node:net';

/** The addresses a relay on a non-loopback address answers: exact IPs and CIDRs, IPv4 and IPv6. */
export interface ClientAllowlist {
  allows(address: string): boolean;
  readonly entries: readonly string[];
}

const stripMapped = (address: string): string => /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;

export const isLoopback = (address: string): boolean => {
  const a = stripMapped(address);
  return a === '::1' || /^127\./.test(a);
};

/** Throws on an entry that is not an IP or CIDR: a typo must not widen or silently narrow the list. */
export function parseAllowlist(entries: readonly string[]): ClientAllowlist {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    const [ip = '', bits, extra] = entry.split('/');
    const family = isIP(ip);
    if (family === 0 || extra !== undefined) throw new Error(`not an IP address or CIDR: ${entry}`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      list.addAddress(ip, type);
      continue;
    }
    const prefix = Number(bits);
    if (!/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new Error(`not an IP address or CIDR: ${entry}`);
    list.addSubnet(ip, prefix, type);
  }
  return {
    entries: [...entries],
    allows(address) {
      const a = stripMapped(address);
      const family = isIP(a);
      if (family === 0) return false;
      return list.check(a, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
