// Cilium's DNS name matchers (toFQDNs and rules.dns): matchName is exact and case-insensitive; in matchPattern a
// `*` matches [-a-zA-Z0-9_]* within one label and never crosses a dot, and `*` alone matches every name.
import type { FqdnMatcher } from '../manifest/schemas.ts';

const WILDCARD_LABEL = '[-a-zA-Z0-9_]*';

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

export function compileFqdnMatcher(matcher: FqdnMatcher): (name: string) => boolean {
  if (matcher.matchName !== undefined) {
    const want = normalizeName(matcher.matchName);
    return (name) => normalizeName(name) === want;
  }
  const pattern = normalizeName(matcher.matchPattern ?? '');
  if (pattern === '*') return () => true;
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/\./g, '\\.')).join(WILDCARD_LABEL)}$`);
  return (name) => regex.test(normalizeName(name));
}

export function describeFqdnMatcher(matcher: FqdnMatcher): string {
  return matcher.matchName !== undefined ? `matchName ${matcher.matchName}` : `matchPattern ${matcher.matchPattern}`;
}
