// CIDR matching for ipBlock, toCIDR and toCIDRSet; ranges are parsed once per rule, not per address.
import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function contains(range: Range, address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return address.kind() === range[0].kind() && address.match(range);
}

/** A predicate for addresses inside `cidr` and outside every `except` range. */
export function compileCidr(cidr: string, except: readonly string[] = []): (ip: string) => boolean {
  const range = ipaddr.parseCIDR(cidr);
  const excluded = except.map((c) => ipaddr.parseCIDR(c));
  return (ip) => {
    const address = ipaddr.parse(ip);
    return contains(range, address) && !excluded.some((e) => contains(e, address));
  };
}
