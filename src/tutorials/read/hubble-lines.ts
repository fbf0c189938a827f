// `hubble observe` output as a tutorial shows it, read as claims about flows: who talked to whom, on which port, and
// what Cilium did with it. The compact format is hubble's printer (cilium/hubble v1.19.4, which vendors it as
// vendor/github.com/cilium/cilium/hubble/pkg/printer/printer.go): the CompactOutput case (lines 371-391) prints
// "%s%s: %s %s %s %s %s %s %s (%s)" = time (StampMilli, "Dec  7 10:00:00.123"), " [node]", source, identity, arrow,
// destination, identity, type, verdict, summary; Hostname (line 792) prints "namespace/pod" or the IP, then ":port"
// unless the port is 0; fmtIdentity (line 146) prints "(ID:n)" or a reserved identity's name (since v0.10.0,
// cilium/hubble f7c66ccf; older hubble printed none). JSON (`-o json`/`-o jsonpb`) is the Flow message in protojson
// with proto field names (api/v1/flow/flow.pb.json.go line 14: UseProtoNames), wrapped in {"flow": …} by jsonpb.
import type { Expectation } from '../../probe/outcome.ts';
import type { ClaimedOutcome } from './claimed-output.ts';

/** What Cilium did with a flow, in the printer's words folded together (see VERDICTS). */
export type HubbleVerdict = 'allowed' | 'denied' | 'audited' | 'dropped';

export interface FlowEndpoint {
  namespace?: string;
  /** The pod's name; for a flow to a Service without a pod, the Service's (the printer does not tell them apart). */
  pod?: string;
  ip?: string;
  /** DNS names Cilium knows for an address outside the cluster (the printer joins them with commas). */
  names?: string[];
  port?: number;
  /** `ID:1234`, or a reserved identity such as `world` or `host`. */
  identity?: string;
}

export interface HubbleHttp {
  protocol: string;
  method: string;
  url: string;
  path: string;
  /** The response's status (http-response flows only). */
  status?: number;
}

export interface HubbleFlow {
  /** The side that opened the connection: for a reply the printer swaps the ends back and draws `<-`. */
  source: FlowEndpoint;
  destination: FlowEndpoint;
  /** `->` a request, `<-` a reply, `<>` direction unknown (printer.go lines 381-389: IsReply unset). */
  reply?: boolean;
  protocol?: 'TCP' | 'UDP' | 'SCTP' | 'ICMPv4' | 'ICMPv6';
  tcpFlags?: string[];
  /** The observation point, drop reason or policy verdict, as printed: `to-endpoint`, `Policy denied`, `policy-verdict:none INGRESS`. */
  type: string;
  verdict: HubbleVerdict;
  http?: HubbleHttp;
}

// printer.go getVerdict (lines 222-260): a policy-verdict event prints FORWARDED/REDIRECTED as ALLOWED, DROPPED/ERROR as DENIED and
// AUDIT as AUDITED; other events print the verdict's own name. TRACED and TRANSLATED say nothing about policy.
const VERDICTS: Record<string, HubbleVerdict> = {
  ALLOWED: 'allowed',
  FORWARDED: 'allowed',
  REDIRECTED: 'allowed',
  DENIED: 'denied',
  DROPPED: 'dropped',
  ERROR: 'dropped',
  AUDITED: 'audited',
  AUDIT: 'audited',
};

