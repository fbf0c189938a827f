// Kubernetes NetworkPolicy (networking.k8s.io/v1) compiled to the common policy shape, read as Cilium reads it
// (pkg/k8s/network_policy.go, ParseNetworkPolicy): pod selectors match the pod's identity labels (its labels plus
// namespace, namespace labels, service account and cluster name, all k8s-sourced), namespace selectors the
// namespace's labels; and ipBlock peers only ever match addresses outside the cluster.
import type { ObjectSource } from '../../input/source-map.ts';
import type { NetworkPolicy } from '../../manifest/schemas/network-policy.ts';
import { compileCidr } from '../cidr.ts';
import { compileIdentitySelector, isIdentityOnlyKey } from '../cilium-labels.ts';
import { compileSelector, lookupIn, selectorKeys } from '../../manifest/selector.ts';
import type { CompiledPolicy, CompiledRule, DirectionRules, PeerMatch, PortMatch } from './types.ts';

type Rule = NonNullable<NetworkPolicy['spec']['ingress']>[number];
type PeerSpec = NonNullable<Rule['from']>[number];
type PortSpec = NonNullable<Rule['ports']>[number];

// Stryker disable next-line ArrayDeclaration: whatever stands in for a missing peer or selector names no identity-only key
const NO_PEERS: PeerSpec[] = [];
// Stryker disable next-line ArrayDeclaration: as above
const NO_SELECTORS: NonNullable<PeerSpec['podSelector']>[] = [];

function peerMatch(specs: readonly PeerSpec[], policyNamespace: string): PeerMatch {
  // No peers listed (missing or empty) means every peer.
  if (specs.length === 0) return { any: true };
  const blocks = specs.flatMap((s) => (s.ipBlock ? [compileCidr(s.ipBlock.cidr, s.ipBlock.except)] : []));
  const selectors = specs
    .filter((s) => !s.ipBlock)
    .map(({ podSelector, namespaceSelector }) => ({
      pod: podSelector ? compileIdentitySelector(podSelector) : () => true,
      namespace: namespaceSelector ? compileSelector(namespaceSelector) : undefined,
    }));
  return {
    pods: selectors.length ? (pod) => selectors.some((s) => (s.namespace ? s.namespace(lookupIn(pod.namespaceLabels)) : pod.namespace === policyNamespace) && s.pod(pod.identity)) : undefined,
    world: blocks.length ? (ip) => blocks.some((inBlock) => inBlock(ip)) : undefined,
  };
}

function portMatches(ports: readonly PortSpec[] | null | undefined): readonly PortMatch[] | 'all' {
  if (!ports?.length) return 'all';
  return ports.map((p) => ({ protocols: [p.protocol ?? 'TCP'], port: p.port, endPort: p.endPort }));
}

export function compileNetworkPolicy(policy: NetworkPolicy, source: ObjectSource | undefined): CompiledPolicy {
  const namespace = policy.metadata.namespace ?? 'default';
  const { spec } = policy;
  // policyTypes default: Ingress always, Egress only when the policy has egress rules.
  const types = spec.policyTypes ?? (spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress']);
  const direction = (name: 'ingress' | 'egress', type: 'Ingress' | 'Egress'): DirectionRules => {
    const isolates = types.includes(type);
    const allow = isolates
      ? (spec[name] ?? []).map((rule, i): CompiledRule => {
          const peers = 'from' in rule ? rule.from : (rule as { to?: PeerSpec[] | null }).to;
          return { path: `spec.${name}[${i}]`, line: source?.lineOf(['spec', name, i]), peer: peerMatch(peers ?? [], namespace), ports: portMatches(rule.ports) };
        })
      : [];
    return { allow, deny: [], isolates };
  };
  const selects = compileIdentitySelector(spec.podSelector);
  // Where Cilium and Kubernetes part: a pod selector on a key only Cilium's identity has.
  const peers = [...(spec.ingress?.flatMap((r) => r.from ?? NO_PEERS) ?? NO_PEERS), ...(spec.egress?.flatMap((r) => r.to ?? NO_PEERS) ?? NO_PEERS)];
  const podSelectors = [spec.podSelector, ...peers.flatMap((p) => (p.podSelector ? [p.podSelector] : NO_SELECTORS))];
  const identityKeys = [...new Set(podSelectors.flatMap(selectorKeys).filter(isIdentityOnlyKey))];
  const note = identityKeys.length ? `Cilium matches its pod selectors against identity labels (${identityKeys.join(', ')}), which a Kubernetes pod does not carry: on another CNI this policy selects differently` : undefined;
  return {
    source: { kind: 'NetworkPolicy', namespace, name: policy.metadata.name, file: source?.file, line: source?.lineOf(['metadata', 'name']), ...(note && { note }) },
    selects: (pod) => pod.namespace === namespace && selects(pod.identity),
    ingress: direction('ingress', 'Ingress'),
    egress: direction('egress', 'Egress'),
  };
}
