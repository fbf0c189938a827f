// One probe through the model: resolve the name (if any), translate a Service address to its backend, judge the
// connection on the client's egress and the server's ingress, pass an HTTP request through Cilium's proxy where L7
// rules apply, and end in the outcome (and the exact output) the client's tool would show.
import ipaddr from 'ipaddr.js';
import type { ExecResult } from '../probe/classify.ts';
import type { ProbeSpec } from '../probe/command.ts';
import type { Conclusive, Observation } from '../probe/outcome.ts';
import { pingLookupOutcome, profileForImage, refusedOutcome, renderProbe } from './client-profile.ts';
import type { ModelCluster, ModelPod, NodeEndpoint } from './cluster.ts';
import { nslookupRules, resolve, resolverRules } from './dns.ts';
import type { PolicyIndex } from './policy/policy-index.ts';
import { ICMP_ECHO_REQUEST, NO_FQDNS, type FlowProtocol, type HttpRequest, type Peer, type PodFlow } from './policy/types.ts';
import { decide, type Verdict } from './policy/verdict.ts';
import { verdictStep, type TraceStep } from './trace.ts';
import { servingOf } from './images/catalog.ts';
import type { Socket } from './images/types.ts';

export interface ProbeSimulation {
  observation: Observation;
  trace: TraceStep[];
  /** The address the name resolved to, when it did. */
  resolved?: { name: string; ip: string };
  /** What the probe command prints for this outcome in this client's image. */
  exec: ExecResult;
  /** Set when the outcome is "unpredicted": the field the model does not simulate, and where. */
  unpredicted?: string;
  /** Set when the outcome rests on a server the image catalog does not know (its declared ports were trusted): why. */
  assumed?: string;
}

/** Pod to pod on one port: both policy sides and whether the server listens. Shared by probes and the matrix. */
export function connectPods(index: PolicyIndex, flow: PodFlow, explain = true) {
  const egress = decide(index, 'egress', flow, explain);
  const ingress = egress.allowed || explain ? decide(index, 'ingress', flow, explain) : undefined;
  const { port, protocol } = flow;
  // Every pod's kernel answers an ICMP echo.
  const serving = protocol === 'ICMP' ? { socket: { port, protocol: 'TCP' as const } } : servingOf(flow.destination.pod.listening, port, protocol);
  return { egress, ingress, listening: serving.socket !== undefined, serving };
}

interface Flow {
  host: string;
  /** For ICMP, the type of the request (8, echo). */
  port: number;
  protocol: FlowProtocol;
  http?: { request: HttpRequest; tls: boolean };
}

/** `Name: value` lines as curl sends them, by lowercased name. */
function headerMap(lines: readonly string[]): Record<string, string> {
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
}

function flowOf(spec: Exclude<ProbeSpec, { tool: 'lookup' }>): Flow {
  if (spec.tool === 'ping') return { host: spec.host, port: ICMP_ECHO_REQUEST, protocol: 'ICMP' };
  if (spec.tool === 'connect') return { host: spec.host, port: spec.port, protocol: spec.protocol };
  const url = new URL(spec.url);
  const tls = url.protocol === 'https:';
  return {
    host: url.hostname,
    port: Number(url.port || (tls ? 443 : 80)),
    protocol: 'TCP',
    http: { request: { method: spec.method, path: url.pathname + url.search, host: url.host, headers: headerMap(spec.headers ?? []) }, tls },
  };
}

/** The model does not simulate a field this probe depends on: no outcome, and nothing a client would print. */
function notPredicted(trace: TraceStep[], why: string, resolved?: ProbeSimulation['resolved']): ProbeSimulation {
  trace.push({ phase: 'connect', side: 'model', verdict: 'note', text: `not predicted: ${why}` });
  return { observation: { outcome: 'unpredicted' }, trace, resolved, unpredicted: why, exec: { exitCode: -1, stdout: '', stderr: `not predicted: ${why}\n` } };
}

