// What a client image does with each outcome: how its resolver treats a REFUSED answer, and how its tools word
// each failure (curl wording per docs/outcomes.md). Which resolver and clients an image has is the image catalog's.
import type { ExecResult } from '../probe/classify.ts';
import type { ProbeSpec } from '../probe/command.ts';
import type { Conclusive } from '../probe/outcome.ts';
import { lookupImage } from './images/catalog.ts';
import type { ClientProfile } from './images/types.ts';

export type { ClientProfile };

// An image the catalog does not know: a Debian-like image (glibc, a current curl, iputils ping).
const DEFAULT_PROFILE: ClientProfile = { resolver: 'glibc', curl: '7.88', ping: 'iputils' };

export function profileForImage(image: string): ClientProfile {
  const found = lookupImage(image);
  return 'entry' in found ? found.entry.client : DEFAULT_PROFILE;
}

/** Why a pod of this image cannot run the lookup probe (`nslookup`), or undefined when it has one (image catalog). */
export function lookupToolProblem(image: string): string | undefined {
  const found = lookupImage(image);
  if (!('entry' in found)) return `${found.unknown}: whether it has nslookup, the lookup probe's tool, is unknown`;
  return found.entry.client.nslookup ? undefined : `image ${image} has no nslookup, the lookup probe's tool (image catalog: ${found.entry.tools.join('; ') || 'no clients'})`;
}

/** The outcome a REFUSED answer from Cilium's DNS proxy ends in, once no further name is tried. */
export function refusedOutcome(profile: ClientProfile): 'dns-timeout' | 'dns-error' {
  return profile.resolver === 'musl' ? 'dns-timeout' : 'dns-error';
}

/**
 * How ping reports a failed lookup (client lab captures): busybox says "bad address" whatever failed; iputils tells
 * NXDOMAIN ("Name or service not known") from no answer or REFUSED ("Temporary failure in name resolution").
 */
export function pingLookupOutcome(profile: ClientProfile, failure: 'timeout' | 'nxdomain' | 'refused'): 'dns-timeout' | 'dns-error' {
  return profile.ping === 'busybox' || failure === 'nxdomain' ? 'dns-error' : 'dns-timeout';
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 301: 'Moved Permanently', 302: 'Found', 403: 'Forbidden', 404: 'Not Found' };

export interface ProbeFacts {
  host: string;
  port: number;
  timeoutMs: number;
  status?: number;
  /** The reason phrase the server sends (nginx's 405 is "Not Allowed"); else the usual one. */
  reason?: string;
  http2?: boolean;
  /** Who sent the HTTP response (Cilium's proxy answers its own 403). */
  body?: string;
  /** The address the client's socket used and the server's, for Go's error messages. */
  local?: string;
  remote?: string;
  /** The address a name resolved to (ping prints it). */
  address?: string;
  /** The name that answered (nslookup prints it: the search path's name, not the one typed). */
  answered?: string;
  /** A failed lookup's last answer: the name asked and the error. */
  failed?: { name: string; rcode: 'NXDOMAIN' | 'REFUSED' };
}

type Ending = Conclusive;

/** What the probe command prints for an outcome, as this client's tools would print it. */
export function renderProbe(profile: ClientProfile, spec: ProbeSpec, outcome: Ending, facts: ProbeFacts): ExecResult {
  if (spec.tool === 'ping') return renderPing(profile.ping, outcome, facts);
  if (spec.tool === 'lookup') return renderLookup(profile.nslookup ?? 'bind', outcome, facts);
  return spec.tool === 'curl' ? renderCurl(profile, spec.method, outcome, facts) : renderConnect(spec.protocol, outcome, facts);
}

/** `ping -c 1` as busybox and iputils print it (test/support/client-lab captures). */
function renderPing(ping: ClientProfile['ping'], outcome: Ending, facts: ProbeFacts): ExecResult {
  const { host } = facts;
  const address = facts.address ?? host;
  const busybox = ping === 'busybox';
  const header = busybox ? `PING ${host} (${address}): 56 data bytes\n` : `PING ${host} (${address}) 56(84) bytes of data.\n`;
  switch (outcome) {
    case 'ok':
      return busybox
        ? {
            exitCode: 0,
            stdout: `${header}64 bytes from ${address}: seq=0 ttl=63 time=0.100 ms\n\n--- ${host} ping statistics ---\n1 packets transmitted, 1 packets received, 0% packet loss\nround-trip min/avg/max = 0.100/0.100/0.100 ms\n`,
            stderr: '',
          }
        : {
            exitCode: 0,
            stdout: `${header}64 bytes from ${address}: icmp_seq=1 ttl=63 time=0.100 ms\n\n--- ${host} ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.100/0.100/0.100/0.000 ms\n`,
            stderr: '',
          };
    case 'dns-error':
      return busybox ? { exitCode: 1, stdout: '', stderr: `ping: bad address '${host}'\n` } : { exitCode: 2, stdout: '', stderr: `ping: ${host}: Name or service not known\n` };
    case 'dns-timeout':
      return { exitCode: 2, stdout: '', stderr: `ping: ${host}: Temporary failure in name resolution\n` };
    default:
      // No echo reply: what a drop looks like (ICMP echo is never refused).
      return busybox
        ? { exitCode: 1, stdout: `${header}\n--- ${host} ping statistics ---\n1 packets transmitted, 0 packets received, 100% packet loss\n`, stderr: '' }
        : { exitCode: 1, stdout: `${header}\n--- ${host} ping statistics ---\n1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n`, stderr: '' };
  }
}

