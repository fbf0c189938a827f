// Kubernetes objects as the harness handles them: plain manifests plus references by kind, namespace and name.

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ObjectRef {
  kind: string;
  name: string;
  /** Absent for cluster-scoped kinds. */
  namespace?: string;
}

const CLUSTER_SCOPED = new Set(['Namespace', 'CiliumClusterwideNetworkPolicy', 'CiliumCIDRGroup', 'ClusterNetworkPolicy']);

// Singular, plural and short names as the API server's discovery lists them (the short names from each kind's
// registry, e.g. kubernetes pkg/registry/apps/statefulset/storage/storage.go: ShortNames "sts"; rs, ds and deploy alike).
const KIND_ALIASES: Record<string, string> = {
  namespace: 'Namespace',
  namespaces: 'Namespace',
  ns: 'Namespace',
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  rs: 'ReplicaSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
  service: 'Service',
  services: 'Service',
  svc: 'Service',
  networkpolicy: 'NetworkPolicy',
  networkpolicies: 'NetworkPolicy',
  netpol: 'NetworkPolicy',
  ciliumnetworkpolicy: 'CiliumNetworkPolicy',
  ciliumnetworkpolicies: 'CiliumNetworkPolicy',
  cnp: 'CiliumNetworkPolicy',
  ciliumclusterwidenetworkpolicy: 'CiliumClusterwideNetworkPolicy',
  ciliumclusterwidenetworkpolicies: 'CiliumClusterwideNetworkPolicy',
  ccnp: 'CiliumClusterwideNetworkPolicy',
  ciliumcidrgroup: 'CiliumCIDRGroup',
  ciliumcidrgroups: 'CiliumCIDRGroup',
  ccg: 'CiliumCIDRGroup',
};

export function isNamespaced(kind: string): boolean {
  return !CLUSTER_SCOPED.has(kind);
}

export function refOf(object: KubeObject, defaultNamespace = 'default'): ObjectRef {
  const { kind } = object;
  const name = object.metadata.name;
  return isNamespaced(kind) ? { kind, name, namespace: object.metadata.namespace ?? defaultNamespace } : { kind, name };
}

export function formatRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/** A kind as kubectl names it on the command line (`netpol`, `cnp`, `ccnp`, plural or singular). */
export function kindOf(text: string): string | undefined {
  return KIND_ALIASES[text.toLowerCase()];
}

/** Parses kubectl-style `kind/name` or `namespace/kind/name` (kind names and short names as kubectl knows them). */
export function parseRef(text: string): ObjectRef | undefined {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) return undefined;
  const [namespace, kindText, name] = parts.length === 3 ? parts : ['default', ...parts];
  const kind = kindOf(kindText!);
  if (!kind) return undefined;
  return isNamespaced(kind) ? { kind, name: name!, namespace } : { kind, name: name! };
}

type PodSpec = { containers?: { ports?: { protocol?: string }[] }[] };

/** The protocols the pods of these objects serve on their container ports (TCP where a port names none). */
export function servedProtocols(objects: readonly KubeObject[]): Set<string> {
  const specs = objects.flatMap((o) => {
    const spec = (o as { spec?: PodSpec & { template?: { spec?: PodSpec } } }).spec;
    return o.kind === 'Pod' ? [spec] : [spec?.template?.spec];
  });
  return new Set(
    specs
      .flatMap((s) => s?.containers ?? [])
      .flatMap((c) => c.ports ?? [])
      .map((p) => p.protocol ?? 'TCP'),
  );
}
