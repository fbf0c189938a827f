// The probe command: built here from validated parts, and parsed back here by the model backend, which must
// answer exactly the command a cluster would run. HTTP(S) probes run curl (the tutorials' own tool); TCP, UDP and
// SCTP probes run `agnhost connect`, the probe of the upstream Kubernetes network policy e2e tests, from the pinned
// agnhost image; ICMP probes run `ping -c 1 -W N`, as Cilium's connectivity tests do (cilium-cli check/context.go,
// PingCommand), which busybox ping (agnhost is Alpine) and iputils ping both take (see docs/probes.md); name lookups
// run `nslookup -timeout=N NAME`, which bind's nslookup (agnhost's bind-tools) and busybox's both take.
import type { Protocol } from '../manifest/schemas/net.ts';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type ProbeSpec =
  | { tool: 'curl'; url: string; method: HttpMethod; headers?: string[]; connectTimeoutSeconds: number; maxTimeSeconds: number }
  | { tool: 'connect'; host: string; port: number; protocol: Protocol; timeoutSeconds: number }
  | { tool: 'ping'; host: string; timeoutSeconds: number }
  /** A name lookup: `name` with a trailing dot is absolute (no search list). */
  | { tool: 'lookup'; name: string; timeoutSeconds: number };

export const AGNHOST = '/agnhost';
/** The pinned agnhost image: the conformance pods, and the client pods docs check starts (it has curl and nc too). */
export const AGNHOST_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.52';

export function buildProbeArgv(spec: ProbeSpec): string[] {
  if (spec.tool === 'lookup') return ['nslookup', `-timeout=${spec.timeoutSeconds}`, spec.name];
  if (spec.tool === 'ping') return ['ping', '-c', '1', '-W', String(spec.timeoutSeconds), spec.host];
  if (spec.tool === 'connect') {
    return [AGNHOST, 'connect', `${spec.host}:${spec.port}`, `--timeout=${spec.timeoutSeconds}s`, `--protocol=${spec.protocol.toLowerCase()}`];
  }
  const insecure = spec.url.startsWith('https://') ? ['-k'] : [];
  // Headers to stdout, body discarded: a real GET (L7 rules judge the method), status line kept as evidence.
  const method = spec.method === 'HEAD' ? ['-I'] : spec.method === 'GET' ? ['-o', '/dev/null', '-D', '-'] : ['-o', '/dev/null', '-D', '-', '-X', spec.method];
  const headers = (spec.headers ?? []).flatMap((h) => ['-H', h]);
  return ['curl', '-sS', ...method, ...insecure, ...headers, '--connect-timeout', String(spec.connectTimeoutSeconds), '-m', String(spec.maxTimeSeconds), spec.url];
}

/** The inverse of buildProbeArgv; undefined for any argv it did not build. */
export function parseProbeArgv(argv: readonly string[]): ProbeSpec | undefined {
  const built = PARSERS.get(argv[0] ?? '')?.(argv);
  // Anything that does not rebuild to the same argv was not built here.
  return built && buildProbeArgv(built).join('\0') === argv.join('\0') ? built : undefined;
}

const PARSERS = new Map<string, (argv: readonly string[]) => ProbeSpec | undefined>([
  [AGNHOST, parseConnect],
  ['curl', parseCurl],
  ['ping', parsePing],
  ['nslookup', parseLookup],
]);

function parseConnect(argv: readonly string[]): ProbeSpec | undefined {
  const [, sub, address, timeout, protocol] = argv;
  const target = /^(.+):(\d+)$/.exec(address ?? '');
  const seconds = /^--timeout=(\d+)s$/.exec(timeout ?? '');
  const proto = /^--protocol=(tcp|udp|sctp)$/.exec(protocol ?? '');
  if (sub !== 'connect' || !target || !seconds || !proto || argv.length !== 5) return undefined;
  return { tool: 'connect', host: target[1]!, port: Number(target[2]), protocol: proto[1]!.toUpperCase() as Protocol, timeoutSeconds: Number(seconds[1]) };
}

function parsePing(argv: readonly string[]): ProbeSpec | undefined {
  const seconds = Number(argv[4]);
  return argv.length === 6 && seconds > 0 && argv[5] ? { tool: 'ping', host: argv[5], timeoutSeconds: seconds } : undefined;
}

function parseLookup(argv: readonly string[]): ProbeSpec | undefined {
  const seconds = Number(/^-timeout=(\d+)$/.exec(argv[1] ?? '')?.[1]);
  return argv.length === 3 && seconds > 0 && argv[2] ? { tool: 'lookup', name: argv[2], timeoutSeconds: seconds } : undefined;
}

function parseCurl(argv: readonly string[]): ProbeSpec | undefined {
  const at = (flag: string) => argv.indexOf(flag);
  const number = (flag: string) => (at(flag) > 0 ? Number(argv[at(flag) + 1]) : NaN);
  const explicit = at('-X') > 0 ? argv[at('-X') + 1] : undefined;
  const method = at('-I') > 0 ? 'HEAD' : (explicit ?? 'GET');
  const url = argv[argv.length - 1];
  const connectTimeoutSeconds = number('--connect-timeout');
  const maxTimeSeconds = number('-m');
  const headers = argv.flatMap((a, i) => (a === '-H' && i + 1 < argv.length ? [argv[i + 1]!] : []));
  if (!url || !(HTTP_METHODS as readonly string[]).includes(method) || !(connectTimeoutSeconds > 0) || !(maxTimeSeconds > 0)) return undefined;
  return { tool: 'curl', url, method: method as HttpMethod, ...(headers.length > 0 && { headers }), connectTimeoutSeconds, maxTimeSeconds };
}
