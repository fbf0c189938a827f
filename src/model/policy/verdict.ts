// Whether one side of a flow allows it: a matching deny rule from any policy wins; otherwise a pod that no policy
// isolates allows everything, and an isolated one allows what the union of its allow rules allows. Allow rules with
// L7 parts send the flow through Cilium's proxy, which then judges each DNS query or HTTP request.
import type { Entity } from '../../manifest/schemas/cilium.ts';
import type { ModelPod } from '../cluster.ts';
import type { IndexedRule, PolicyIndex } from './policy-index.ts';
import type { Direction, Flow, FlowContext, HttpRequest, L7Rules, Peer, PolicySource, PortMatch, Tier } from './types.ts';

export interface RuleRef {
  policy: PolicySource;
  path: string;
  line?: number;
}

export interface ProxyVerdict {
  allowed: boolean;
  because: string;
}

export interface L7Proxy<T> {
  allows(subject: T): ProxyVerdict;
}

export interface Verdict {
  allowed: boolean;
  /** Policies that put the pod into default deny for this direction (empty: not isolated). */
  isolatedBy: PolicySource[];
  /** Every rule that allows the flow (when explaining; otherwise at least the first). */
  allowedBy: RuleRef[];
  /** Deny rules that match the flow; any one of them denies it. */
  deniedBy: RuleRef[];
  /** Present when an allowing rule sends this flow through Cilium's DNS proxy. */
  dnsProxy?: L7Proxy<string>;
  /** Present when an allowing rule sends this flow through the HTTP proxy (Envoy). */
  httpProxy?: L7Proxy<HttpRequest>;
  /** Present when an allowing rule names the TLS server names (SNI) the proxy lets through. */
  sniProxy?: L7Proxy<string>;
  /** Set when a rule the model does not simulate could change this verdict: which field, and where. */
  unpredicted?: string;
  /** Set when a ClusterNetworkPolicy rule of this tier decided (its Accept or Deny rule is in allowedBy or deniedBy). */
  decidedBy?: Tier;
  /** Policy would drop the flow, and the endpoint's policy audit mode forwarded it instead (`allowed` is then true). */
  audited?: boolean;
}

const POD_ENTITIES: readonly Entity[] = ['cluster', 'all'];
const WORLD_ENTITIES: readonly Entity[] = ['world', 'all'];

function peerMatches(indexed: IndexedRule, peer: Peer, context: FlowContext): boolean {
  const match = indexed.rule.peer;
  if (match.any) return true;
  const entities = peer.kind === 'pod' ? POD_ENTITIES : peer.kind === 'world' ? WORLD_ENTITIES : peer.entities;
  if (match.entities && entities.some((e) => match.entities!.has(e))) return true;
  if (peer.kind === 'pod') return indexed.matchesPod(peer.pod);
  if (peer.kind === 'world') {
    if (match.world?.(peer.ip)) return true;
    const { fqdn } = match;
    return fqdn !== undefined && context.proxiedNames(peer.ip).some((name) => fqdn(name));
  }
  return false;
}

// Named ports resolve against the destination pod (only a pod has any): `destination` is the flow's, looked up once.
function portMatches(match: PortMatch, flow: Flow, destination: ModelPod | undefined): boolean {
  const { port, protocol } = flow;
  if (!match.protocols.includes(protocol)) return false;
  if (match.port === undefined) return true;
  if (typeof match.port === 'string') {
    return Boolean(destination?.containerPorts.some((p) => p.name === match.port && p.port === port && p.protocol === protocol));
  }
  return port >= match.port && port <= (match.endPort ?? match.port);
}

/** The port matches of a rule that apply to this flow: `[undefined]` for a rule on all ports, `[]` for none. */
function matchingPorts(indexed: IndexedRule, flow: Flow, destination: ModelPod | undefined): (PortMatch | undefined)[] {
  const { ports } = indexed.rule;
  return ports === 'all' ? [undefined] : ports.filter((m) => portMatches(m, flow, destination));
}

/** Whether a rule applies to this flow's port: matchingPorts is not empty, without building the list. */
function onPort(indexed: IndexedRule, flow: Flow, destination: ModelPod | undefined): boolean {
  const { ports } = indexed.rule;
  return ports === 'all' || ports.some((m) => portMatches(m, flow, destination));
}

function refOf(indexed: IndexedRule): RuleRef {
  return { policy: indexed.policy, path: indexed.rule.path, line: indexed.rule.line };
}

function unmodelledAt(field: string, indexed: IndexedRule): string {
  const { policy } = indexed;
  return `${field} (${policy.kind} ${policy.namespace ? `${policy.namespace}/` : ''}${policy.name} ${indexed.rule.path}) is not simulated by the model`;
}

