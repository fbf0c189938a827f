// One probe through the model: resolve the name (if any), translate a Service address to its backend, judge the
// connection on the client's egress and the server's ingress, pass an HTTP request through Cilium's proxy where L7
// rules apply, and end in the outcome (and the exact output) the client's tool would show.
import ipaddr from 'ipaddr.js';
import type { ExecResult } from '../probe/classify.ts';
import type { ProbeSpec } from '../probe/command.ts';
import type { Conclusive, Observation } from '../probe/outcome.ts';
import { pingLookupOutcome, profileForImage, refusedOutcome, renderProbe, type ClientProfile } from './client-profile.ts';
import type { ModelCluster, ModelPod, NodeEndpoint } from './cluster.ts';
import { nslookupRules, resolve, resolverRules } from './dns.ts';
import type { PolicyIndex } from './policy/policy-index.ts';
import { ICMP_ECHO_REQUEST, NO_FQDNS, type FlowContext, type FlowProtocol, type HttpRequest, type Peer, type PodFlow, type PodPeer } from './policy/types.ts';
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

/** What a probe asks for: an address or name, a port (for ICMP, the request's type, 8: echo) and an HTTP request. */
interface Request {
  host: string;
  port: number;
  protocol: FlowProtocol;
  http?: { request: HttpRequest; tls: boolean };
}

/** `Name: value` lines as curl sends them, by lowercased name. */
function headerMap(lines: readonly string[]): Record<string, string> {
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
}

function requestOf(spec: ConnectingSpec): Request {
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
  const facts = {
    host: spec.name,
    port: 53,
    timeoutMs: spec.timeoutSeconds * 1000,
    ...(answer && { address: answer.ip, answered: answer.name }),
    ...((resolution.status === 'nxdomain' || resolution.status === 'refused') && { failed: { name: resolution.name, rcode: resolution.status === 'refused' ? ('REFUSED' as const) : ('NXDOMAIN' as const) } }),
  };
  return { observation: { outcome }, trace, ...(answer && { resolved: answer }), exec: renderProbe(profile, spec, outcome, facts) };
}

/** A probe that opens a connection (curl, agnhost connect, ping), as opposed to a name lookup. */
type ConnectingSpec = Exclude<ProbeSpec, { tool: 'lookup' }>;

/** One probe under way: what it asks, what it has learned so far, and the trace; it renders how the probe ends. */
class ProbeRun {
  readonly trace: TraceStep[] = [];
  readonly profile: ClientProfile;
  readonly request: Request;
  readonly source: PodPeer;
  resolved: ProbeSimulation['resolved'];
  assumed: string | undefined;

  constructor(
    readonly cluster: ModelCluster,
    readonly client: ModelPod,
    readonly spec: ConnectingSpec,
  ) {
    this.profile = profileForImage(client.image);
    this.request = requestOf(spec);
    this.source = { kind: 'pod', pod: client };
  }

  /** The outcome, and what the client's tool prints for it. */
  finish(outcome: Conclusive, extra: { status?: number; reason?: string; http2?: boolean; body?: string; remote?: string } = {}): ProbeSimulation {
    const { spec, request, resolved, assumed } = this;
    return {
      observation: outcome === 'ok' && extra.status !== undefined ? { outcome, status: extra.status } : { outcome },
      trace: this.trace,
      resolved,
      ...(assumed && { assumed }),
      exec: renderProbe(this.profile, spec, outcome, {
        host: request.host,
        port: request.port,
        timeoutMs: (spec.tool === 'curl' ? spec.connectTimeoutSeconds : spec.timeoutSeconds) * 1000,
        local: `${this.client.ip}:40000`,
        address: resolved?.ip,
        ...extra,
      }),
    };
  }

  unpredicted(why: string): ProbeSimulation {
    return notPredicted(this.trace, why, this.resolved);
  }
}

/** A phase hands the probe on (its own result) or ends it (the simulation). */
const ended = (result: object): result is ProbeSimulation => 'observation' in result;

