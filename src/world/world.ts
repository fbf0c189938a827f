// The outside world's addresses, one source for the model and the cluster. Every external name gets its own
// address, derived from the name alone, so that the model (which gives the name that address) and cluster:up (whose
// world server holds it on the kind network, with a CoreDNS hosts entry for the name) agree by construction. Cilium
// enforces toFQDNs by the IPs its DNS proxy saw: two names sharing an address would let a policy for one reach both.
import ipaddr from 'ipaddr.js';

/** A host outside the cluster: its name (if any), its address, and the HTTP status it answers on each open TCP port. */
export interface WorldHost {
  name?: string;
  ip: string;
  ports: Record<number, number>;
}

/** RFC 2544's benchmarking range: never routed on the internet, 131,072 addresses for names. */
export const NAME_RANGE = '198.18.0.0/15';

/**
 * Ranges that nothing on the internet answers (RFC 5737 documentation, RFC 2544 benchmarking): a probe to one of
 * them means something only where the harness serves the address itself.
 */
const RESERVED = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', NAME_RANGE].map((c) => ipaddr.IPv4.parseCIDR(c));

export function isReservedAddress(ip: string): boolean {
  if (!ipaddr.IPv4.isValidFourPartDecimal(ip)) return false;
  const address = ipaddr.IPv4.parse(ip);
  return RESERVED.some((range) => address.match(range));
}

/** FNV-1a (32 bits) of the name, folded into NAME_RANGE; .0 and .255 are avoided so that no address looks like a network or broadcast. */
export function worldAddress(name: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name.toLowerCase(), 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  let offset = hash % (1 << 17);
  if ((offset & 0xff) === 0 || (offset & 0xff) === 0xff) offset ^= 1;
  const base = ipaddr.IPv4.parse('198.18.0.0').toByteArray();
  const value = ((base[0]! << 24) | (base[1]! << 16)) + offset;
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
}

/** Hosts whose addresses collide: one address for two names, or one name at two addresses. Empty when consistent. */
export function worldConflicts(hosts: readonly (WorldHost & { file?: string })[]): string[] {
  const byIp = new Map<string, WorldHost & { file?: string }>();
  const byName = new Map<string, WorldHost & { file?: string }>();
  const conflicts: string[] = [];
  const where = (h: { file?: string }) => (h.file ? ` (${h.file})` : '');
  for (const host of hosts) {
    const key = host.name ?? host.ip;
    const sameIp = byIp.get(host.ip);
    if (sameIp && (sameIp.name ?? sameIp.ip) !== key) conflicts.push(`${host.ip} is the address of both ${sameIp.name ?? sameIp.ip}${where(sameIp)} and ${key}${where(host)}`);
    const sameName = host.name ? byName.get(host.name) : undefined;
    if (sameName && sameName.ip !== host.ip) conflicts.push(`${host.name} has two addresses: ${sameName.ip}${where(sameName)} and ${host.ip}${where(host)}`);
    byIp.set(host.ip, host);
    if (host.name) byName.set(host.name, host);
  }
  return conflicts;
}
