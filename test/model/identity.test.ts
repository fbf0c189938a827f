// Pods as Cilium sees them: every selector, a Kubernetes NetworkPolicy's too, matches the pod's identity labels, built
// in one place (src/model/cilium-labels.ts) from its labels, namespace, namespace labels, service account and the
// cluster name. Cases from Cilium's source: pkg/k8s/network_policy.go (ParseNetworkPolicy and parseNetworkPolicyPeer
// give every pod selector the k8s: source and the policy's namespace; namespace selectors match
// io.cilium.k8s.namespace.labels.*) and pkg/k8s/utils (the identity's io.cilium.k8s.policy.serviceaccount and
// io.cilium.k8s.policy.cluster labels; the cluster is named "default" unless cluster-name is set).
import { describe, expect, it } from 'vitest';
import { BACKEND, cnp, demo, deployment, np } from '../support/model.ts';

const ADMIN = 'http://backend:8080/';

describe('identity labels', () => {
  it('a NetworkPolicy podSelector on io.cilium.k8s.policy.cluster selects every pod of its namespace on Cilium', () => {
    const c = demo().apply(np('all-by-cluster', '  podSelector: { matchExpressions: [{ key: io.cilium.k8s.policy.cluster, operator: Exists }] }\n  policyTypes: [Ingress]'));
    // Kubernetes would select nothing (no pod has that label); Cilium isolates the backend too.
    const probe = c.probe('frontend', BACKEND);
    expect(probe.observation.outcome).toBe('connect-timeout');
    expect(probe.trace.map((t) => t.text).join('\n')).toMatch(
      /default deny by NetworkPolicy default\/all-by-cluster .*\[Cilium matches its pod selectors against identity labels \(io\.cilium\.k8s\.policy\.cluster\), which a Kubernetes pod does not carry/,
    );
  });

  it('the cluster label says "default": a selector naming another cluster matches nothing', () => {
    const c = demo().apply(np('other-cluster', '  podSelector: { matchLabels: { io.cilium.k8s.policy.cluster: mesh-2 } }\n  policyTypes: [Ingress]'));
    expect(c.outcome('frontend', ADMIN)).toBe('ok');
  });

  it('the service account comes from spec.serviceAccountName and admits by it, in a NetworkPolicy peer and a CiliumNetworkPolicy', () => {
    const c = demo().apply(
      deployment('admin', { serviceAccount: 'admin-sa' }),
      np('by-sa', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ from: [{ podSelector: { matchLabels: { io.cilium.k8s.policy.serviceaccount: admin-sa } } }] }]'),
    );
    expect(c.outcome('admin', ADMIN)).toBe('ok');
    expect(c.outcome('frontend', ADMIN)).toBe('connect-timeout');
    const cilium = demo().apply(
      deployment('admin', { serviceAccount: 'admin-sa' }),
      cnp('by-sa', '  endpointSelector: { matchLabels: { app: backend } }\n  ingress: [{ fromEndpoints: [{ matchLabels: { io.cilium.k8s.policy.serviceaccount: admin-sa } }] }]\n'),
    );
    expect(cilium.outcome('admin', ADMIN)).toBe('ok');
    expect(cilium.outcome('frontend', ADMIN)).toBe('connect-timeout');
  });

  it('a pod without serviceAccountName runs as default', () => {
    const c = demo().apply(np('by-default-sa', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ from: [{ podSelector: { matchLabels: { io.cilium.k8s.policy.serviceaccount: default } } }] }]'));
    expect(c.outcome('frontend', ADMIN)).toBe('ok');
  });

  it('a policy on ordinary labels carries no note: Cilium and Kubernetes agree on it', () => {
    const c = demo().apply(np('plain', '  podSelector: { matchLabels: { app: backend } }\n  policyTypes: [Ingress]'));
    expect(
      c
        .probe('frontend', BACKEND)
        .trace.map((t) => t.text)
        .join('\n'),
    ).not.toMatch(/identity labels/);
  });
});
