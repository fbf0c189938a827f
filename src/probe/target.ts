// Probe sources and targets as suites write them.
//   source: `app` (namespace default) or `namespace/app`
//   target: `name[:port]` (resolved by the client's DNS), `http(s)://name[:port][/path]`, an IP literal with port,
//           or `pod-ip:[namespace/]app:port` (the pod's IP, no DNS).
import ipaddr from 'ipaddr.js';

export interface PodSelectorRef {
  namespace: string;
  app: string;
}

export type Target =
  | { kind: 'url'; scheme: 'http' | 'https'; host: string; port: number; path: string }
  | { kind: 'pod-ip'; pod: PodSelectorRef; port: number };

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOST = /^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?$/;

export function parsePodRef(text: string): PodSelectorRef | undefined {
  const parts = text.split('/');
  const [namespace, app] = parts.length === 2 ? parts : ['default', parts[0]];
  if (parts.length > 2 || !NAME.test(namespace!) || !NAME.test(app!)) return undefined;
  return { namespace: namespace!, app: app! };
}

function parsePort(text: string | undefined, fallback: number): number | undefined {
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  return /^\d+$/.test(text) && port >= 1 && port <= 65535 ? port : undefined;
}

export function parseTarget(text: string): Target | undefined {
  if (text.startsWith('pod-ip:')) {
    const match = /^pod-ip:([^:]+):(\d+)$/.exec(text);
    const pod = match && parsePodRef(match[1]!);
    const port = match ? parsePort(match[2], 0) : undefined;
    return pod && port ? { kind: 'pod-ip', pod, port } : undefined;
  }
  const match = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(text);
  if (!match) return undefined;
  const scheme = (match[1] ?? 'http') as 'http' | 'https';
  const host = match[2]!;
  if (!HOST.test(host) && !ipaddr.IPv4.isValidFourPartDecimal(host)) return undefined;
  const port = parsePort(match[3], scheme === 'https' ? 443 : 80);
  return port ? { kind: 'url', scheme, host: host.toLowerCase(), port, path: match[4] ?? '/' } : undefined;
}

export function formatPodRef(ref: PodSelectorRef): string {
  return ref.namespace === 'default' ? ref.app : `${ref.namespace}/${ref.app}`;
}

/** The URL curl is given for a target; pod-ip targets need the pod's address. */
export function targetUrl(target: Target, podIp?: string): string {
  if (target.kind === 'pod-ip') return `http://${podIp}:${target.port}/`;
  const defaultPort = target.scheme === 'https' ? 443 : 80;
  return `${target.scheme}://${target.host}${target.port === defaultPort ? '' : `:${target.port}`}${target.path}`;
}