function proxy<T>(kind: L7Rules['kind'], plain: RuleRef | undefined, found: { rule: RuleRef; l7: L7Rules }[], what: (subject: T) => string): L7Proxy<T> | undefined {
  const mine = found.filter((f) => f.l7.kind === kind);
  if (mine.length === 0) return undefined;
  return {
    allows(subject) {
      // Another rule allowing the same port without L7 rules makes the proxy allow everything.
      if (plain) return { allowed: true, because: `${plain.policy.name} ${plain.path} allows the port with no ${kind} rules` };
      for (const { rule, l7 } of mine) {
        const hit = (l7.rules as { describe: string; matches(s: T): boolean }[]).find((r) => r.matches(subject));
        if (hit) return { allowed: true, because: `${hit.describe} in ${rule.policy.name} ${rule.path}` };
      }
      const all = mine.flatMap((f) => f.l7.rules.map((r) => r.describe)).join(', ');
      return { allowed: false, because: `no rules.${kind} entry allows ${what(subject)} (${all})` };
    },
  };
}

interface TierDecision {
  action?: 'Accept' | 'Deny';
  ref?: RuleRef;
  doubt?: string;
}

/** No rule of the tier decided: one shared answer, as the matrix asks twice per cell of every pod. */
const UNDECIDED: TierDecision = Object.freeze({});

/**
 * The first ClusterNetworkPolicy rule of a tier that matches the flow decides it (Accept or Deny) or hands it on
 * (Pass, or no match). A matching rule the model does not simulate comes first: then nothing after it is certain.
 */
function tierDecision(rules: readonly IndexedRule[], peer: Peer, flow: Flow, destination: ModelPod | undefined): TierDecision {
  for (const rule of rules) {
    if (!peerMatches(rule, peer, flow.context) || !onPort(rule, flow, destination)) continue;
    if (rule.rule.unmodelled) return { doubt: unmodelledAt(rule.rule.unmodelled, rule) };
    const { action } = rule.rule.tiered!;
    return action === 'Pass' ? UNDECIDED : { action, ref: refOf(rule) };
  }
  return UNDECIDED;
}

/**
 * The verdict for one side of a flow as the subject's endpoint enforces it: in policy audit mode, what policy would
 * drop is forwarded and reported as audited. Cilium's datapath (bpf/lib/policy.h, policy_can_ingress and
 * policy_can_egress, cilium/cilium 010e7c213f28e544f2a477c31cc15c015419272b) turns every policy error into
 * CTX_ACT_OK with `audited` set under POLICY_AUDIT_MODE: a missing allow (DROP_POLICY) and a deny rule
 * (DROP_POLICY_DENY) alike. Each side is its own endpoint's program: the client's mode decides egress, the
 * server's ingress. The drop happens before any proxy port is chosen (__policy_check returns before setting
 * proxy_port), so an audited flow reaches no proxy: no L7 rules apply to it. A flow policy allows into a proxy meets
 * the L7 rules as without audit mode: Envoy's policy is built from whether policy is enabled for the direction, not
 * from the audit option (pkg/envoy/xds_server.go getNetworkPolicy, cilium/cilium
 * 002791a1847b302bde8af8da69ee799e3026549c), so it still answers 403 and resets TLS; the DNS proxy's ServeDNS still
 * refuses a name no rule allows (pkg/fqdn/dnsproxy/proxy.go, CheckAllowed then sendRefused, cilium/cilium
 * 467f1ec653d271df6d687d93c7aacdf443056888). `direction` says which side: egress at the flow's source, ingress at its
 * destination, which must then be a pod.
 */
export function decide(index: PolicyIndex, direction: Direction, flow: Flow, explain = true): Verdict {
  const subject = direction === 'egress' ? flow.source.pod : podAt(flow.destination);
  const verdict = enforce(index, direction, subject, flow, explain);
  // A verdict the model cannot give stays unpredicted: what an unsimulated rule does to the proxy is still unknown.
  if (!subject.policyAudit || verdict.allowed || verdict.unpredicted) return verdict;
  return { ...verdict, allowed: true, audited: true };
}

/** The pod whose ingress judges a flow: only a pod has policy on its way in. */
function podAt(destination: Peer): ModelPod {
  if (destination.kind !== 'pod') throw new Error(`ingress is judged at a pod, not at ${destination.kind} ${destination.ip}`);
  return destination.pod;
}

/**
 * The verdict for one side of a flow: ClusterNetworkPolicy's Admin tier first, then NetworkPolicies and Cilium
 * policies, then the Baseline tier where those left the flow undecided (nothing isolates the pod, nothing denies). With `explain` false it stops at the first deciding rule (the matrix fast
 * path); with `explain` it collects every rule that allows or denies the flow.
 */
