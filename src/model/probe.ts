// One probe through the model: resolve the name (if any), translate a Service address to a backend pod, judge the
// connection on the client's egress and the server's ingress, and end in the outcome a real client would see.
import ipaddr from 'ipaddr.js';
import type { ExecResult } from '../probe/classify.ts';
import type { ProbeRequest } from '../probe/curl.ts';
import type { Observation, Outcome } from '../probe/outcome.ts';
import { profileForImage, renderCurl } from './client-profile.ts';
import type { ModelCluster, ModelPod } from './cluster.ts';
import { resolve } from './dns.ts';
import type { FlowContext, Peer } from './policy/types.ts';
import { decide } from './policy/verdict.ts';
import { verdictStep, type TraceStep } from './trace.ts';

export interface ProbeSimulation {
  observation: Observation;
  trace: TraceStep[];
  /** The address the name resolved to, when it did. */
  resolved?: { name: string; ip: string };
  /** What curl prints for this outcome in this client's image. */
  exec: ExecResult;
}

export function simulateProbe(cluster: ModelCluster, client: ModelPod, request: ProbeRequest): ProbeSimulation {
  const url = new URL(request.url);
  const host = url.hostname;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const trace: TraceStep[] = [];
  const profile = profileForImage(client.image);
  const finish = (outcome: Exclude<Outcome, 'exec-error'>, extra: { status?: number; http2?: boolean } = {}, resolved?: ProbeSimulation['resolved']) => ({
    observation: outcome === 'ok' ? { outcome, status: extra.status } : { outcome },
    trace,
    resolved,
    exec: renderCurl(profile, outcome, { host, port, connectTimeoutMs: request.connectTimeoutSeconds * 1000, ...extra }),
  });

  let ip = host;
  let context: FlowContext = { proxiedNames: () => [] };
  let resolved: ProbeSimulation['resolved'];
  if (!ipaddr.isValid(host)) {
    const resolution = resolve(cluster, client, host, trace);
    if (resolution.status !== 'resolved') {
      if (resolution.status === 'nxdomain') return finish('dns-error');
      if (resolution.status === 'refused') return finish(profile.libc === 'musl' ? 'dns-timeout' : 'dns-error');
      return finish('dns-timeout');
    }
    ({ ip } = resolution);
    resolved = { name: resolution.name, ip };
    const { name, proxied } = resolution;
    if (proxied) context = { proxiedNames: (address) => (address === ip ? [name] : []) };
  }

  let peer: Peer;
  let destinationPort = port;
  const service = cluster.serviceByIp(ip);
  const world = cluster.worldByIp(ip);
  if (service) {
    const servicePort = service.ports.find((p) => p.port === port && p.protocol === 'TCP');
    if (!servicePort) {
      trace.push({ phase: 'connect', side: 'service', verdict: 'deny', text: `Service ${service.namespace}/${service.name} has no port ${port}/TCP` });
      return finish('connect-timeout', {}, resolved);
    }
    const backend = cluster.endpoints(service)[0];
    if (!backend) {
      trace.push({ phase: 'connect', side: 'service', verdict: 'deny', text: `Service ${service.namespace}/${service.name} has no endpoints: rejected` });
      return finish('refused', {}, resolved);
    }
    const target = servicePort.targetPort;
    destinationPort = typeof target === 'number' ? target : (backend.containerPorts.find((p) => p.name === target)?.port ?? port);
    peer = { kind: 'pod', pod: backend };
    trace.push({ phase: 'connect', side: 'service', verdict: 'note', text: `${ip}:${port} is Service ${service.namespace}/${service.name}: DNAT to ${backend.namespace}/${backend.name} ${backend.ip}:${destinationPort}` });
  } else {
    const pod = cluster.podByIp(ip);
    if (pod) peer = { kind: 'pod', pod };
    else if (world) peer = { kind: 'world', ip };
    else {
      trace.push({ phase: 'connect', side: 'destination', verdict: 'deny', text: `nothing answers at ${ip}` });
      return finish('connect-timeout', {}, resolved);
    }
  }

  const policies = cluster.policies();
  const to = peer.kind === 'pod' ? `${peer.pod.namespace}/${peer.pod.name}` : `${world?.name ?? 'world'} (${ip})`;
  const flow = `${client.namespace}/${client.name} -> ${to}:${destinationPort}/TCP`;
  const egress = decide(policies, 'egress', client, peer, destinationPort, 'TCP', context);
  trace.push(verdictStep('connect', 'client egress', flow, egress));
  if (!egress.allowed) return finish('connect-timeout', {}, resolved);
  if (peer.kind === 'pod') {
    const ingress = decide(policies, 'ingress', peer.pod, { kind: 'pod', pod: client }, destinationPort, 'TCP', context);
    trace.push(verdictStep('connect', 'server ingress', flow, ingress));
    if (!ingress.allowed) return finish('connect-timeout', {}, resolved);
    const listening = peer.pod.containerPorts.some((p) => p.port === destinationPort && p.protocol === 'TCP');
    trace.push({ phase: 'connect', side: 'destination', verdict: listening ? 'allow' : 'deny', text: listening ? `${to} serves ${destinationPort}/TCP` : `${to} does not listen on ${destinationPort}/TCP` });
    return listening ? finish('ok', { status: 200 }, resolved) : finish('refused', {}, resolved);
  }
  const status = world?.ports[destinationPort];
  trace.push({ phase: 'connect', side: 'destination', verdict: status ? 'allow' : 'deny', text: status ? `${to} answers HTTP ${status}` : `${to} does not answer on port ${destinationPort}` });
  return status ? finish('ok', { status, http2: url.protocol === 'https:' }, resolved) : finish('connect-timeout', {}, resolved);
}
