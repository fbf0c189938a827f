// Cilium's DNS name matchers (toFQDNs and rules.dns): matchName is exact and case-insensitive; in matchPattern a
// `*` matches [-a-zA-Z0-9_]* within one label and never crosses a dot, and `*` alone matches every name. Matched
// label by label with a glob, not a regular expression: no pattern can make a match backtrack without end (the work
// is bounded by label length times pattern-label length, and DNS bounds both).
import type { FqdnMatcher } from '../manifest/schemas/cilium.ts';

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** One label against one pattern label: `*` is any run of characters (a label holds no dot). */
function globLabel(pattern: string, label: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < label.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.length && pattern[p] === label[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      // Let the last star take one more character, and match the rest of the pattern from there.
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

export function compileFqdnMatcher(matcher: FqdnMatcher): (name: string) => boolean {
  if (matcher.matchName !== undefined) {
    const want = normalizeName(matcher.matchName);
    return (name) => normalizeName(name) === want;
  }
  const pattern = normalizeName(matcher.matchPattern ?? '');
  if (pattern === '*') return () => true;
  const labels = pattern.split('.');
  return (name) => {
    const got = normalizeName(name).split('.');
    return got.length === labels.length && labels.every((l, i) => globLabel(l, got[i]!));
  };
}

export function describeFqdnMatcher(matcher: FqdnMatcher): string {
  return matcher.matchName !== undefined ? `matchName ${matcher.matchName}` : `matchPattern ${matcher.matchPattern}`;
}