function enforce(index: PolicyIndex, direction: Direction, subject: ModelPod, flow: Flow, explain: boolean): Verdict {
  const side = index.side(subject, direction);
  // The other end: the destination for egress, the source for ingress.
  const peer = direction === 'egress' ? flow.destination : flow.source;
  const destination = flow.destination.kind === 'pod' ? flow.destination.pod : undefined;
  const { context } = flow;
  const verdict: Verdict = { allowed: false, isolatedBy: side.isolatedBy, allowedBy: [], deniedBy: [] };
  const admin = tierDecision(side.tiers.Admin, peer, flow, destination);
  if (admin.ref) return { ...verdict, allowed: admin.action === 'Accept', [admin.action === 'Accept' ? 'allowedBy' : 'deniedBy']: [admin.ref], decidedBy: 'Admin' };
  if (admin.doubt) return { ...verdict, unpredicted: admin.doubt };
  // A rule the model does not simulate that could deny or allow this flow; it decides nothing, it only casts doubt.
  let mayDeny: string | undefined;
  let mayAllow: string | undefined;
  for (const rule of side.deny) {
    if (peerMatches(rule, peer, context) && onPort(rule, flow, destination)) {
      if (rule.rule.unmodelled) {
        mayDeny ??= unmodelledAt(rule.rule.unmodelled, rule);
        continue;
      }
      verdict.deniedBy.push(refOf(rule));
      // The fast path's shortcut: its 'false' mutant (never stop early) only collects more deny rules for the same
      // verdict; its 'true' mutant is killed by "are all named when explaining" (test/model/verdict-details.test.ts).
      // Stryker disable next-line ConditionalExpression: equivalent, as above
      if (!explain) return verdict;
    }
  }
  const l7: { rule: RuleRef; l7: L7Rules }[] = [];
  let plain: RuleRef | undefined;
  for (const rule of side.allow) {
    if (!peerMatches(rule, peer, context)) continue;
    const ports = matchingPorts(rule, flow, destination);
    if (ports.length === 0) continue;
    if (rule.rule.unmodelled) {
      mayAllow ??= unmodelledAt(rule.rule.unmodelled, rule);
      continue;
    }
    const ref = refOf(rule);
    verdict.allowedBy.push(ref);
    for (const m of ports) {
      if (m?.unmodelled) mayAllow ??= unmodelledAt(m.unmodelled, rule);
      else if (m?.l7) l7.push({ rule: ref, l7: m.l7 });
      else plain ??= ref;
    }
    // As above: never breaking only collects more allow rules for the same verdict; breaking on any allow is killed by
    // "the fast path still finds a later plain allow" (test/model/verdict-details.test.ts).
    // Stryker disable next-line ConditionalExpression: equivalent, as above
    if (plain && !explain) break;
  }
  verdict.allowed = verdict.deniedBy.length === 0 && (side.isolatedBy.length === 0 || verdict.allowedBy.length > 0);
  if (verdict.deniedBy.length === 0) {
    // A certain deny stands; otherwise an unsimulated deny could drop an allowed flow, and an unsimulated allow could
    // admit a dropped one or change what the proxy lets through (a plain allow of the port opens the proxy).
    const doubt = verdict.allowed ? (mayDeny ?? (plain ? undefined : mayAllow)) : mayAllow;
    verdict.unpredicted = doubt;
    if (side.isolatedBy.length === 0 && !doubt) {
      const baseline = tierDecision(side.tiers.Baseline, peer, flow, destination);
      if (baseline.doubt) return { ...verdict, unpredicted: baseline.doubt };
      if (baseline.ref) return { ...verdict, allowed: baseline.action === 'Accept', allowedBy: baseline.action === 'Accept' ? [baseline.ref] : [], deniedBy: baseline.action === 'Deny' ? [baseline.ref] : [], decidedBy: 'Baseline' };
    }
  }
  // A denied flow reaches no proxy.
  if (verdict.allowed) {
    // A shortcut for the matrix (1,000,000 cells in the bench): with no L7 rules proxy() builds none. Its 'true' and
    // '>=' mutants only cost time; 'false' and '<=' are killed by the proxy tests (test/model/verdict-details.test.ts).
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, as above
    if (l7.length > 0) {
      verdict.dnsProxy = proxy<string>('dns', plain, l7, (name) => name);
      verdict.httpProxy = proxy<HttpRequest>('http', plain, l7, (r) => `${r.method} ${r.path}`);
      verdict.sniProxy = proxy<string>('sni', plain, l7, (name) => `server name ${name || '(none)'}`);
    }
  }
  return verdict;
}
