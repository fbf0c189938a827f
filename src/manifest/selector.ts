// Label selectors with apimachinery semantics; the label lookup is a function so that Kubernetes labels and
// Cilium's source-prefixed identity labels share one matcher. Selectors are compiled once: the policy index
// evaluates each against every pod.
import type { LabelSelector } from './schemas.ts';

export type LabelLookup = (key: string) => string | undefined;

export function lookupIn(labels: Readonly<Record<string, string>>): LabelLookup {
  return (key) => (Object.hasOwn(labels, key) ? labels[key] : undefined);
}

/** An empty selector matches everything; NotIn and DoesNotExist match a missing key. */
export function compileSelector(selector: LabelSelector): (lookup: LabelLookup) => boolean {
  const labels = Object.entries(selector.matchLabels ?? {});
  const expressions = (selector.matchExpressions ?? []).map(({ key, operator, values }) => ({ key, operator, values: new Set(values ?? []) }));
  return (lookup) => {
    for (const [key, value] of labels) if (lookup(key) !== value) return false;
    for (const { key, operator, values } of expressions) {
      const value = lookup(key);
      const listed = value !== undefined && values.has(value);
      const ok = operator === 'In' ? listed : operator === 'NotIn' ? !listed : operator === 'Exists' ? value !== undefined : value === undefined;
      if (!ok) return false;
    }
    return true;
  };
}

export function selectorKeys(selector: LabelSelector): string[] {
  return [...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((e) => e.key)];
}