/** A name lookup (nslookup): the search path as the image's nslookup walks it, each query judged on its way. */
function simulateLookup(cluster: ModelCluster, client: ModelPod, spec: Extract<ProbeSpec, { tool: 'lookup' }>): ProbeSimulation {
  const trace: TraceStep[] = [];
  const profile = profileForImage(client.image);
  const resolution = resolve(cluster, client, spec.name, nslookupRules(profile), trace);
  if (resolution.status === 'unpredicted') return notPredicted(trace, resolution.why);
  const outcome = resolution.status === 'resolved' ? 'ok' : resolution.status === 'timeout' ? 'dns-timeout' : 'dns-error';
  const answer = resolution.status === 'resolved' ? { name: resolution.name, ip: resolution.ip } : undefined;
  const facts = { host: spec.name, port: 53, timeoutMs: spec.timeoutSeconds * 1000, ...(answer && { address: answer.ip, answered: answer.name }), ...((resolution.status === 'nxdomain' || resolution.status === 'refused') && { failed: { name: resolution.name, rcode: resolution.status === 'refused' ? ('REFUSED' as const) : ('NXDOMAIN' as const) } }) };
  return { observation: { outcome }, trace, ...(answer && { resolved: answer }), exec: renderProbe(profile, spec, outcome, facts) };
}

