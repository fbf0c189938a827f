// Kubernetes ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) compiled to the common shape, as Cilium 1.20
// parses it (pkg/k8s/cluster_network_policy.go, ParseClusterNetworkPolicy): every rule keeps its action and a
// precedence of priority + index/100 within the policy's tier; the policy never isolates (DefaultDeny false).
// Where Cilium and the API part, the model follows Cilium: `networks` are CIDR selectors, which match addresses
// outside the cluster, never pods (the API says they match pod IPs too).
import type { ObjectSource } from '../../input/source-map.ts';
import type { Entity } from '../../manifest/schemas/cilium.ts';
import type { ClusterNetworkPolicy, ClusterNpEgressRule, ClusterNpIngressRule, ClusterNpProtocol } from '../../manifest/schemas/cluster-network-policy.ts';
import type { LabelSelector } from '../../manifest/schemas/label-selector.ts';
import { compileCidr } from '../cidr.ts';
import { compileIdentitySelector } from '../cilium-labels.ts';
import { compileSelector, lookupIn } from '../../manifest/selector.ts';
import { PROTOCOLS, type CompiledPolicy, type CompiledRule, type PeerMatch, type PortMatch } from './types.ts';

type Peer = ClusterNpEgressRule['to'][number];

function namespacedPod(pods: { namespaceSelector?: LabelSelector | undefined; podSelector: LabelSelector }) {
  const namespace = compileSelector(pods.namespaceSelector ?? {});
  const pod = compileIdentitySelector(pods.podSelector);
  return (p: Parameters<NonNullable<PeerMatch['pods']>>[0]) => namespace(lookupIn(p.namespaceLabels)) && pod(p.identity);
}

const NODE_ENTITIES: readonly Entity[] = ['host', 'remote-node'];
const WORLD_ENTITY: readonly Entity[] = ['world'];
// Stryker disable next-line ArrayDeclaration: an entity no peer has matches no peer, like none
const NO_ENTITIES: readonly Entity[] = [];

function peerMatch(peers: readonly Peer[]): { peer: PeerMatch; unmodelled?: string } {
  const selects = peers.flatMap((p) => {
    if (p.pods) return [namespacedPod(p.pods)];
    if (p.namespaces) {
      const namespace = compileSelector(p.namespaces);
      return [(pod: Parameters<NonNullable<PeerMatch['pods']>>[0]) => namespace(lookupIn(pod.namespaceLabels))];
    }
    return [];
  });
  const blocks = peers.flatMap((p) => (p.networks ?? []).map((c) => compileCidr(c)));
  // Not simulated: `nodes` (Cilium needs node selector labels enabled) may be any node (the host and remote-node
  // entities), `domainNames` (Cilium adds a DNS-proxy rule for them) any address outside the cluster (the world entity).
  const nodes = peers.some((p) => p.nodes);
  const names = peers.some((p) => p.domainNames);
  const unmodelled = nodes ? 'to.nodes' : names ? 'to.domainNames' : undefined;
  return {
    peer: {
      ...(selects.length && { pods: (pod) => selects.some((s) => s(pod)) }),
      // Without networks, or without nodes and domainNames, these match nothing, as absent matchers do.
      world: (ip: string) => blocks.some((inBlock) => inBlock(ip)),
      entities: new Set<Entity>([...(nodes ? NODE_ENTITIES : NO_ENTITIES), ...(names ? WORLD_ENTITY : NO_ENTITIES)]),
    },
    ...(unmodelled && { unmodelled }),
  };
}

/** protocols: each a transport with a port or range, or a named port of any transport; none means everything. */
function portMatches(protocols: readonly ClusterNpProtocol[] | undefined): readonly PortMatch[] | 'all' {
  if (!protocols) return 'all';
  return protocols.map((p) => {
    if (p.destinationNamedPort) return { protocols: PROTOCOLS, port: p.destinationNamedPort };
    const [protocol, spec] = p.tcp ? (['TCP', p.tcp] as const) : p.udp ? (['UDP', p.udp] as const) : (['SCTP', p.sctp!] as const);
    const port = spec.destinationPort;
    return 'number' in port ? { protocols: [protocol], port: port.number } : { protocols: [protocol], port: port.range.start, endPort: port.range.end };
  });
}

export function compileClusterNetworkPolicy(policy: ClusterNetworkPolicy, source: ObjectSource | undefined): CompiledPolicy {
  const { spec } = policy;
  const rules = (section: 'ingress' | 'egress'): CompiledRule[] =>
    ((spec[section] ?? []) as (ClusterNpIngressRule | ClusterNpEgressRule)[]).map((rule, i) => {
      const { peer, unmodelled } = peerMatch('from' in rule ? rule.from : rule.to);
      return {
        path: `spec.${section}[${i}]${rule.name ? ` (${rule.name})` : ''} ${rule.action}`,
        line: source?.lineOf(['spec', section, i]),
        peer,
        ports: portMatches(rule.protocols),
        tiered: { action: rule.action, priority: spec.priority + i / 100 },
        ...(unmodelled && { unmodelled }),
      };
    });
  const subject = spec.subject.pods
    ? namespacedPod(spec.subject.pods)
    : (
        (ns) => (pod: Parameters<CompiledPolicy['selects']>[0]) =>
          ns(lookupIn(pod.namespaceLabels))
      )(compileSelector(spec.subject.namespaces!));
  return {
    source: { kind: 'ClusterNetworkPolicy', name: policy.metadata.name, file: source?.file, line: source?.lineOf(['metadata', 'name']), note: `${spec.tier} tier, priority ${spec.priority}` },
    tier: spec.tier,
    selects: subject,
    // Tiered rules all sit in allow (the index sorts them into their tier); the index never reads a tier's deny list.
    // Stryker disable next-line ArrayDeclaration: as above
    ingress: { allow: rules('ingress'), deny: [], isolates: false },
    // Stryker disable next-line ArrayDeclaration: as above
    egress: { allow: rules('egress'), deny: [], isolates: false },
  };
}
