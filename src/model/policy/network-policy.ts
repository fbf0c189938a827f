// Kubernetes NetworkPolicy (networking.k8s.io/v1) compiled to the common policy shape, with Cilium's reading of
// ipBlock: CIDR peers only ever match addresses outside the cluster.
import ipaddr from 'ipaddr.js';
import type { ObjectSource } from '../../input/source-map.ts';
import type { NetworkPolicy } from '../../kube/schemas.ts';
import { lookupIn, selectorMatches } from '../selector.ts';
import type { CompiledPolicy, CompiledRule, Peer, PortMatch } from './types.ts';

type Rule = NonNullable<NetworkPolicy['spec']['ingress']>[number];
type PeerSpec = NonNullable<Rule['from']>[number];
type PortSpec = NonNullable<Rule['ports']>[number];

export function inCidr(ip: string, cidr: string): boolean {
  const address = ipaddr.parse(ip);
  const range = ipaddr.parseCIDR(cidr);
  return address.kind() === range[0].kind() && address.match(range);
}

function peerMatcher(spec: PeerSpec, policyNamespace: string): (peer: Peer) => boolean {
  const { podSelector, namespaceSelector, ipBlock } = spec;
  if (ipBlock) {
    return (peer) => peer.kind === 'world' && inCidr(peer.ip, ipBlock.cidr) && !(ipBlock.except ?? []).some((c) => inCidr(peer.ip, c));
  }
  return (peer) => {
    if (peer.kind !== 'pod') return false;
    const { pod } = peer;
    const namespaceOk = namespaceSelector
      ? selectorMatches(namespaceSelector, lookupIn(pod.namespaceLabels))
      : pod.namespace === policyNamespace;
    return namespaceOk && (!podSelector || selectorMatches(podSelector, lookupIn(pod.labels)));
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
  const types = spec.policyTypes ?? ['Ingress', ...(spec.egress?.length ? ['Egress'] : [])];
  const compileRules = (direction: 'ingress' | 'egress'): CompiledRule[] =>
    (spec[direction] ?? []).map((rule, i) => {
      const peers = 'from' in rule ? rule.from : (rule as { to?: PeerSpec[] | null }).to;
      const matchers = (peers ?? []).map((p) => peerMatcher(p, namespace));
      return {
        path: `spec.${direction}[${i}]`,
        line: source?.lineOf(['spec', direction, i]),
        // No peers listed (missing or empty) means every peer.
        matchesPeer: (peer) => matchers.length === 0 || matchers.some((m) => m(peer)),
        ports: portMatches(rule.ports),
      };
    });
  return {
    source: { kind: 'NetworkPolicy', namespace, name: policy.metadata.name, file: source?.file, line: source?.lineOf(['metadata', 'name']) },
    selects: (pod) => pod.namespace === namespace && selectorMatches(spec.podSelector, lookupIn(pod.labels)),
    ingress: types.includes('Ingress') ? compileRules('ingress') : undefined,
    egress: types.includes('Egress') ? compileRules('egress') : undefined,
  };
}
