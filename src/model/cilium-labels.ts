// Cilium's view of a pod: identity labels with a source prefix. `k8s:key` matches only Kubernetes-sourced labels,
// an unprefixed key (source `any`) matches any source. The namespace and its labels become labels too.
import type { LabelSelector } from '../manifest/schemas.ts';
import type { LabelLookup } from './selector.ts';
import { selectorKeys } from './selector.ts';

export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
const SOURCES = new Set(['k8s', 'any', 'reserved', 'container', 'cidr', 'fqdn', 'unspec', 'cni']);

export function splitSelectorKey(key: string): { source: string; key: string } {
  const colon = key.indexOf(':');
  const source = colon > 0 ? key.slice(0, colon) : '';
  return SOURCES.has(source) ? { source, key: key.slice(colon + 1) } : { source: 'any', key };
}

/** The k8s-sourced identity labels Cilium derives for a pod. */
export function ciliumLabels(namespace: string, podLabels: Record<string, string>, namespaceLabels: Record<string, string>): Map<string, string> {
  const labels = new Map<string, string>(Object.entries(podLabels));
  labels.set(POD_NAMESPACE_LABEL, namespace);
  for (const [k, v] of Object.entries(namespaceLabels)) labels.set(NAMESPACE_LABELS_PREFIX + k, v);
  labels.set('io.cilium.k8s.policy.cluster', 'default');
  labels.set('io.cilium.k8s.policy.serviceaccount', 'default');
  return labels;
}

/** Pods only carry k8s-sourced labels in this model, so a selector key of another source never matches. */
export function ciliumLookup(labels: Map<string, string>): LabelLookup {
  return (selectorKey) => {
    const { source, key } = splitSelectorKey(selectorKey);
    return source === 'k8s' || source === 'any' ? labels.get(key) : undefined;
  };
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
