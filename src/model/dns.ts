// Name resolution as a pod does it: the Kubernetes search path (ndots:5), each query a UDP flow to kube-dns
// judged by policy on both sides, Cilium's DNS proxy where an allowing rule has rules.dns, then CoreDNS's answer.
import type { ClientProfile } from './client-profile.ts';
import { CLUSTER_DOMAIN, type ModelCluster, type ModelPod } from './cluster.ts';
import type { FlowContext } from './policy/types.ts';
import { decide } from './policy/verdict.ts';
import { verdictStep, type TraceStep } from './trace.ts';

export type Resolution =
  | { status: 'resolved'; name: string; ip: string; proxied: boolean }
  | { status: 'timeout' | 'nxdomain' | 'refused' }
  /** A rule the model does not simulate could change whether the query gets through. */
  | { status: 'unpredicted'; why: string };

const NDOTS = 5;
const NO_FQDNS: FlowContext = { proxiedNames: () => [] };

/** The names a resolver with the Kubernetes search path tries, in order. */
export function searchCandidates(host: string, namespace: string): string[] {
  if (host.endsWith('.')) return [host.slice(0, -1)];
  const search = [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN].map((d) => `${host}.${d}`);
  const dots = host.split('.').length - 1;
  return dots >= NDOTS ? [host, ...search] : [...search, host];
}

export function resolve(cluster: ModelCluster, client: ModelPod, host: string, profile: ClientProfile, trace: TraceStep[]): Resolution {
  const server = cluster.dnsServer();
  if (!server) {
    trace.push({ phase: 'dns', side: 'service', verdict: 'deny', text: 'kube-dns has no endpoints: queries go unanswered' });
    return { status: 'timeout' };
  }
  const flow = `${client.namespace}/${client.name} -> ${server.namespace}/${server.name}:53/UDP (kube-dns)`;
  const index = cluster.policyIndex();
  const egress = decide(index, 'egress', client, { kind: 'pod', pod: server }, 53, 'UDP', NO_FQDNS);
  trace.push(verdictStep('dns', 'client egress', flow, egress));
  if (egress.unpredicted) return { status: 'unpredicted', why: egress.unpredicted };
  if (!egress.allowed) return { status: 'timeout' };
  const ingress = decide(index, 'ingress', server, { kind: 'pod', pod: client }, 53, 'UDP', NO_FQDNS);
  trace.push(verdictStep('dns', 'server ingress', flow, ingress));
  if (ingress.unpredicted) return { status: 'unpredicted', why: ingress.unpredicted };
  if (!ingress.allowed) return { status: 'timeout' };
  let last: Resolution = { status: 'nxdomain' };
  for (const name of searchCandidates(host, client.namespace)) {
    if (egress.dnsProxy) {
      const check = egress.dnsProxy.allows(name);
      trace.push({ phase: 'dns', side: 'dns proxy', verdict: check.allowed ? 'allow' : 'deny', text: `${name}: ${check.allowed ? 'allowed' : 'REFUSED'}, ${check.because}` });
      if (!check.allowed) {
        last = { status: 'refused' };
        // musl and glibc end the whole lookup at a REFUSED answer; Go's resolver moves on to the next name.
        if (profile.resolver !== 'go') return last;
        continue;
      }
    }
    const ip = cluster.answer(name);
    trace.push({ phase: 'dns', side: 'dns server', verdict: 'note', text: ip ? `${name} -> ${ip}` : `${name}: NXDOMAIN` });
    if (ip) return { status: 'resolved', name, ip, proxied: egress.dnsProxy !== undefined };
    last = { status: 'nxdomain' };
  }
  return last;
}
