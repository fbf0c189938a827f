// CiliumNetworkPolicy (cilium.io/v2) compiled to the common policy shape: namespaced endpointSelector, peer
// selectors limited to the policy's namespace unless they name one, toPorts with protocol ANY, rules.dns and toFQDNs.
import type { ObjectSource } from '../../input/source-map.ts';
import type { CiliumNetworkPolicy, LabelSelector } from '../../kube/schemas.ts';
import { ciliumLookup, namesNamespace } from '../cilium-labels.ts';
import { compileFqdnMatcher, describeFqdnMatcher } from '../fqdn-pattern.ts';
import { selectorMatches } from '../selector.ts';
import type { CompiledPolicy, CompiledRule, Peer, PortMatch, Protocol } from './types.ts';

type Spec = CiliumNetworkPolicy['spec'];
type PortRule = NonNullable<NonNullable<Spec['egress']>[number]['toPorts']>[number];

const ANY: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

function endpointMatcher(selectors: readonly LabelSelector[], namespace: string): (peer: Peer) => boolean {
  return (peer) =>
    peer.kind === 'pod' &&
    selectors.some(
      (s) => (namesNamespace(s) || peer.pod.namespace === namespace) && selectorMatches(s, ciliumLookup(peer.pod.identity)),
    );
}

function portMatches(toPorts: readonly PortRule[] | undefined): readonly PortMatch[] | 'all' {
  if (!toPorts?.length) return 'all';
  return toPorts.flatMap((rule) => {
    const dns = rule.rules?.dns?.map((m) => ({ describe: describeFqdnMatcher(m), matches: compileFqdnMatcher(m) }));
    const ports = rule.ports?.length ? rule.ports : [{ port: '0', protocol: 'ANY' as const, endPort: undefined }];
    return ports.map((p) => ({
      protocols: !p.protocol || p.protocol === 'ANY' ? ANY : [p.protocol],
      // Port 0 means every port.
      port: p.port === '0' ? undefined : Number(p.port),
      endPort: p.endPort,
      dns,
    }));
  });
}

export function compileCiliumPolicy(policy: CiliumNetworkPolicy, source: ObjectSource | undefined): CompiledPolicy {
  const namespace = policy.metadata.namespace ?? 'default';
  const { spec } = policy;
  const rule = (direction: 'ingress' | 'egress', i: number, matchesPeer: CompiledRule['matchesPeer'], toPorts: PortRule[] | undefined): CompiledRule => ({
    path: `spec.${direction}[${i}]`,
    line: source?.lineOf(['spec', direction, i]),
    matchesPeer,
    ports: portMatches(toPorts),
  });
  // A rule with no L3 part applies to every peer when it names ports, and to none when it is empty ({}).
  const l3Free = (toPorts: PortRule[] | undefined) => () => Boolean(toPorts?.length);
  const ingress = spec.ingress?.map((r, i) =>
    rule('ingress', i, r.fromEndpoints ? endpointMatcher(r.fromEndpoints, namespace) : l3Free(r.toPorts), r.toPorts),
  );
  const egress = spec.egress?.map((r, i) => {
    let matchesPeer: CompiledRule['matchesPeer'] = l3Free(r.toPorts);
    if (r.toEndpoints) matchesPeer = endpointMatcher(r.toEndpoints, namespace);
    else if (r.toFQDNs) {
      const matchers = r.toFQDNs.map(compileFqdnMatcher);
      matchesPeer = (peer, context) =>
        peer.kind === 'world' && context.proxiedNames(peer.ip).some((name) => matchers.some((m) => m(name)));
    }
    return rule('egress', i, matchesPeer, r.toPorts);
  });
  return {
    source: { kind: 'CiliumNetworkPolicy', namespace, name: policy.metadata.name, file: source?.file, line: source?.lineOf(['metadata', 'name']) },
    selects: (pod) => pod.namespace === namespace && selectorMatches(spec.endpointSelector, ciliumLookup(pod.identity)),
    // A non-empty ingress or egress section puts the selected pods into default deny for that direction.
    ingress: ingress?.length ? ingress : undefined,
    egress: egress?.length ? egress : undefined,
  };
}
