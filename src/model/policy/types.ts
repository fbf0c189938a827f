// Policies of every kind compile to one shape, so that the verdict logic is written once.
import type { ModelPod } from '../cluster.ts';

export type Direction = 'ingress' | 'egress';
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface PolicySource {
  kind: string;
  namespace: string;
  name: string;
  file?: string;
  line?: number;
}

/** The other end of a flow, as the enforcing side sees it (after Service translation). */
export type Peer = { kind: 'pod'; pod: ModelPod } | { kind: 'world'; ip: string };

export interface FlowContext {
  /** Names the client looked up through the DNS proxy for this address; toFQDNs selects by these. */
  proxiedNames(ip: string): readonly string[];
}

export interface PortMatch {
  protocols: readonly Protocol[];
  /** Absent: every port of these protocols. */
  port?: number | string;
  endPort?: number;
  /** L7 DNS rules on this port: queries are sent through the DNS proxy and checked against these. */
  dns?: readonly { describe: string; matches(name: string): boolean }[];
}

export interface CompiledRule {
  /** e.g. spec.ingress[0] */
  path: string;
  line?: number;
  matchesPeer(peer: Peer, context: FlowContext): boolean;
  /** 'all' when the rule names no ports. */
  ports: readonly PortMatch[] | 'all';
}

export interface CompiledPolicy {
  source: PolicySource;
  selects(pod: ModelPod): boolean;
  /** A direction is present when the policy isolates the pods it selects in that direction. */
  ingress?: readonly CompiledRule[];
  egress?: readonly CompiledRule[];
}
