import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may not be delivered: every address that reaches this machine, its network or a
 * cloud's metadata service. Checked on the resolved address, and the connection is made to that
 * checked address (a `lookup` for node:http), so a second resolution cannot rebind the name.
 * Exceptions come only from the operator's allowlist (WEFT_WEBHOOK_ALLOW_CIDRS).
 */
const blockedRanges: readonly [address: string, prefix: number, family: 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network"
  ['10.0.0.0', 8, 'ipv4'], // private
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT (and Alibaba's metadata address)
  ['127.0.0.0', 8, 'ipv4'], // loopback
  ['169.254.0.0', 16, 'ipv4'], // link-local (and the AWS, GCP, Azure metadata address)
  ['172.16.0.0', 12, 'ipv4'], // private
  ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['192.168.0.0', 16, 'ipv4'], // private
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['168.63.129.16', 32, 'ipv4'], // Azure's host endpoint (WireServer)
  ['::', 128, 'ipv6'], // unspecified
  ['::1', 128, 'ipv6'], // loopback
  ['64:ff9b::', 96, 'ipv6'], // NAT64 (reaches IPv4 through a translator)
  ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
  ['2001::', 32, 'ipv6'], // Teredo (tunnels to an IPv4 address)
  ['2002::', 16, 'ipv6'], // 6to4 (carries an IPv4 address)
  ['fc00::', 7, 'ipv6'], // unique-local (and AWS's IPv6 metadata address)
  ['fe80::', 10, 'ipv6'], // link-local
  ['ff00::', 8, 'ipv6'], // multicast
];

export interface AddressPolicy {
  /** Whether a delivery may connect to this IP address. */
  isAllowed(address: string): boolean;
}

export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'ERR_WEBHOOK_BLOCKED_ADDRESS';
}

/** Reads `10.1.0.0/16,127.0.0.1/32,::1/128`; throws naming the part that is not a CIDR. */
export function parseCidrList(text: string): string[] {
  const cidrs = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  for (const cidr of cidrs) {
    const [address = '', prefix = ''] = cidr.split('/');
    const family = isIP(address);
    const bits = Number(prefix);
    if (family === 0 || !/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) {
      throw new Error(`"${cidr}" is not a CIDR such as 10.0.0.0/8 or fd00::/8`);
    }
  }
  return cidrs;
}

export function createAddressPolicy(allowCidrs: readonly string[] = []): AddressPolicy {
  const blocked = new BlockList();
  for (const [address, prefix, family] of blockedRanges) blocked.addSubnet(address, prefix, family);
  const allowed = new BlockList();
  for (const cidr of allowCidrs) {
    const [address = '', prefix = ''] = cidr.split('/');
    allowed.addSubnet(address, Number(prefix), isIP(address) === 4 ? 'ipv4' : 'ipv6');
  }
  return {
    isAllowed(address) {
      const family = isIP(address);
      if (family === 0) return false;
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (allowed.check(address, type)) return true;
      // IPv4-mapped IPv6, whatever address it carries (BlockList would read it as the IPv4 one).
      if (family === 6 && isIpv4Mapped(address)) return false;
      return !blocked.check(address, type);
    },
  };
}

/** `::ffff:a.b.c.d` in any spelling (the URL parser writes every IPv6 address one way). */
function isIpv4Mapped(address: string): boolean {
  return /^\[::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}\]$/i.test(new URL(`http://[${address}]/`).hostname);
}

type Resolve = (hostname: string, callback: (error: Error | null, addresses: LookupAddress[]) => void) => void;

const resolveAll: Resolve = (hostname, callback) =>
  dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => callback(error, addresses ?? []));

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http and node:https: resolves the name once and refuses it when any of its
 * addresses is not allowed (a name that also resolves to a private address is refused, whichever
 * address a connection would pick); answers the checked address, to which the socket connects.
 */
export function guardedLookup(policy: AddressPolicy, resolve: Resolve = resolveAll) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((entry) => !policy.isAllowed(entry.address));
      if (refused || addresses.length === 0) {
        // The address itself is not told: the answer must not map a private network's names.
        const why = refused ? 'resolves to an address webhooks may not reach' : 'has no address';
        return callback(new BlockedAddressError(`${hostname} ${why}`), []);
      }
      const first = addresses[0] as LookupAddress;
      if (options.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}
