// Cilium's view of a pod: identity labels with a source prefix. `k8s:key` matches only Kubernetes-sourced labels,
// an unprefixed key (source `any`) matches any source. The namespace and its labels become labels too.
import type { LabelSelector } from '../manifest/schemas/label-selector.ts';
import type { LabelLookup } from '../manifest/selector.ts';
import { compileSelector, selectorKeys } from '../manifest/selector.ts';

export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
const SOURCES = new Set(['k8s', 'any', 'reserved', 'container', 'cidr', 'fqdn', 'unspec', 'cni']);

export function splitSelectorKey(key: string): { source: string; key: string } {
  const colon = key.indexOf(':');
  const source = colon > 0 ? key.slice(0, colon) : '';
  return SOURCES.has(source) ? { source, key: key.slice(colon + 1) } : { source: 'any', key };
}

export const CLUSTER_LABEL = 'io.cilium.k8s.policy.cluster';
export const SERVICE_ACCOUNT_LABEL = 'io.cilium.k8s.policy.serviceaccount';
/** Cilium's `cluster-name` when none is set (its Helm chart's cluster.name, and so every kind cluster here). */
export const CLUSTER_NAME = 'default';

/**
 * The k8s-sourced identity labels Cilium derives for a pod (pkg/k8s/utils: the pod's labels, its namespace, the
 * namespace's labels, its service account and the cluster name), in one place for every selector that uses them.
 */
export function ciliumLabels(namespace: string, podLabels: Record<string, string>, namespaceLabels: Record<string, string>, serviceAccount = 'default'): Map<string, string> {
  const labels = new Map<string, string>(Object.entries(podLabels));
  labels.set(POD_NAMESPACE_LABEL, namespace);
  for (const [k, v] of Object.entries(namespaceLabels)) labels.set(NAMESPACE_LABELS_PREFIX + k, v);
  labels.set(CLUSTER_LABEL, CLUSTER_NAME);
  labels.set(SERVICE_ACCOUNT_LABEL, serviceAccount);
  return labels;
}

/** Keys only Cilium's identity has: a Kubernetes pod does not carry them as labels. */
export function isIdentityOnlyKey(selectorKey: string): boolean {
  const { key } = splitSelectorKey(selectorKey);
  return key === POD_NAMESPACE_LABEL || key.startsWith(NAMESPACE_LABELS_PREFIX) || key.startsWith('io.cilium.k8s.policy.');
}

/** The identity label a selector key looks up: pods only carry k8s-sourced labels in this model, so none for another source. */
function identityKey(selectorKey: string): string | undefined {
  const { source, key } = splitSelectorKey(selectorKey);
  return source === 'k8s' || source === 'any' ? key : undefined;
}

export function ciliumLookup(labels: ReadonlyMap<string, string>): LabelLookup {
  return (selectorKey) => {
    const key = identityKey(selectorKey);
    return key === undefined ? undefined : labels.get(key);
  };
}

/**
 * A selector over a pod's identity labels, as `compileSelector(selector)(ciliumLookup(identity))` decides, with each
 * key's source resolved once: the policy index runs every policy's selectors on every pod.
 */
export function compileIdentitySelector(selector: LabelSelector): (identity: ReadonlyMap<string, string>) => boolean {
  const matches = compileSelector(selector, identityKey);
  return (identity) => matches((key) => identity.get(key));
}

/**
 * Whether a peer selector in a namespaced policy says which namespace it means. If it does not, Cilium limits it
 * to the policy's own namespace (pkg/k8s/apis/cilium.io/utils: getEndpointSelector).
 */
export function namesNamespace(selector: LabelSelector): boolean {
  return selectorKeys(selector).some((k) => {
    const { key } = splitSelectorKey(k);
    return key === POD_NAMESPACE_LABEL || key.startsWith(NAMESPACE_LABELS_PREFIX);
  });
}
