// Label keys and values as the API server validates them (k8s.io/apimachinery/pkg/util/validation/validation.go:
// IsQualifiedName, IsValidLabelValue), and the keys Cilium's selectors add: a source prefix such as `k8s:` or
// `reserved:` before a qualified name (pkg/labels). Lengths are checked before any pattern.
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SOURCE = /^[a-z][-a-z0-9]*:/;

/** Why a label key is not a qualified name (`[prefix/]name`), or undefined when it is one. */
export function labelKeyProblem(key: string, options: { ciliumSource?: boolean } = {}): string | undefined {
  const bare = options.ciliumSource ? key.replace(SOURCE, '') : key;
  const parts = bare.split('/');
  if (parts.length > 2) return `label key "${key}" has more than one /: it is [prefix/]name`;
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]!];
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !SUBDOMAIN.test(prefix))) return `label key "${key}": the prefix must be a lowercase DNS subdomain of at most 253 characters`;
  if (!name || name.length > 63 || !NAME.test(name)) return `label key "${key}": the name must be 1-63 characters, alphanumeric at both ends, with - _ . between`;
  return undefined;
}

/** Why a label value is not valid, or undefined when it is (empty is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !NAME.test(value)) return `label value "${value}" must be at most 63 characters, alphanumeric at both ends, with - _ . between`;
  return undefined;
}
