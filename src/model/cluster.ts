// The model's cluster: the objects applied to it, the pods their workloads would run (and bare Pods) (with stable IPs;
// derived in workload-pods.ts), Services, the system pods every kind cluster has (CoreDNS behind kube-dns), the
// policies compiled, and the outside world a suite declares.
import { sourceOf } from '../input/source-map.ts';
import { formatRef, refOf, type KubeObject, type ObjectRef } from '../manifest/objects.ts';
import type { CiliumCIDRGroup, CiliumPolicy, Entity } from '../manifest/schemas/cilium.ts';
import type { ClusterNetworkPolicy } from '../manifest/schemas/cluster-network-policy.ts';
import type { Service } from '../manifest/schemas/core.ts';
import type { NetworkPolicy } from '../manifest/schemas/network-policy.ts';
import { compileCiliumPolicy, type CidrGroups } from './policy/cilium-policy.ts';
import { compileClusterNetworkPolicy } from './policy/cluster-network-policy.ts';
import { compileNetworkPolicy } from './policy/network-policy.ts';
import { PolicyIndex } from './policy/policy-index.ts';
import type { CompiledPolicy, Protocol } from './policy/types.ts';
import { compileSelector, lookupIn } from '../manifest/selector.ts';
import type { PodListening } from './images/catalog.ts';
import type { WorldHost } from '../world/world.ts';
import { derivePods, workloadPodNames } from './workload-pods.ts';

export interface ModelPod {
  /** Position in the cluster's pod list; the policy index keys on it. */
  index: number;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  namespaceLabels: Record<string, string>;
  /** Cilium identity labels (see cilium-labels.ts). */
  identity: Map<string, string>;
  /** spec.serviceAccountName (default: default). */
  serviceAccount: string;
  ip: string;
  image: string;
  /** Declared ports: what named ports resolve to, not what listens. */
  containerPorts: { port: number; protocol: Protocol; name?: string }[];
  /** What listens, as the image catalog knows it (declared ports only for images it does not know). */
  listening: PodListening;
  /** Declared ports the pod's image does not listen on, at their manifest line. */
  unservedPorts: { file?: string; line?: number; message: string }[];
  /** Cilium's policy audit mode is on for this pod's endpoint: what its policy would drop is forwarded (policy/audit.ts). */
  policyAudit: boolean;
}

export interface ModelService {
  name: string;
  namespace: string;
  clusterIP: string;
  selector?: Record<string, string>;
  ports: { port: number; protocol: Protocol; targetPort: number | string }[];
}

/** An endpoint on a node rather than in a pod, as Cilium identifies it: here the API server of a kind cluster. */
export interface NodeEndpoint {
  name: string;
  ip: string;
  port: number;
  entities: readonly Entity[];
}

/** kind's control-plane node on the kind Docker network; pods run on the workers, so it is a remote node to them. */
export const API_SERVER: NodeEndpoint = { name: 'kube-apiserver', ip: '172.18.0.2', port: 6443, entities: ['kube-apiserver', 'remote-node', 'cluster', 'all'] };

export const CLUSTER_DOMAIN = 'cluster.local';
export const KUBE_DNS_IP = '10.96.0.10';
const KUBERNETES_SERVICE_IP = '10.96.0.1';
// kind's default pod and Service subnets (10.244.0.0/16, 10.96.0.0/16).
const POD_RANGE = '10.244.';
const SERVICE_RANGE = '10.96.';
const POD_IN_SERVICE = new RegExp(`^([^.]+)\\.([^.]+)\\.([^.]+)\\.svc\\.${CLUSTER_DOMAIN.replace('.', '\\.')}$`);
const SERVICE_NAME = new RegExp(`^([^.]+)\\.([^.]+)\\.svc\\.${CLUSTER_DOMAIN.replace('.', '\\.')}$`);