export function simulateProbe(cluster: ModelCluster, client: ModelPod, spec: ProbeSpec): ProbeSimulation {
  if (spec.tool === 'lookup') return simulateLookup(cluster, client, spec);
  const run = new ProbeRun(cluster, client, spec);
  const target = resolveTarget(run);
  if (ended(target)) return target;
  const destination = translate(run, target.ip);
  if (ended(destination)) return destination;
  const connection = connect(run, target, destination);
  if (ended(connection)) return connection;
  return throughProxies(run, connection) ?? answer(run, connection);
}

/** The address the probe connects to, and the names the client looked up through the DNS proxy for it. */
interface Target {
  ip: string;
  context: FlowContext;
}

/** DNS: the name resolved as the client's resolver walks the search path, each query judged on its way. */
function resolveTarget(run: ProbeRun): Target | ProbeSimulation {
  const { host } = run.request;
  if (ipaddr.isValid(host)) return { ip: host, context: NO_FQDNS };
  const resolution = resolve(run.cluster, run.client, host, resolverRules(run.profile), run.trace);
  if (resolution.status === 'unpredicted') return run.unpredicted(resolution.why);
  if (resolution.status !== 'resolved') {
    if (run.spec.tool === 'ping') return run.finish(pingLookupOutcome(run.profile, resolution.status));
    return run.finish(resolution.status === 'nxdomain' ? 'dns-error' : resolution.status === 'refused' ? refusedOutcome(run.profile) : 'dns-timeout');
  }
  const { ip, name, proxied } = resolution;
  run.resolved = { name, ip };
  return { ip, context: proxied ? { proxiedNames: (address) => (address === ip ? [name] : []) } : NO_FQDNS };
}

/** Where the connection lands, as policy sees it, on which port. */
interface Destination {
  peer: Peer;
  port: number;
  /** The Service whose targetPort led here: what its author says listens, where the image does not tell. */
  targetedBy?: string;
}

/** Service translation (kube-proxy or Cilium's socket LB) happens before policy, which sees the backend. */
function translate(run: ProbeRun, ip: string): Destination | ProbeSimulation {
  const { cluster, trace } = run;
  const { port, protocol } = run.request;
  const service = cluster.serviceByIp(ip);
  if (!service) {
    const pod = cluster.podByIp(ip);
    const node = cluster.nodeByIp(ip);
    if (pod) return { peer: { kind: 'pod', pod }, port };
    if (node) return { peer: nodePeer(node), port };
    if (cluster.worldByIp(ip) || !cluster.inClusterRange(ip)) return { peer: { kind: 'world', ip }, port };
    trace.push({ phase: 'connect', side: 'destination', verdict: 'deny', text: `nothing answers at ${ip}` });
    return run.finish('connect-timeout');
  }
  const named = `Service ${service.namespace}/${service.name}`;
  // Service translation is for TCP, UDP and SCTP; whether a Service address answers an echo is the datapath's choice.
  if (protocol === 'ICMP') return run.unpredicted(`ping to ${named}'s address: whether the datapath answers an ICMP echo to a Service address`);
  const servicePort = service.ports.find((p) => p.port === port && p.protocol === protocol);
  if (!servicePort) {
    trace.push({ phase: 'connect', side: 'service', verdict: 'deny', text: `${named} has no port ${port}/${protocol}` });
    return run.finish('connect-timeout');
  }
  const backend = cluster.endpoints(service)[0];
  if (!backend) {
    trace.push({ phase: 'connect', side: 'service', verdict: 'deny', text: `${named} has no endpoints: rejected` });
    return run.finish('refused');
  }
  const target = servicePort.targetPort;
  const byName = 'containerPorts' in backend ? backend.containerPorts.find((p) => p.name === target)?.port : undefined;
  const destination: Destination = {
    peer: 'containerPorts' in backend ? { kind: 'pod', pod: backend } : nodePeer(backend),
    port: typeof target === 'number' ? target : (byName ?? port),
    targetedBy: named,
  };
  trace.push({ phase: 'connect', side: 'service', verdict: 'note', text: `${ip}:${port} is ${named}: DNAT to ${describePeer(destination.peer)} ${backend.ip}:${destination.port}` });
  return destination;
}

