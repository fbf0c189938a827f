// Name resolution as a pod does it: the Kubernetes search path (ndots:5), each query a UDP flow to kube-dns
// judged by policy on both sides, Cilium's DNS proxy where an allowing rule has rules.dns, then CoreDNS's answer.
// Which names a program asks for, and whether a REFUSED answer ends its lookup, are the program's (SearchRules).
import type { ClientProfile } from './client-profile.ts';
import { CLUSTER_DOMAIN, type ModelCluster, type ModelPod } from './cluster.ts';
import { NO_FQDNS, type PodFlow } from './policy/types.ts';
import { decide } from './policy/verdict.ts';
import { verdictStep, type TraceStep } from './trace.ts';

export type Resolution =
  | { status: 'resolved'; name: string; ip: string; proxied: boolean }
  | { status: 'timeout' }
  /** `name`: the last name asked, the one refused for `refused`. */
  | { status: 'nxdomain' | 'refused'; name: string }
  /** A rule the model does not simulate could change whether the query gets through. */
  | { status: 'unpredicted'; why: string };

const NDOTS = 5;

/**
 * How a program walks the search path. `ndots`: one name at a time in resolv.conf's order (the C libraries, Go,
 * bind's nslookup, host). `busybox-nslookup`: busybox's nslookup asks for a name with no dot under each search domain
 * and never alone, for a name with a dot only as written (mirror/busybox 1_30_1 and 1_36_1 networking/nslookup.c,
 * add_query_with_search), all at once, so a REFUSED answer ends nothing. `onRefused`: musl, glibc and bind's
 * nslookup end the whole lookup at a REFUSED answer; Go's resolver moves on to the next name.
 */
export interface SearchRules {
  candidates: 'ndots' | 'busybox-nslookup';
  onRefused: 'stop' | 'next';
}

/** The rules of the C library or Go resolver a client's image resolves with. */
export function resolverRules(profile: ClientProfile): SearchRules {
  return { candidates: 'ndots', onRefused: profile.resolver === 'go' ? 'next' : 'stop' };
}

/** The names a resolver with the Kubernetes search path tries, in order. */
export function searchCandidates(host: string, namespace: string): string[] {
  if (host.endsWith('.')) return [host.slice(0, -1)];
  const search = [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN].map((d) => `${host}.${d}`);
  const dots = host.split('.').length - 1;
  return dots >= NDOTS ? [host, ...search] : [...search, host];
}

/**
 * The rules of the nslookup an image has: bind's walks the search path as the C library does and ends at a REFUSED
 * answer (bind9-dnsutils 9.18 in the client lab: "** server can't find refused.default.svc.cluster.local: REFUSED",
 * no other name asked); busybox's is its own. An image without nslookup cannot run the probe on a cluster (the kube
 * backend says so); the model answers as bind's would.
 */
export function nslookupRules(profile: ClientProfile): SearchRules {
  return profile.nslookup === 'busybox' ? { candidates: 'busybox-nslookup', onRefused: 'next' } : { candidates: 'ndots', onRefused: 'stop' };
}

/** The names busybox's nslookup asks for (see SearchRules). */
function busyboxCandidates(host: string, namespace: string): string[] {
  if (host.includes('.')) return [host.replace(/\.$/, '')];
  return searchCandidates(host, namespace).slice(0, -1);
}

export function resolve(cluster: ModelCluster, client: ModelPod, host: string, rules: SearchRules, trace: TraceStep[]): Resolution {
  const server = cluster.dnsServer();
  if (!server) {
    trace.push({ phase: 'dns', side: 'service', verdict: 'deny', text: 'kube-dns has no endpoints: queries go unanswered' });
    return { status: 'timeout' };
  }
  const flow = `${client.namespace}/${client.name} -> ${server.namespace}/${server.name}:53/UDP (kube-dns)`;
  const index = cluster.policyIndex();
  const query: PodFlow = { source: { kind: 'pod', pod: client }, destination: { kind: 'pod', pod: server }, port: 53, protocol: 'UDP', context: NO_FQDNS };
  const egress = decide(index, 'egress', query);
  trace.push(verdictStep('dns', 'client egress', flow, egress));
  if (egress.unpredicted) return { status: 'unpredicted', why: egress.unpredicted };
  if (!egress.allowed) return { status: 'timeout' };
  const ingress = decide(index, 'ingress', query);
  trace.push(verdictStep('dns', 'server ingress', flow, ingress));
  if (ingress.unpredicted) return { status: 'unpredicted', why: ingress.unpredicted };
  if (!ingress.allowed) return { status: 'timeout' };
  let last: Resolution = { status: 'nxdomain', name: host };
  const candidates = rules.candidates === 'ndots' ? searchCandidates(host, client.namespace) : busyboxCandidates(host, client.namespace);
  for (const name of candidates) {
    if (egress.dnsProxy) {
      const check = egress.dnsProxy.allows(name);
      trace.push({ phase: 'dns', side: 'dns proxy', verdict: check.allowed ? 'allow' : 'deny', text: `${name}: ${check.allowed ? 'allowed' : 'REFUSED'}, ${check.because}` });
      if (!check.allowed) {
        last = { status: 'refused', name };
        if (rules.onRefused === 'stop') return last;
        continue;
      }
    }
    const ip = cluster.answer(name);
    trace.push({ phase: 'dns', side: 'dns server', verdict: 'note', text: ip ? `${name} -> ${ip}` : `${name}: NXDOMAIN` });
    if (ip) return { status: 'resolved', name, ip, proxied: egress.dnsProxy !== undefined };
    last = { status: 'nxdomain', name };
  }
  return last;
}