const SYSTEM_OBJECTS: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          containers: [
            {
              name: 'coredns',
              image: 'registry.k8s.io/coredns/coredns',
              ports: [
                { containerPort: 53, name: 'dns', protocol: 'UDP' },
                { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    },
  },
  // The API server's Service; its endpoint is the node-side API server, not a pod.
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { ports: [{ name: 'https', port: 443, targetPort: API_SERVER.port, protocol: 'TCP' }] } },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      ],
    },
  },
];

export class ModelCluster {
  private readonly objects = new Map<string, KubeObject>();
  private readonly podLabels = new Map<string, Record<string, string | null>>();
  private readonly addresses = new Map<string, string>();
  /** Cilium's policy audit mode, the agents' option every endpoint inherits. */
  private policyAudit = false;
  private nextPod = 1;
  private nextService = 11;
  private derived?: {
    pods: ModelPod[];
    services: ModelService[];
    policies: CompiledPolicy[];
    index: PolicyIndex;
    podsByIp: Map<string, ModelPod>;
    podsByName: Map<string, ModelPod>;
    servicesByIp: Map<string, ModelService>;
  };

  constructor(readonly world: readonly WorldHost[] = []) {
    this.addresses.set('Service kube-system/kube-dns', KUBE_DNS_IP);
    this.addresses.set('Service default/kubernetes', KUBERNETES_SERVICE_IP);
    for (const object of SYSTEM_OBJECTS) this.apply(object);
  }

  /** Creates or replaces an object; like the API server, refuses objects in a namespace that does not exist. */
  apply(object: KubeObject): void {
    const ref = refOf(object);
    if (ref.namespace && !this.objects.has(formatRef({ kind: 'Namespace', name: ref.namespace }))) {
      throw new Error(`namespace "${ref.namespace}" not found (create it before ${formatRef(ref)})`);
    }
    this.objects.set(formatRef(ref), object);
    this.derived = undefined;
  }

  /** Returns false when there was no such object. */
  remove(ref: ObjectRef): boolean {
    const removed = this.objects.delete(formatRef(ref));
    if (removed && ref.kind === 'Namespace') {
      for (const [key, object] of this.objects) if (refOf(object).namespace === ref.name) this.objects.delete(key);
    }
    this.derived = undefined;
    return removed;
  }

  /** The cluster's whole state as text: equal fingerprints mean no object and no label differs. */
  fingerprint(): string {
    const objects = [...this.objects.entries()].sort(([a], [b]) => a.localeCompare(b));
    const labels = [...this.podLabels.entries()].sort(([a], [b]) => a.localeCompare(b));
    return JSON.stringify({ objects, labels, policyAudit: this.policyAudit });
  }

  /** Switches the agents' policy audit mode (`policy-audit-mode`) on or off; every pod's endpoint inherits it. */
  setPolicyAudit(on: boolean): void {
    this.policyAudit = on;
    this.derived = undefined;
  }

  auditing(): boolean {
    return this.policyAudit;
  }

  get(ref: ObjectRef): KubeObject | undefined {
    return this.objects.get(formatRef(ref));
  }

  /** The labels of a Namespace or Pod as they are now (a namespace always carries kubernetes.io/metadata.name). */
  labelsOf(ref: ObjectRef): Record<string, string> | undefined {
    if (ref.kind === 'Pod') return this.pods().find((p) => p.name === ref.name && p.namespace === ref.namespace)?.labels;
    const object = this.get(ref);
    if (!object) return undefined;
    return ref.kind === 'Namespace' ? { ...object.metadata.labels, 'kubernetes.io/metadata.name': ref.name } : { ...object.metadata.labels };
  }

  /** Sets (string) or removes (null) labels on a Namespace or Pod, as `kubectl label` does. */
  setLabels(ref: ObjectRef, patch: Record<string, string | null>): void {
    if (ref.kind === 'Pod') {
      if (!this.labelsOf(ref)) throw new Error(`${formatRef(ref)} not found`);
      const key = `${ref.namespace}/${ref.name}`;
      this.podLabels.set(key, { ...this.podLabels.get(key), ...patch });
    } else {
      const object = this.get(ref);
      if (!object) throw new Error(`${formatRef(ref)} not found`);
      const labels: Record<string, string> = { ...object.metadata.labels };
      for (const [k, v] of Object.entries(patch))
        if (v === null) delete labels[k];
        else labels[k] = v;
      this.objects.set(formatRef(ref), { ...object, metadata: { ...object.metadata, labels } });
    }
    this.derived = undefined;
  }