/** Both policy sides of the connection, and what answers at the destination. */
interface Connection {
  destination: Destination;
  egress: Verdict;
  ingress?: Verdict;
  serves: boolean;
  /** The HTTP status a host of the suite's world answers with. */
  status: number;
  serving: { socket?: Socket; assumed?: string };
}

/** Policy on both sides and whether anything answers: the connection made, or how it fails. */
function connect(run: ProbeRun, target: Target, destination: Destination): Connection | ProbeSimulation {
  const { peer } = destination;
  const hostPolicy = peer.kind === 'node' ? run.cluster.policies().find((p) => p.unmodelled) : undefined;
  if (hostPolicy) return run.unpredicted(`${hostPolicy.unmodelled} in ${hostPolicy.source.kind} ${hostPolicy.source.name}`);
  const connection = judge(run, target, destination);
  const { egress, ingress, serves, serving } = connection;
  const { protocol } = run.request;
  const to = describePeer(peer);
  const text = `${run.client.namespace}/${run.client.name} -> ${to}:${destination.port}/${protocol}`;
  run.trace.push(verdictStep('connect', 'client egress', text, egress));
  if (egress.unpredicted) return run.unpredicted(egress.unpredicted);
  if (!egress.allowed) return run.finish('connect-timeout');
  if (ingress) {
    run.trace.push(verdictStep('connect', 'server ingress', text, ingress));
    if (ingress.unpredicted) return run.unpredicted(ingress.unpredicted);
    if (!ingress.allowed) return run.finish('connect-timeout');
  }
  const what = answered(destination, protocol);
  run.trace.push({ phase: 'connect', side: 'destination', verdict: serves ? 'allow' : 'deny', text: serves ? `${to} answers ${what}` : `${to} does not answer ${what}` });
  if (serving.assumed) {
    run.assumed = serving.assumed;
    run.trace.push({ phase: 'connect', side: 'destination', verdict: 'note', text: `assumed: ${serving.assumed}` });
  }
  if (!serves) return run.finish(peer.kind === 'pod' ? 'refused' : 'connect-timeout');
  return connection;
}

/** The verdicts of both sides (a pod's ingress; nothing else has policy on its way in), and what answers. */
function judge(run: ProbeRun, target: Target, destination: Destination): Connection {
  const { peer, port } = destination;
  const { protocol } = run.request;
  const index = run.cluster.policyIndex();
  if (peer.kind === 'pod') {
    const { egress, ingress, listening, serving } = connectPods(index, { source: run.source, destination: peer, port, protocol, context: target.context });
    // An image the catalog does not know, reached through a Service's targetPort: the Service's author says it
    // listens there, as a declared containerPort would (the prediction stays marked assumed).
    if (!listening && serving.assumed && destination.targetedBy) {
      const assumed = `${serving.assumed}; it is taken to listen on ${port}/${protocol}, the targetPort of ${destination.targetedBy}`;
      return { destination, egress, ingress, serves: true, status: 200, serving: { ...serving, assumed } };
    }
    return { destination, egress, ingress, serves: listening, status: 200, serving };
  }
  const egress = decide(index, 'egress', { source: run.source, destination: peer, port, protocol, context: target.context });
  const world = peer.kind === 'world' ? run.cluster.worldByIp(target.ip) : undefined;
  const node = peer.kind === 'node' ? run.cluster.nodeByIp(peer.ip) : undefined;
  // A node and a host of the suite's world answer an echo; an address nothing serves does not.
  const status = protocol === 'ICMP' ? (node || world ? 200 : undefined) : node ? (port === node.port ? 200 : undefined) : protocol === 'TCP' ? world?.ports[port] : undefined;
  return { destination, egress, serves: status !== undefined, status: status ?? 200, serving: {} };
}