// Tutorials may show a line as a comment, or cut its time off.
const COMPACT = /^(?:#\s*)?(?:(?:\S+\s+\d+\s+)?[\d:.]+(?: \[[^\]]+\])?: )?(\S+)(?: \(([^)]+)\))? (->|<-|<>) (\S+)(?: \(([^)]+)\))? (.+?) ([A-Z]+) \((.*)\)$/;

/** One line of `hubble observe` (compact or JSON) as a flow, or undefined when it is not one. */
export function parseHubbleLine(text: string): HubbleFlow | undefined {
  const line = text.trim();
  return line.startsWith('{') ? parseJsonFlow(line) : parseCompact(line);
}

function parseCompact(line: string): HubbleFlow | undefined {
  const m = COMPACT.exec(line);
  if (!m) return undefined;
  const [, src, srcId, arrow, dst, dstId, type, verdictWord, summary] = m as unknown as string[];
  const verdict = VERDICTS[verdictWord!];
  if (!verdict) return undefined;
  const source = endpoint(src!, srcId);
  const destination = endpoint(dst!, dstId);
  if (!source || !destination) return undefined;
  return { source, destination, ...(arrow !== '<>' && { reply: arrow === '<-' }), ...fromSummary(summary!), type: type!, verdict };
}

/** `namespace/pod:port`, `ip:port`, `[v6]:port`, `name1,name2:port`, each without the port when it is 0. */
function endpoint(text: string, identity: string | undefined): FlowEndpoint | undefined {
  const m = /^(?:\[([^\]]+)\]|(.+?))(?::(\d+))?$/.exec(text);
  if (!m) return undefined;
  const host = m[1] ?? m[2]!;
  const at: FlowEndpoint = { ...(m[3] && { port: Number(m[3]) }), ...(identity && { identity }) };
  const slash = host.indexOf('/');
  if (slash >= 0) return { ...at, namespace: host.slice(0, slash), pod: host.slice(slash + 1) };
  if (/^[\d.]+$/.test(host) || host.includes(':')) return { ...at, ip: host };
  return { ...at, names: host.split(',') };
}

/**
 * The summary's protocol and what it carries: "TCP Flags: SYN, ACK" (pkg/hubble/parser/threefour), "UDP",
 * "ICMPv4 EchoRequest", and the HTTP proxy's "HTTP/1.1 PUT url" and "HTTP/1.1 403 0ms (PUT url)"
 * (pkg/hubble/parser/seven/http.go httpSummary). "; Auth: …" follows when authentication is on.
 */
function fromSummary(summary: string): Pick<HubbleFlow, 'protocol' | 'tcpFlags' | 'http'> {
  const text = summary.replace(/; Auth: .*$/, '');
  const flags = /^TCP Flags: (.*)$/.exec(text)?.[1];
  if (flags !== undefined) return { protocol: 'TCP', tcpFlags: flags.split(', ') };
  const proto = /^(UDP|SCTP|ICMPv4|ICMPv6)\b/.exec(text)?.[1] as 'UDP' | 'SCTP' | 'ICMPv4' | 'ICMPv6' | undefined;
  if (proto) return { protocol: proto };
  const response = /^(HTTP\/[\d.]+) (\d{3}) \d+ms \(?(\S+) (\S+?)\)?$/.exec(text);
  if (response) return { protocol: 'TCP', http: http(response[1]!, response[3]!, response[4]!, Number(response[2])) };
  const request = /^(HTTP\/[\d.]+) ([A-Z]+) (\S+)$/.exec(text);
  if (request) return { protocol: 'TCP', http: http(request[1]!, request[2]!, request[3]!) };
  return {};
}