  pods(): ModelPod[] {
    return this.derive().pods;
  }

  /** Whether `kubectl label pod` changed the labels of one of these pods (a new pod from the template would lack it). */
  relabelled(namespace: string, names: readonly string[]): boolean {
    return names.some((name) => this.podLabels.has(`${namespace}/${name}`));
  }

  services(): ModelService[] {
    return this.derive().services;
  }

  policies(): CompiledPolicy[] {
    return this.derive().policies;
  }

  /** The policies indexed by the pods they select, for verdicts. */
  policyIndex(): PolicyIndex {
    return this.derive().index;
  }

  podByIp(ip: string): ModelPod | undefined {
    return this.derive().podsByIp.get(ip);
  }

  /** The pod of this name (a probe's source is looked up once per cell). */
  pod(namespace: string, name: string): ModelPod | undefined {
    return this.derive().podsByName.get(`${namespace}/${name}`);
  }

  serviceByIp(ip: string): ModelService | undefined {
    return this.derive().servicesByIp.get(ip);
  }

  nodeByIp(ip: string): NodeEndpoint | undefined {
    return ip === API_SERVER.ip ? API_SERVER : undefined;
  }

  worldByIp(ip: string): WorldHost | undefined {
    return this.world.find((h) => h.ip === ip);
  }

  /** The Service's backends: pods its selector matches, or the API server for `kubernetes`. */
  endpoints(service: ModelService): (ModelPod | NodeEndpoint)[] {
    if (service.namespace === 'default' && service.name === 'kubernetes') return [API_SERVER];
    const { selector } = service;
    if (!selector) return [];
    const matches = compileSelector({ matchLabels: selector });
    return this.pods().filter((p) => p.namespace === service.namespace && matches(lookupIn(p.labels)));
  }

  /** The CoreDNS pod behind kube-dns, which every pod's resolver queries (none when it has no endpoints). */
  dnsServer(): ModelPod | undefined {
    const kubeDns = this.serviceByIp(KUBE_DNS_IP);
    const server = kubeDns && this.endpoints(kubeDns)[0];
    return server && 'namespace' in server ? server : undefined;
  }

  /** Whether an address lies in the pod or Service range, where only what the cluster holds answers. */
  inClusterRange(ip: string): boolean {
    return ip.startsWith(POD_RANGE) || ip.startsWith(SERVICE_RANGE);
  }

  /**
   * CoreDNS's answer for a fully qualified name: a Service's ClusterIP, a StatefulSet pod's address under its
   * headless Service, a world host, or nothing (NXDOMAIN).
   */
  answer(fqdn: string): string | undefined {
    const name = fqdn.toLowerCase().replace(/\.$/, '');
    const inCluster = SERVICE_NAME.exec(name);
    if (inCluster) return this.services().find((s) => s.name === inCluster[1] && s.namespace === inCluster[2])?.clusterIP;
    const member = POD_IN_SERVICE.exec(name);
    if (member) return this.statefulSetPod(member[1]!, member[2]!, member[3]!)?.ip;
    if (name.endsWith(`.${CLUSTER_DOMAIN}`)) return undefined;
    return this.world.find((h) => h.name === name)?.ip;
  }

