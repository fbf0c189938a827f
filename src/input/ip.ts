// Addresses and CIDRs as Go's net/netip reads them (netip.ParseAddr, netip.ParsePrefix), which is what Cilium and the
// API server's strict validation of NetworkPolicy ipBlock (KEP-4858's StrictIPCIDRValidation gate; without it the API
// server accepts and warns) accept. ipaddr.js is laxer: it reads
// `010.000.000.000` as octal (8.0.0.0), `10.1` as 10.0.0.1 and `0x0a.0.0.1` as hex, and takes IPv6 zones; a suite
// the model would read one way and a cluster would refuse (or read another way) is refused at load instead.
// Go's parseIPv4: "IPv4 field has octet with leading zero", "IPv4 field has value >255"; ParsePrefix: no zone, and
// the bits after the slash are decimal without a leading zero. An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is refused
// too: the API server's strict validation (StrictIPCIDRValidation, apimachinery util/validation/ip.go parseCIDR)
// refuses it and without it warns "will be considered invalid in a future Kubernetes release".
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** Four decimal octets, each 0-255 without a leading zero: what netip.ParseAddr takes as IPv4. */
export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}

/** Why `text`, which looks like an IPv4 address, is not one netip.ParseAddr takes; undefined when it is. */
export function ipv4Problem(text: string): string | undefined {
  if (isIPv4(text)) return undefined;
  const fields = text.split('.');
  if (fields.every((f) => /^[0-9]+$/.test(f))) {
    if (fields.some((f) => f.length > 1 && f.startsWith('0'))) {
      return `${JSON.stringify(text)} has an octet with a leading zero, which some parsers read as octal: Go's netip (Cilium) and the API server refuse it; write it without leading zeros`;
    }
    if (fields.some((f) => Number(f) > 255)) return `${JSON.stringify(text)} has an octet above 255`;
  }
  return `${JSON.stringify(text)} is not an IPv4 address (four decimal octets 0-255, such as 10.0.0.1)`;
}

function ipv6Problem(text: string): string | undefined {
  if (text.includes('%')) return `${JSON.stringify(text)} has a zone, which a CIDR cannot have`;
  const embedded = /:([^:]*\.[^:]*)$/.exec(text)?.[1];
  if (embedded !== undefined && !isIPv4(embedded)) return ipv4Problem(embedded);
  const groups = (embedded === undefined ? text : text.slice(0, -embedded.length)).split(':');
  if (!ipaddr.IPv6.isValid(text) || groups.some((g) => !/^[0-9a-fA-F]{0,4}$/.test(g))) return `${JSON.stringify(text)} is not an IPv6 address`;
  if (ipaddr.IPv6.parse(text).isIPv4MappedAddress()) {
    return `${JSON.stringify(text)} is an IPv4-mapped IPv6 address, which programs read differently (Cilium as IPv6, which no IPv4 packet matches; others as IPv4) and the API server warns it will refuse: write the IPv4 CIDR`;
  }
  return undefined;
}

/** Why `text` is not a CIDR netip.ParsePrefix takes (address/bits); undefined when it is one. */
export function cidrProblem(text: string): string | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return `${JSON.stringify(text)} must be a CIDR such as 10.0.0.0/8 (address/bits)`;
  const [address, bits] = [text.slice(0, slash), text.slice(slash + 1)];
  const v6 = address.includes(':');
  const problem = v6 ? ipv6Problem(address) : ipv4Problem(address);
  if (problem) return problem;
  if (!/^(0|[1-9][0-9]*)$/.test(bits) || Number(bits) > (v6 ? 128 : 32)) {
    return `${JSON.stringify(text)}: the prefix length after the slash must be 0-${v6 ? 128 : 32} without a leading zero`;
  }
  return undefined;
}

/**
 * Why a host name as a URL would hold it is an IPv4 address no parser agrees on: a URL reads a host whose last label
 * is a number as IPv4 (WHATWG "ends in a number"), so `256.1.1.1` is no URL at all and `010.0.0.1` is 8.0.0.1.
 */
export function numericHostProblem(host: string): string | undefined {
  const last = host.replace(/\.$/, '').split('.').pop() ?? '';
  if (!/^([0-9]+|0[xX][0-9a-fA-F]*)$/.test(last)) return undefined;
  return ipv4Problem(host);
}

/** A string schema whose issue is what `problemOf` says is wrong with the text. */
export function checkedString(problemOf: (text: string) => string | undefined) {
  return z.string().superRefine((text, ctx) => {
    const problem = problemOf(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}