// The cluster DNS Service's address on kind (the pod's resolv.conf nameserver).
const KUBE_DNS = '10.96.0.10';

/**
 * `nslookup NAME` as bind 9.18 and busybox print it (client lab captures): the server, then the answer or the
 * failure. bind says which server with "#53", busybox with ":53"; bind names the name typed after NXDOMAIN for every
 * search name and the name refused after REFUSED, busybox each name asked (the last one here); no reply at all is
 * bind's communications error, busybox's "connection timed out", then "no servers could be reached".
 */
function renderLookup(nslookup: 'bind' | 'busybox', outcome: Ending, facts: ProbeFacts): ExecResult {
  const bind = nslookup === 'bind';
  const server = `Server:\t\t${KUBE_DNS}\nAddress:\t${KUBE_DNS}${bind ? '#' : ':'}53\n\n`;
  if (outcome === 'ok') return { exitCode: 0, stdout: `${server}Name:\t${facts.answered ?? facts.host}\nAddress: ${facts.address}\n\n`, stderr: '' };
  if (outcome === 'dns-error') {
    const { name, rcode } = facts.failed ?? { name: facts.host, rcode: 'NXDOMAIN' };
    return { exitCode: 1, stdout: `${server}** server can't find ${bind && rcode === 'NXDOMAIN' ? facts.host : name}: ${rcode}\n\n`, stderr: '' };
  }
  return bind
    ? { exitCode: 1, stdout: ';; no servers could be reached\n\n', stderr: `;; communications error to ${KUBE_DNS}#53: timed out\n` }
    : { exitCode: 1, stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '' };
}

function renderCurl(profile: ClientProfile, method: string, outcome: Ending, facts: ProbeFacts): ExecResult {
  const legacy = profile.curl === 'legacy-7';
  const fail = (code: number, message: string): ExecResult => ({ exitCode: code, stdout: '', stderr: `curl: (${code}) ${message}\n` });
  switch (outcome) {
    case 'ok': {
      const status = facts.status ?? 200;
      const line = facts.http2 ? `HTTP/2 ${status} ` : `HTTP/1.1 ${status} ${facts.reason ?? STATUS_TEXT[status] ?? ''}`.trimEnd();
      // -I prints the headers; the other methods print headers with -D - and send the body to /dev/null.
      const length = method === 'HEAD' || facts.body === undefined ? '' : `content-length: ${facts.body.length}\r\n`;
      return { exitCode: 0, stdout: `${line}\r\ncontent-type: text/plain\r\n${length}\r\n`, stderr: '' };
    }
    case 'connect-timeout':
      return fail(28, legacy ? `Connection timed out after ${facts.timeoutMs + 1} milliseconds` : `Failed to connect to ${facts.host} port ${facts.port} after ${facts.timeoutMs} ms: Timeout was reached`);
    case 'dns-timeout':
      return fail(28, `Resolving timed out after ${facts.timeoutMs} milliseconds`);
    case 'dns-error':
      return fail(6, `Could not resolve host: ${facts.host}`);
    case 'refused':
      return fail(7, legacy ? `Failed to connect to ${facts.host} port ${facts.port}: Connection refused` : `Failed to connect to ${facts.host} port ${facts.port} after 1 ms: Couldn't connect to server`);
    case 'tls-error':
      return fail(35, 'Send failure: Connection reset by peer');
  }
}

/** agnhost connect (test/images/agnhost/connect): exit 0 on success, else exit 1 and a fixed prefix on stderr. */
function renderConnect(protocol: string, outcome: Ending, facts: ProbeFacts): ExecResult {
  const fail = (message: string): ExecResult => ({ exitCode: 1, stdout: '', stderr: `${message}\n` });
  const udp = `read udp ${facts.local ?? '0.0.0.0:40000'}->${facts.remote ?? `${facts.host}:${facts.port}`}`;
  switch (outcome) {
    case 'ok':
      return { exitCode: 0, stdout: '', stderr: '' };
    case 'connect-timeout':
      return fail(protocol === 'UDP' ? `TIMEOUT: ${udp}: i/o timeout` : 'TIMEOUT');
    case 'refused':
      if (protocol === 'UDP') return fail(`REFUSED: ${udp}: connection refused`);
      return fail(protocol === 'SCTP' ? 'OTHER: connection refused' : 'REFUSED');
    case 'dns-timeout':
      return fail(`DNS: lookup ${facts.host} on 10.96.0.10:53: read udp ${facts.local ?? '0.0.0.0:40000'}->10.96.0.10:53: i/o timeout`);
    case 'dns-error':
      return fail(`DNS: lookup ${facts.host} on 10.96.0.10:53: no such host`);
    case 'tls-error':
      return fail('OTHER: connection reset by peer');
  }
}
