// Whether one side of a flow allows it: isolation by any selecting policy, then the union of every allow rule.
import type { ModelPod } from '../cluster.ts';
import type { CompiledPolicy, Direction, FlowContext, Peer, PolicySource, PortMatch, Protocol } from './types.ts';

export interface RuleRef {
  policy: PolicySource;
  path: string;
  line?: number;
}

export interface Verdict {
  allowed: boolean;
  /** Policies that put the pod into default deny for this direction (empty: not isolated, all allowed). */
  isolatedBy: PolicySource[];
  /** Every rule that allows the flow. */
  allowedBy: RuleRef[];
  /** Present when an allowing rule sends this flow through Cilium's DNS proxy. */
  dnsProxy?: DnsProxy;
}

export interface DnsProxy {
  /** Which name patterns the proxy lets through, or why all of them. */
  allows(name: string): { allowed: boolean; because: string };
}

function portMatches(match: PortMatch, port: number, protocol: Protocol, namedPorts: ModelPod | undefined): boolean {
  if (!match.protocols.includes(protocol)) return false;
  if (match.port === undefined) return true;
  if (typeof match.port === 'string') {
    return Boolean(namedPorts?.containerPorts.some((p) => p.name === match.port && p.port === port && p.protocol === protocol));
  }
  return port >= match.port && port <= (match.endPort ?? match.port);
}

export function decide(
  policies: readonly CompiledPolicy[],
  direction: Direction,
  subject: ModelPod,
  peer: Peer,
  port: number,
  protocol: Protocol,
  context: FlowContext,
): Verdict {
  const selecting = policies.filter((p) => p[direction] !== undefined && p.selects(subject));
  if (selecting.length === 0) return { allowed: true, isolatedBy: [], allowedBy: [] };
  // Named ports resolve against the destination pod: the subject for ingress, the peer for egress.
  const destination = direction === 'ingress' ? subject : peer.kind === 'pod' ? peer.pod : undefined;
  const allowedBy: RuleRef[] = [];
  const dnsRules: { rule: RuleRef; matches: NonNullable<PortMatch['dns']> }[] = [];
  let plainPortAllow: RuleRef | undefined;
  for (const policy of selecting) {
    for (const rule of policy[direction]!) {
      if (!rule.matchesPeer(peer, context)) continue;
      const ports = rule.ports === 'all' ? [undefined] : rule.ports.filter((m) => portMatches(m, port, protocol, destination));
      if (ports.length === 0) continue;
      const ref = { policy: policy.source, path: rule.path, line: rule.line };
      allowedBy.push(ref);
      for (const m of ports) {
        if (m?.dns) dnsRules.push({ rule: ref, matches: m.dns });
        else plainPortAllow ??= ref;
      }
    }
  }
  const verdict: Verdict = { allowed: allowedBy.length > 0, isolatedBy: selecting.map((p) => p.source), allowedBy };
  if (dnsRules.length > 0) {
    verdict.dnsProxy = {
      allows(name) {
        // Another rule allowing the same port without DNS rules makes the proxy allow every name.
        if (plainPortAllow) return { allowed: true, because: `${plainPortAllow.policy.name} ${plainPortAllow.path} allows the port with no DNS rules` };
        for (const { rule, matches } of dnsRules) {
          const hit = matches.find((m) => m.matches(name));
          if (hit) return { allowed: true, because: `${hit.describe} in ${rule.policy.name} ${rule.path}` };
        }
        return { allowed: false, because: `no rules.dns pattern allows ${name} (${dnsRules.flatMap((d) => d.matches.map((m) => m.describe)).join(', ')})` };
      },
    };
  }
  return verdict;
}
