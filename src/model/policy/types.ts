// Policies of every kind compile to one shape, so that the verdict logic is written once.
import type { Entity } from '../../manifest/schemas/cilium.ts';
import type { Protocol } from '../../manifest/schemas/net.ts';
import type { ModelPod } from '../cluster.ts';

export type Direction = 'ingress' | 'egress';
export type { Protocol };
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
/** What a flow carries: a transport, or ICMP (IPv4), whose "port" is the ICMP type (8: echo request). */
export type FlowProtocol = Protocol | 'ICMP';
export const ICMP_ECHO_REQUEST = 8;

export interface PolicySource {
  kind: string;
  /** Absent for cluster-wide policies. */
  namespace?: string;
  name: string;
  file?: string;
  line?: number;
  /** Where the model follows Cilium rather than Kubernetes for this policy, said in every explanation of it. */
  note?: string;
}

/**
 * The other end of a flow, as the enforcing side sees it (after Service translation): a pod, an address outside
 * the cluster, or a node-side endpoint such as the API server, which Cilium knows by its entities.
 */
export type Peer = { kind: 'pod'; pod: ModelPod } | { kind: 'world'; ip: string } | { kind: 'node'; ip: string; name: string; entities: readonly Entity[] };

export type PodPeer = Extract<Peer, { kind: 'pod' }>;

export interface FlowContext {
  /** Names the client looked up through the DNS proxy for this address; toFQDNs selects by these. */
  proxiedNames(ip: string): readonly string[];
}

/** A client that looked no name up through the DNS proxy. */
export const NO_FQDNS: FlowContext = { proxiedNames: () => [] };

/**
 * One flow as policy sees it, after Service translation: from a pod to a peer, on one port. Both sides judge the
 * same object (egress at the source, ingress at a pod destination), so that the matrix can reuse one for every cell.
 */
export interface Flow {
  source: PodPeer;
  destination: Peer;
  /** For ICMP, the type (8: echo request). */
  port: number;
  protocol: FlowProtocol;
  context: FlowContext;
}
/** A flow between two pods: what both sides judge and the matrix computes. */
export type PodFlow = Flow & { destination: PodPeer };

/** Which peers a rule names. Pod predicates are evaluated once per pod by the policy index, not per flow. */
export interface PeerMatch {
  /** No L3 part: every peer. */
  any?: boolean;
  pods?: (pod: ModelPod) => boolean;
  /** Addresses outside the cluster (ipBlock, toCIDR, toCIDRSet): never pods, never nodes. */
  world?: (ip: string) => boolean;
  entities?: ReadonlySet<Entity>;
  /** toFQDNs: matches an address when a name the DNS proxy answered for it matches. */
  fqdn?: (name: string) => boolean;
}

export interface NameMatcher {
  describe: string;
  matches(name: string): boolean;
}

export interface HttpRequest {
  method: string;
  path: string;
  host: string;
  /** Header values by lowercased name (HTTP names are case-insensitive; Envoy matches them so). */
  headers: Record<string, string>;
}

export interface HttpMatcher {
  describe: string;
  matches(request: HttpRequest): boolean;
}

/**
 * An L7 rule on a port: traffic goes through Cilium's proxy, which checks each DNS query, HTTP request, or the
 * server name a TLS client sends (SNI).
 */
export type L7Rules = { kind: 'dns'; rules: readonly NameMatcher[] } | { kind: 'http'; rules: readonly HttpMatcher[] } | { kind: 'sni'; rules: readonly NameMatcher[] };

export interface PortMatch {
  protocols: readonly FlowProtocol[];
  /** Absent: every port of these protocols. A string is a named container port of the destination pod. */
  port?: number | string;
  endPort?: number;
  l7?: L7Rules;
  /** A valid field of this port rule that the model does not simulate: flows it applies to are not predicted. */
  unmodelled?: string;
}

export interface CompiledRule {
  /** e.g. spec.ingress[0] */
  path: string;
  line?: number;
  peer: PeerMatch;
  /** 'all' when the rule names no ports. */
  ports: readonly PortMatch[] | 'all';
  /**
   * A valid field of this rule that the model does not simulate (toServices, authentication, ...): the rule may
   * apply to any peer, so a verdict it could change is not predicted.
   */
  unmodelled?: string;
  /** A ClusterNetworkPolicy rule: what it does, and its precedence in its tier (lower first). */
  tiered?: { action: 'Accept' | 'Deny' | 'Pass'; priority: number };
}

export interface DirectionRules {
  allow: readonly CompiledRule[];
  deny: readonly CompiledRule[];
  /** Whether the policy puts the pods it selects into default deny for this direction. */
  isolates: boolean;
}

/**
 * ClusterNetworkPolicy tiers: Admin rules are checked before every NetworkPolicy and Cilium policy, Baseline rules
 * only where none of those decided (the pod is not isolated and nothing denied).
 */
export type Tier = 'Admin' | 'Baseline';

export interface CompiledPolicy {
  source: PolicySource;
  /** Set for a ClusterNetworkPolicy: its rules (in ingress.allow and egress.allow) are tiered, not plain allows. */
  tier?: Tier;
  /** A policy-wide field the model does not simulate (a host policy's nodeSelector): flows to nodes are not predicted. */
  unmodelled?: string;
  selects(pod: ModelPod): boolean;
  ingress: DirectionRules;
  egress: DirectionRules;
}