function http(protocol: string, method: string, url: string, status?: number): HubbleHttp {
  const path = /^\w+:\/\/[^/]*(\/[^?#]*)?/.exec(url)?.[1] ?? (url.startsWith('/') ? url : '/');
  return { protocol, method, url, path, ...(status !== undefined && { status }) };
}

// pkg/monitor/api/types.go (vendored in cilium/hubble v1.19.4, lines 22-42): MessageTypePolicyVerdict = 5, whose DROPPED the printer calls DENIED.
const POLICY_VERDICT_EVENT = 5;

interface JsonEndpoint {
  namespace?: string;
  pod_name?: string;
  identity?: number;
}
interface JsonPorts {
  source_port?: number;
  destination_port?: number;
  flags?: Record<string, boolean>;
}
interface JsonFlow {
  verdict?: string;
  source?: JsonEndpoint;
  destination?: JsonEndpoint;
  IP?: { source?: string; destination?: string };
  l4?: { TCP?: JsonPorts; UDP?: JsonPorts; SCTP?: JsonPorts; ICMPv4?: object; ICMPv6?: object };
  l7?: { type?: string; http?: { code?: number; method?: string; url?: string; protocol?: string } };
  is_reply?: boolean;
  event_type?: { type?: number };
  Summary?: string;
  drop_reason_desc?: string;
  traffic_direction?: string;
}

function parseJsonFlow(line: string): HubbleFlow | undefined {
  let parsed: { flow?: JsonFlow } & JsonFlow;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  const f: JsonFlow = parsed.flow ?? parsed;
  const policyEvent = f.event_type?.type === POLICY_VERDICT_EVENT;
  const word = f.verdict === 'DROPPED' && policyEvent ? 'DENIED' : f.verdict;
  const verdict = word ? VERDICTS[word] : undefined;
  if (!verdict) return undefined;
  const [l4Name, ports] = (Object.entries(f.l4 ?? {})[0] ?? []) as [HubbleFlow['protocol'], JsonPorts | undefined];
  const side = (e: JsonEndpoint | undefined, ip: string | undefined, port: number | undefined): FlowEndpoint => ({
    ...(e?.namespace && { namespace: e.namespace }),
    ...(e?.pod_name && { pod: e.pod_name }),
    ...(ip && { ip }),
    ...(port && { port }),
    ...(e?.identity !== undefined && { identity: `ID:${e.identity}` }),
  });
  let source = side(f.source, f.IP?.source, ports?.source_port);
  let destination = side(f.destination, f.IP?.destination, ports?.destination_port);
  // As the compact printer does: the end that opened the connection first.
  if (f.is_reply) [source, destination] = [destination, source];
  const h = f.l7?.http;
  return {
    source,
    destination,
    ...(f.is_reply !== undefined && { reply: f.is_reply }),
    ...(l4Name && { protocol: l4Name }),
    ...(ports?.flags && { tcpFlags: Object.keys(ports.flags).filter((k) => ports.flags![k]) }),
    type: policyEvent ? `policy-verdict ${f.traffic_direction ?? ''}`.trim() : (f.drop_reason_desc ?? f.l7?.type?.toLowerCase() ?? ''),
    verdict,
    ...(h?.method && h.url && { http: http(h.protocol ?? 'HTTP/1.1', h.method, h.url, h.code || undefined) }),
  };
}

/**
 * What a flow claims about the connection, in the outcome vocabulary (src/probe/outcome.ts), where it says one:
 * - allowed (FORWARDED, ALLOWED): the packet went through, so the client connects (ok), unless it is the server's
 *   RST (refused);
 * - denied or dropped of a TCP SYN (or SYN-ACK) or an ICMP echo request: the client waits in vain (connect-timeout); of a DNS
 *   query (UDP to port 53): the lookup times out (dns-timeout);
 * - an HTTP request the proxy dropped: the proxy answers 403 itself (Cilium's "Access denied");
 * - audited: the policy would deny it, but audit mode lets it through (ok, and the reason says so).
 * A dropped packet of a connection already open (no SYN) says nothing about whether the client connects.
 */
export function hubbleClaim(flow: HubbleFlow): ClaimedOutcome {
  const said = `${flow.type} ${flow.verdict.toUpperCase()}`;
  if (flow.http) {
    if (flow.verdict === 'denied' || flow.verdict === 'dropped') return claim({ outcome: 'ok', status: 403 }, `${said}: the proxy answers ${flow.http.method} ${flow.http.path} with 403`);
    return claim(flow.http.status ? { outcome: 'ok', status: flow.http.status } : { outcome: 'ok' }, said);
  }
  // The server's RST let through is its refusal; the client's own RST only closes.
  if (flow.tcpFlags?.includes('RST')) return flow.reply ? claim({ outcome: 'refused' }, `${said}: the server answers with RST`) : { why: `${said} of the client's RST says nothing about whether the connection opens` };
  if (flow.verdict === 'allowed') return claim({ outcome: 'ok' }, said);
  if (flow.verdict === 'audited') return claim({ outcome: 'ok' }, `${said}: the policy would deny it; audit mode lets it through`);
  if (flow.protocol === 'UDP' && flow.destination.port === 53) return claim({ outcome: 'dns-timeout' }, `${said}: the DNS query is dropped`);
  if (flow.protocol === 'ICMPv4' || flow.protocol === 'ICMPv6') return claim({ outcome: 'connect-timeout' }, `${said}: the echo request is dropped`);
  // A dropped SYN or SYN-ACK alike: the handshake does not finish.
  if (flow.tcpFlags?.includes('SYN')) return claim({ outcome: 'connect-timeout' }, `${said}: the SYN is dropped`);
  return { why: `${said} of ${flow.protocol ?? 'a'} packet ${flow.tcpFlags ? `(${flow.tcpFlags.join(', ')}) ` : ''}says nothing about whether the connection opens` };
}

const claim = (expect: Expectation, reason: string): ClaimedOutcome => ({ expect, reason });
