// Label selectors with apimachinery semantics; the label lookup is a function so that Kubernetes labels and
// Cilium's source-prefixed identity labels share one matcher. Selectors are compiled once: the policy index
// evaluates each against every pod.
import type { LabelSelector } from './schemas/label-selector.ts';

export type LabelLookup = (key: string) => string | undefined;

export function lookupIn(labels: Readonly<Record<string, string>>): LabelLookup {
  return (key) => (Object.hasOwn(labels, key) ? labels[key] : undefined);
}

/**
 * An empty selector matches everything; NotIn and DoesNotExist match a missing key. `labelKey` turns each selector
 * key into the label key looked up (Cilium's source prefixes), once here instead of for every pod; undefined: a key
 * no label has.
 */
export function compileSelector(selector: LabelSelector, labelKey: (key: string) => string | undefined = (key) => key): (lookup: LabelLookup) => boolean {
  const labels = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({ key: labelKey(key), value }));
  const expressions = (selector.matchExpressions ?? []).map(({ key, operator, values }) => ({ key: labelKey(key), operator, values: new Set(values ?? []) }));
  const get = (lookup: LabelLookup, key: string | undefined) => (key === undefined ? undefined : lookup(key));
  return (lookup) => {
    for (const { key, value } of labels) if (get(lookup, key) !== value) return false;
    for (const { key, operator, values } of expressions) {
      const value = get(lookup, key);
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
