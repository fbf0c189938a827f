// Probe sources and targets as suites write them (docs/suite-format.md, "Cells").
//   source: `name` (namespace default) or `namespace/name`: the first pod whose pod label (default `app`) is name;
//           `[namespace/]key=value`: the first pod with that label
//   target: [METHOD ]http(s)://HOST[:port][/path] or HOST[:port] (HTTP, probed with curl), then any -H 'Name: value',
//           tcp|udp|sctp://HOST:port (probed with agnhost connect), icmp://HOST (one ICMP echo: ping -c 1),
//           where HOST is a DNS name, an IPv4 address, `pod-ip:[namespace/]name` or `service-ip:[namespace/]service`;
//           dns://NAME (a name lookup: nslookup), NAME a DNS name, searched as the pod's resolv.conf says unless it
//           ends in a dot.
import { isIPv4, numericHostProblem } from '../input/ip.ts';
import type { Protocol } from '../manifest/schemas/net.ts';
import { HTTP_METHODS, type HttpMethod, type ProbeSpec } from './command.ts';

export interface PodSelectorRef {
  namespace: string;
  /** The value of the pod label (the suite's, or `label`). */
  name: string;
  /** A label key other than the suite's pod label (`run=client`: a pod that `kubectl run client` started). */
  label?: string;
}

export type Scheme = 'http' | 'https' | 'tcp' | 'udp' | 'sctp' | 'icmp' | 'dns';

export type TargetHost = { kind: 'name'; name: string } | { kind: 'pod-ip'; pod: PodSelectorRef } | { kind: 'service-ip'; service: PodSelectorRef };