/** What the destination is asked to answer, in the trace's words. */
function answered(destination: Destination, protocol: FlowProtocol): string {
  return protocol === 'ICMP' ? 'ICMP echo' : `${destination.port}/${protocol}`;
}

/** Cilium's proxies on the way: the TLS server name (SNI) first, then the HTTP request. Undefined: both let it by. */
function throughProxies(run: ProbeRun, connection: Connection): ProbeSimulation | undefined {
  const { http } = run.request;
  if (!http) return undefined;
  const { egress, ingress, destination } = connection;
  const sides = [
    ['client egress', egress],
    ['server ingress', ingress],
  ] as const;
  const where = `${destination.port}/${run.request.protocol}`;
  if (http.tls) {
    for (const [side, verdict] of sides) {
      const proxy = verdict?.sniProxy;
      if (!proxy) continue;
      // curl sends the URL's host as SNI, and none for an address (RFC 6066 forbids literal addresses).
      const sni = ipaddr.isValid(run.request.host) ? '' : run.request.host.replace(/\.$/, '');
      const check = proxy.allows(sni);
      run.trace.push({ phase: 'connect', side: 'tls proxy', verdict: check.allowed ? 'allow' : 'deny', text: `${side}: ${check.allowed ? 'lets the handshake through' : 'resets the connection'}, ${check.because}` });
      if (!check.allowed) return run.finish('tls-error');
    }
  } else if (egress.sniProxy || ingress?.sniProxy) {
    return run.unpredicted(`toPorts.serverNames on ${where} meets a plain-text HTTP request: what the proxy does without a TLS ClientHello`);
  }
  for (const [side, verdict] of sides) {
    const proxy = verdict?.httpProxy;
    if (!proxy) continue;
    if (http.tls) {
      run.trace.push({ phase: 'connect', side: 'http proxy', verdict: 'deny', text: `${side} has HTTP rules on ${destination.port}, and the proxy cannot read TLS: connection reset` });
      return run.finish('tls-error');
    }
    const check = proxy.allows(http.request);
    const request = `${http.request.method} ${http.request.path}`;
    run.trace.push({ phase: 'connect', side: 'http proxy', verdict: check.allowed ? 'allow' : 'deny', text: `${side}: ${request} ${check.allowed ? 'allowed' : 'answered 403 Access denied'}, ${check.because}` });
    if (!check.allowed) return run.finish('ok', { status: 403, body: 'Access denied\r\n' });
  }
  return undefined;
}

/** The answer: what the server's image replies to curl's request, or a plain connection made. */
function answer(run: ProbeRun, connection: Connection): ProbeSimulation {
  const { http } = run.request;
  if (run.spec.tool !== 'curl' || !http) return run.finish('ok');
  const { destination, serving, status } = connection;
  const { socket } = serving;
  const to = describePeer(destination.peer);
  const what = answered(destination, run.request.protocol);
  if (socket && !socket.http && !serving.assumed) return run.unpredicted(`${to} serves ${what}, but not HTTP: what curl makes of its answer`);
  if (socket?.http && http.tls && !socket.tls) return run.unpredicted(`${to} serves plain HTTP on ${what}, and curl asks for TLS: how its handshake fails`);
  const reply = socket?.http?.(http.request.method, http.request.path);
  if (reply) run.trace.push({ phase: 'connect', side: 'destination', verdict: 'note', text: `${to} answers ${http.request.method} ${http.request.path} with ${reply.status} ${reply.reason}` });
  return run.finish('ok', reply ? { status: reply.status, reason: reply.reason } : { status, http2: http.tls && destination.peer.kind === 'world' });
}

function nodePeer(node: NodeEndpoint): Peer {
  return { kind: 'node', ip: node.ip, name: node.name, entities: node.entities };
}

function describePeer(peer: Peer): string {
  if (peer.kind === 'pod') return `${peer.pod.namespace}/${peer.pod.name}`;
  if (peer.kind === 'node') return `${peer.name} (${peer.ip})`;
  return `world (${peer.ip})`;
}
