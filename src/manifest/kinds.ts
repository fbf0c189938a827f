// The API group and version of each kind the harness deletes or relabels by reference (a reference names only the kind).
const API_VERSIONS: Record<string, string> = {
  Namespace: 'v1',
  Pod: 'v1',
  Service: 'v1',
  ServiceAccount: 'v1',
  ConfigMap: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  CiliumNetworkPolicy: 'cilium.io/v2',
  CiliumClusterwideNetworkPolicy: 'cilium.io/v2',
  CiliumCIDRGroup: 'cilium.io/v2',
  ClusterNetworkPolicy: 'policy.networking.k8s.io/v1alpha2',
};

/** The kinds that run pods from a template (a bare Pod runs itself). */
export const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

export const POLICY_KINDS = new Set(['NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'ClusterNetworkPolicy']);

export function apiVersionOf(kind: string): string {
  const version = API_VERSIONS[kind];
  if (!version) throw new Error(`kind ${kind} cannot be referred to by name (known: ${Object.keys(API_VERSIONS).join(', ')})`);
  return version;
}

/** What a cluster needs before it serves a kind that is not built in: said when a cluster does not serve it. */
export const KIND_REQUIREMENTS: Record<string, string> = {
  ClusterNetworkPolicy: 'Cilium implements it from 1.20, with the agent option enable-k8s-cluster-network-policy, and its CRD comes from sigs.k8s.io/network-policy-api',
  CiliumCIDRGroup: 'Cilium serves it as cilium.io/v2 from 1.18 (cilium.io/v2alpha1 before)',
};