export interface Target {
  host: TargetHost;
  scheme: Scheme;
  /** 0 for icmp, which has no port; 53 for dns (the query's port). */
  port: number;
  path: string;
  method: HttpMethod;
  /** Request headers (`Name: value`), written after the URL as curl takes them: `-H 'X-Token: abc'`. */
  headers: string[];
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// A trailing dot makes a name fully qualified (no search path).
const HOST = /^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?\.?$/;
const TARGET = new RegExp(`^(?:(${HTTP_METHODS.join('|')}) )?(?:(https?|tcp|udp|sctp|icmp|dns)://)?(?:(pod-ip|service-ip):([^:/]+(?:/[^:/]+)?)|([^/:]+))(?::(\\d+))?(/.*)?$`);

// `[namespace/]KEY=VALUE`: KEY may have a prefix (`app.kubernetes.io/name`). A namespace has no dot (an RFC 1123
// label), a prefix as people write them does: `x.y/k=v` is a prefixed key; `ns/k=v` names a namespace.
const LABEL_REF = /^(?:([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\/)?((?:[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)=([A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;

export function parsePodRef(text: string): PodSelectorRef | undefined {
  const byLabel = LABEL_REF.exec(text);
  if (byLabel) return { namespace: byLabel[1] ?? 'default', name: byLabel[3]!, label: byLabel[2]! };
  const parts = text.split('/');
  const [namespace, name] = parts.length === 2 ? parts : ['default', parts[0]];
  if (parts.length > 2 || !NAME.test(namespace!) || !NAME.test(name!)) return undefined;
  return { namespace: namespace!, name: name! };
}

/**
 * What a URL path (and query) may hold so that curl sends it as written and the probe script can carry it: RFC 3986's
 * unreserved characters, sub-delimiters but the quote, `:` `@` `/` `?`, and %XX escapes. Not a space (curl refuses
 * it: "URL using bad/illegal format"), not `[]{}` (curl's URL globbing would rewrite the request), not `#` (never
 * sent), not a quote, control character or non-ASCII (the probe script carries printable ASCII without quotes).
 */
const PATH = /^\/([-A-Za-z0-9._~!$&()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;

export function pathProblem(path: string): string | undefined {
  if (PATH.test(path)) return undefined;
  const bad = [...path].find((c, i) => !/[-A-Za-z0-9._~!$&()*+,;=:@/?%]/.test(c) || (c === '%' && !/^%[0-9A-Fa-f]{2}/.test(path.slice(i))));
  return `the path ${JSON.stringify(path)} holds ${JSON.stringify(bad)}, which curl would not send as written (write a byte as %XX; a path holds letters, digits and - . _ ~ ! $ & ( ) * + , ; = : @ / ?)`;
}

// A request header as a target carries it: a token name, then printable ASCII without quotes.
const HEADER = /^[!#$%&*+.^_`|~0-9A-Za-z-]+: [\x20-\x26\x28-\x7e]*$/;

/** Why the host of a target that is not one is an IPv4 address no parser agrees on (`256.1.1.1`, `010.0.0.1`). */
export function targetHostProblem(written: string): string | undefined {
  const name = TARGET.exec(written.replace(/ -H '.*$/, ''))?.[5];
  return name === undefined ? undefined : numericHostProblem(name);
}

export function parseTarget(written: string): Target | undefined {
  const headers: string[] = [];
  let text = written;
  for (let h = / -H '([^']*)'$/.exec(text); h; h = / -H '([^']*)'$/.exec(text)) {
    if (!HEADER.test(h[1]!)) return undefined;
    headers.unshift(h[1]!);
    text = text.slice(0, h.index);
  }
  const match = TARGET.exec(text);
  if (!match) return undefined;
  const [, method, schemeText, special, ref, name, portText, path] = match;
  if (path !== undefined && pathProblem(path)) return undefined;
  const scheme = (schemeText ?? 'http') as Scheme;
  const http = scheme === 'http' || scheme === 'https';
  const icmp = scheme === 'icmp';
  const dns = scheme === 'dns';
  // Raw transports need an explicit port and carry no HTTP method or path; pod and Service IPs need a port; an
  // ICMP echo has neither port nor path; a lookup is of a name (no port, path, address, pod or Service).
  if (!http && (method || path || headers.length || (icmp || dns ? portText : !portText))) return undefined;
  if (dns && (special || isIPv4(name!))) return undefined;
  if (special && !portText && !icmp) return undefined;
  let host: TargetHost;
  if (special) {
    const pod = parsePodRef(ref!);
    if (!pod) return undefined;
    host = special === 'pod-ip' ? { kind: 'pod-ip', pod } : { kind: 'service-ip', service: pod };
  } else {
    if (numericHostProblem(name!) || (!HOST.test(name!) && !isIPv4(name!))) return undefined;
    host = { kind: 'name', name: name!.toLowerCase() };
  }
  const port = icmp ? 0 : dns ? 53 : portText === undefined ? (scheme === 'https' ? 443 : 80) : Number(portText);
  if (!icmp && (port < 1 || port > 65535)) return undefined;
  return { host, scheme, port, path: path ?? '/', method: (method ?? 'GET') as HttpMethod, headers };
}

export function formatPodRef(ref: PodSelectorRef): string {
  const name = ref.label ? `${ref.label}=${ref.name}` : ref.name;
  return ref.namespace === 'default' && !ref.label?.includes('/') ? name : `${ref.namespace}/${name}`;
}

/** The labels that select a ref's pods: its own label key, else the suite's pod label. */
export function podRefLabels(ref: PodSelectorRef, podLabel: string): Record<string, string> {
  return { [ref.label ?? podLabel]: ref.name };
}

const PROTOCOL_OF: Record<Exclude<Scheme, 'icmp'>, Protocol> = { http: 'TCP', https: 'TCP', tcp: 'TCP', udp: 'UDP', sctp: 'SCTP', dns: 'UDP' };

/** The transport a target's probe uses; undefined for an ICMP echo. */
export function targetProtocol(target: Target): Protocol | undefined {
  return target.scheme === 'icmp' ? undefined : PROTOCOL_OF[target.scheme];
}

/** The probe for a target once its host is an address or name the client can use. */
export function probeFor(target: Target, host: string, timeoutSeconds: number): ProbeSpec {
  if (target.scheme === 'http' || target.scheme === 'https') {
    const defaultPort = target.scheme === 'https' ? 443 : 80;
    const url = `${target.scheme}://${host}${target.port === defaultPort ? '' : `:${target.port}`}${target.path}`;
    return { tool: 'curl', url, method: target.method, ...(target.headers.length > 0 && { headers: target.headers }), connectTimeoutSeconds: timeoutSeconds, maxTimeSeconds: timeoutSeconds * 2 };
  }
  if (target.scheme === 'icmp') return { tool: 'ping', host, timeoutSeconds };
  if (target.scheme === 'dns') return { tool: 'lookup', name: host, timeoutSeconds };
  return { tool: 'connect', host, port: target.port, protocol: PROTOCOL_OF[target.scheme], timeoutSeconds };
}