export function simulateProbe(cluster: ModelCluster, client: ModelPod, spec: ProbeSpec): ProbeSimulation {
  if (spec.tool === 'lookup') return simulateLookup(cluster, client, spec);
  const flow = flowOf(spec);
  const { host, port, protocol } = flow;
  const trace: TraceStep[] = [];
  const profile = profileForImage(client.image);
  let resolved: ProbeSimulation['resolved'];
  let assumed: string | undefined;
  const finish = (outcome: Conclusive, extra: { status?: number; reason?: string; http2?: boolean; body?: string; remote?: string } = {}): ProbeSimulation => ({
    observation: outcome === 'ok' && extra.status !== undefined ? { outcome, status: extra.status } : { outcome },
    trace,
    resolved,
    ...(assumed && { assumed }),
    exec: renderProbe(profile, spec, outcome, { host, port, timeoutMs: (spec.tool === 'curl' ? spec.connectTimeoutSeconds : spec.timeoutSeconds) * 1000, local: `${client.ip}:40000`, address: resolved?.ip, ...extra }),
  });
  const unpredicted = (why: string): ProbeSimulation => notPredicted(trace, why, resolved);

  let ip = host;
  let context = NO_FQDNS;
  if (!ipaddr.isValid(host)) {
    const resolution = resolve(cluster, client, host, resolverRules(profile), trace);
    if (resolution.status === 'unpredicted') return unpredicted(resolution.why);
    if (resolution.status !== 'resolved') {
      if (spec.tool === 'ping') return finish(pingLookupOutcome(profile, resolution.status));
      return finish(resolution.status === 'nxdomain' ? 'dns-error' : resolution.status === 'refused' ? refusedOutcome(profile) : 'dns-timeout');
    }
    ({ ip } = resolution);
    resolved = { name: resolution.name, ip };
    const { name, proxied } = resolution;
    if (proxied) context = { proxiedNames: (address) => (address === ip ? [name] : []) };
  }

  // Service translation (kube-proxy or Cilium's socket LB) happens before policy, which sees the backend.
  let peer: Peer;
  let destinationPort = port;
  const service = cluster.serviceByIp(ip);
  /** The Service whose targetPort led here: what its author says listens, where the image does not tell. */
  let targetedBy: string | undefined;
  // Service translation is for TCP, UDP and SCTP; whether a Service address answers an echo is the datapath's choice.
  if (service && flow.protocol === 'ICMP') return unpredicted(`ping to Service ${service.namespace}/${service.name}'s address: whether the datapath answers an ICMP echo to a Service address`);
  if (service) {
    const servicePort = service.ports.find((p) => p.port === port && p.protocol === protocol);
    if (!servicePort) {
      trace.push({ phase: 'connect', side: 'service', verdict: 'deny', text: `Service ${service.namespace}/${service.name} has no port ${port}/${protocol}` });
      return finish('connect-timeout');
    }
    const backend = cluster.endpoints(service)[0];
    if (!backend) {
      trace.push({ phase: 'connect', side: 'service', verdict: 'deny', text: `Service ${service.namespace}/${service.name} has no endpoints: rejected` });
      return finish('refused');
    }
    const target = servicePort.targetPort;
    const named = 'containerPorts' in backend ? backend.containerPorts.find((p) => p.name === target)?.port : undefined;
    destinationPort = typeof target === 'number' ? target : (named ?? port);
    peer = 'containerPorts' in backend ? { kind: 'pod', pod: backend } : nodePeer(backend);
    targetedBy = `Service ${service.namespace}/${service.name}`;
    trace.push({ phase: 'connect', side: 'service', verdict: 'note', text: `${ip}:${port} is Service ${service.namespace}/${service.name}: DNAT to ${describePeer(peer)} ${backend.ip}:${destinationPort}` });
  } else {
    const pod = cluster.podByIp(ip);
    const node = cluster.nodeByIp(ip);
    if (pod) peer = { kind: 'pod', pod };
    else if (node) peer = nodePeer(node);
    else if (cluster.worldByIp(ip) || !cluster.inClusterRange(ip)) peer = { kind: 'world', ip };
    else {
      trace.push({ phase: 'connect', side: 'destination', verdict: 'deny', text: `nothing answers at ${ip}` });
      return finish('connect-timeout');
    }
  }

  const hostPolicy = peer.kind === 'node' ? cluster.policies().find((p) => p.unmodelled) : undefined;
  if (hostPolicy) return unpredicted(`${hostPolicy.unmodelled} in ${hostPolicy.source.kind} ${hostPolicy.source.name}`);
  const index = cluster.policyIndex();
  const to = describePeer(peer);
  const text = `${client.namespace}/${client.name} -> ${to}:${destinationPort}/${protocol}`;
  let egress: Verdict;
  let ingress: Verdict | undefined;
  let serves: boolean;
  let status = 200;
  let socket: Socket | undefined;
  let serving: { socket?: Socket; assumed?: string } = {};
  if (peer.kind === 'pod') {
    const result = connectPods(index, { source: { kind: 'pod', pod: client }, destination: peer, port: destinationPort, protocol, context });
    ({ egress, ingress, serving } = result);
    ({ socket } = serving);
    serves = result.listening;
    // An image the catalog does not know, reached through a Service's targetPort: the Service's author says it
    // listens there, as a declared containerPort would (the prediction stays marked assumed).
    if (!serves && serving.assumed && targetedBy) {
      serves = true;
      serving = { ...serving, assumed: `${serving.assumed}; it is taken to listen on ${destinationPort}/${protocol}, the targetPort of ${targetedBy}` };
    }
  } else {
    egress = decide(index, 'egress', { source: { kind: 'pod', pod: client }, destination: peer, port: destinationPort, protocol, context });
    const world = peer.kind === 'world' ? cluster.worldByIp(ip) : undefined;
    const node = peer.kind === 'node' ? cluster.nodeByIp(peer.ip) : undefined;
    // A node and a host of the suite's world answer an echo; an address nothing serves does not.
    const answer = protocol === 'ICMP' ? (node || world ? 200 : undefined) : node ? (destinationPort === node.port ? 200 : undefined) : protocol === 'TCP' ? world?.ports[destinationPort] : undefined;
    serves = answer !== undefined;
    status = answer ?? 200;
  }
  trace.push(verdictStep('connect', 'client egress', text, egress));
  if (egress.unpredicted) return unpredicted(egress.unpredicted);
  if (!egress.allowed) return finish('connect-timeout');
  if (ingress) {
    trace.push(verdictStep('connect', 'server ingress', text, ingress));
    if (ingress.unpredicted) return unpredicted(ingress.unpredicted);
    if (!ingress.allowed) return finish('connect-timeout');
  }
  const what = protocol === 'ICMP' ? 'ICMP echo' : `${destinationPort}/${protocol}`;
  trace.push({ phase: 'connect', side: 'destination', verdict: serves ? 'allow' : 'deny', text: serves ? `${to} answers ${what}` : `${to} does not answer ${what}` });
  if (serving.assumed) {
    assumed = serving.assumed;
    trace.push({ phase: 'connect', side: 'destination', verdict: 'note', text: `assumed: ${assumed}` });
  }
  if (!serves) return finish(peer.kind === 'pod' ? 'refused' : 'connect-timeout');
  if (flow.http?.tls) {
    for (const [side, verdict] of [['client egress', egress], ['server ingress', ingress]] as const) {
      const proxy = verdict?.sniProxy;
      if (!proxy) continue;
      // curl sends the URL's host as SNI, and none for an address (RFC 6066 forbids literal addresses).
      const sni = ipaddr.isValid(host) ? '' : host.replace(/\.$/, '');
      const check = proxy.allows(sni);
      trace.push({ phase: 'connect', side: 'tls proxy', verdict: check.allowed ? 'allow' : 'deny', text: `${side}: ${check.allowed ? 'lets the handshake through' : 'resets the connection'}, ${check.because}` });
      if (!check.allowed) return finish('tls-error');
    }
  } else if (flow.http && (egress.sniProxy || ingress?.sniProxy)) {
    return unpredicted(`toPorts.serverNames on ${destinationPort}/${protocol} meets a plain-text HTTP request: what the proxy does without a TLS ClientHello`);
  }
  if (flow.http) {
    for (const [side, verdict] of [['client egress', egress], ['server ingress', ingress]] as const) {
      const proxy = verdict?.httpProxy;
      if (!proxy) continue;
      if (flow.http.tls) {
        trace.push({ phase: 'connect', side: 'http proxy', verdict: 'deny', text: `${side} has HTTP rules on ${destinationPort}, and the proxy cannot read TLS: connection reset` });
        return finish('tls-error');
      }
      const check = proxy.allows(flow.http.request);
      const request = `${flow.http.request.method} ${flow.http.request.path}`;
      trace.push({ phase: 'connect', side: 'http proxy', verdict: check.allowed ? 'allow' : 'deny', text: `${side}: ${request} ${check.allowed ? 'allowed' : 'answered 403 Access denied'}, ${check.because}` });
      if (!check.allowed) return finish('ok', { status: 403, body: 'Access denied\r\n' });
    }
  }
  if (spec.tool !== 'curl' || !flow.http) return finish('ok');
  if (socket && !socket.http && !serving.assumed) return unpredicted(`${to} serves ${what}, but not HTTP: what curl makes of its answer`);
  if (socket?.http && flow.http.tls && !socket.tls) return unpredicted(`${to} serves plain HTTP on ${what}, and curl asks for TLS: how its handshake fails`);
  const reply = socket?.http?.(flow.http.request.method, flow.http.request.path);
  if (reply) trace.push({ phase: 'connect', side: 'destination', verdict: 'note', text: `${to} answers ${flow.http.request.method} ${flow.http.request.path} with ${reply.status} ${reply.reason}` });
  return finish('ok', reply ? { status: reply.status, reason: reply.reason } : { status, http2: flow.http.tls && peer.kind === 'world' });
}

function nodePeer(node: NodeEndpoint): Peer {
  return { kind: 'node', ip: node.ip, name: node.name, entities: node.entities };
}

function describePeer(peer: Peer): string {
  if (peer.kind === 'pod') return `${peer.pod.namespace}/${peer.pod.name}`;
  if (peer.kind === 'node') return `${peer.name} (${peer.ip})`;
  return `world (${peer.ip})`;
}