  /**
   * POD.SERVICE.NS.svc: a StatefulSet's pod has host name POD and subdomain spec.serviceName, and CoreDNS answers
   * for it when that Service is headless (clusterIP None) and has the pod as a ready endpoint, which the endpoint
   * controller gives the pod's host name (kubernetes/dns docs/specification.md, 2.4.1: <hostname>.<service>.<ns>.svc).
   */
  private statefulSetPod(podName: string, serviceName: string, namespace: string): ModelPod | undefined {
    const service = this.get({ kind: 'Service', namespace, name: serviceName }) as { spec?: { clusterIP?: string } } | undefined;
    const model = this.services().find((s) => s.name === serviceName && s.namespace === namespace);
    if (service?.spec?.clusterIP !== 'None' || !model) return undefined;
    const owner = [...this.objects.values()].find(
      (o) => o.kind === 'StatefulSet' && (o.metadata.namespace ?? 'default') === namespace && (o.spec as { serviceName?: string }).serviceName === serviceName && workloadPodNames(o).includes(podName),
    );
    return owner ? this.endpoints(model).find((p): p is ModelPod => 'namespace' in p && p.name === podName) : undefined;
  }

  private address(key: string, kind: 'pod' | 'service'): string {
    let ip = this.addresses.get(key);
    if (!ip) {
      const n = kind === 'pod' ? this.nextPod++ : this.nextService++;
      ip = kind === 'pod' ? `${POD_RANGE}${Math.floor(n / 250)}.${(n % 250) + 1}` : `${SERVICE_RANGE}${Math.floor(n / 250)}.${n % 250}`;
      this.addresses.set(key, ip);
    }
    return ip;
  }

  private derive(): NonNullable<ModelCluster['derived']> {
    if (this.derived) return this.derived;
    const objects = [...this.objects.values()];
    const namespaceLabels = new Map(objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, this.labelsOf(refOf(o))!]));
    const pods = derivePods(objects, { namespaceLabels, podLabels: this.podLabels, policyAudit: this.policyAudit, address: (namespace, name) => this.address(`Pod ${namespace}/${name}`, 'pod') });
    const services = objects
      .filter((o) => o.kind === 'Service')
      .map((o) => {
        const service = o as unknown as Service;
        const ref = refOf(o);
        return {
          name: ref.name,
          namespace: ref.namespace!,
          clusterIP: this.address(formatRef(ref), 'service'),
          selector: service.spec.selector,
          ports: service.spec.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port })),
        } satisfies ModelService;
      });
    const policies = compilePolicies(objects);
    this.derived = {
      pods,
      services,
      policies,
      index: new PolicyIndex(pods, policies),
      podsByIp: new Map(pods.map((p) => [p.ip, p])),
      // The first pod of a name, as a search from the start finds it.
      podsByName: new Map(pods.map((p) => [`${p.namespace}/${p.name}`, p] as const).reverse()),
      servicesByIp: new Map(services.map((s) => [s.clusterIP, s])),
    };
    return this.derived;
  }
}

/** The policies among the objects, each compiled by its kind's compiler; CiliumCIDRGroups are what toCIDRSet names. */
function compilePolicies(objects: readonly KubeObject[]): CompiledPolicy[] {
  const cidrGroups = objects.filter((o) => o.kind === 'CiliumCIDRGroup') as unknown as CiliumCIDRGroup[];
  const groups: CidrGroups = {
    byName: (name) => cidrGroups.find((g) => g.metadata.name === name)?.spec.externalCIDRs,
    matching: (selector) => {
      const selects = compileSelector(selector);
      return cidrGroups.filter((g) => selects(lookupIn(g.metadata.labels ?? {}))).flatMap((g) => g.spec.externalCIDRs);
    },
  };
  return objects.flatMap((o): CompiledPolicy[] => {
    if (o.kind === 'NetworkPolicy') return [compileNetworkPolicy(o as unknown as NetworkPolicy, sourceOf(o))];
    if (o.kind === 'CiliumNetworkPolicy' || o.kind === 'CiliumClusterwideNetworkPolicy') return compileCiliumPolicy(o as unknown as CiliumPolicy, sourceOf(o), groups);
    if (o.kind === 'ClusterNetworkPolicy') return [compileClusterNetworkPolicy(o as unknown as ClusterNetworkPolicy, sourceOf(o))];
    return [];
  });
}
