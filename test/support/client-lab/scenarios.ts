// The client lab's scenarios: each one makes real curl, run with the harness's own probe command, end in one outcome
// of the vocabulary.
import { buildProbeArgv } from '../../../src/probe/command.ts';
import type { Outcome } from '../../../src/probe/outcome.ts';

/** Reached over a veth pair inside the lab namespace whose far end drops every packet. */
export const BLACKHOLE_IP = '192.0.2.2';

// Scenarios meant to time out wait 1 s; the others get room, so that a loaded machine cannot turn them into timeouts.
const probe = (url: string, timeout: 'short' | 'long' = 'long') => buildProbeArgv({ tool: 'curl', url, method: 'GET', connectTimeoutSeconds: timeout === 'short' ? 1 : 10, maxTimeSeconds: timeout === 'short' ? 5 : 20 }).slice(1);

export const LAB_SCENARIOS: { name: string; argv: string[]; outcome: Outcome; status?: number }[] = [
  { name: 'http server answers', argv: probe('http://ok.lab.test:8080/'), outcome: 'ok', status: 200 },
  { name: 'proxy answers 403 Access denied', argv: probe('http://ok.lab.test:8080/private'), outcome: 'ok', status: 403 },
  { name: 'nothing listens', argv: probe('http://ok.lab.test:9/'), outcome: 'refused' },
  { name: 'SYN dropped', argv: probe('http://blackhole.lab.test:80/', 'short'), outcome: 'connect-timeout' },
  { name: 'DNS query dropped', argv: probe('http://dropped.lab.test:8080/', 'short'), outcome: 'dns-timeout' },
  { name: 'NXDOMAIN', argv: probe('http://missing.lab.test:8080/'), outcome: 'dns-error' },
  { name: 'DNS REFUSED (glibc resolver)', argv: probe('http://refused.lab.test:8080/'), outcome: 'dns-error' },
  { name: 'connection reset during TLS', argv: probe('https://ok.lab.test:8443/'), outcome: 'tls-error' },
];

/**
 * The other clients tutorials use, run the way a reader runs them. `program` is looked up in the lab's bin folder
 * first, where busybox's applets are linked by name (as in a busybox image). Debian's busybox is built without
 * wget's -T and nc's -z, so those scenarios are not here; their wording is cited from busybox's source instead.
 */
export const CLIENT_SCENARIOS: { name: string; variant: string; program: string; args: string[]; expect: string }[] = [
  { name: 'busybox wget body', variant: 'busybox-wget', program: 'wget', args: ['-q', '-O-', 'http://ok.lab.test:8080/'], expect: 'ok' },
  { name: 'busybox wget 403', variant: 'busybox-wget', program: 'wget', args: ['-q', '-O-', 'http://ok.lab.test:8080/private'], expect: 'ok:403' },
  { name: 'busybox wget spider', variant: 'busybox-wget', program: 'wget', args: ['--spider', 'http://ok.lab.test:8080/'], expect: 'ok' },
  { name: 'busybox wget refused', variant: 'busybox-wget', program: 'wget', args: ['-q', '-O-', 'http://ok.lab.test:9/'], expect: 'refused' },
  { name: 'busybox wget NXDOMAIN', variant: 'busybox-wget', program: 'wget', args: ['-q', '-O-', 'http://missing.lab.test/'], expect: 'dns-failure' },
  { name: 'GNU wget 200', variant: 'gnu-wget', program: '/usr/bin/wget', args: ['-O-', '-T', '5', '--tries=1', 'http://ok.lab.test:8080/'], expect: 'ok:200' },
  { name: 'GNU wget 403', variant: 'gnu-wget', program: '/usr/bin/wget', args: ['-O-', '-T', '5', '--tries=1', 'http://ok.lab.test:8080/private'], expect: 'ok:403' },
  { name: 'GNU wget spider', variant: 'gnu-wget', program: '/usr/bin/wget', args: ['-S', '--spider', '-T', '5', 'http://ok.lab.test:8080/'], expect: 'ok:200' },
  { name: 'GNU wget refused', variant: 'gnu-wget', program: '/usr/bin/wget', args: ['-O-', '-T', '5', '--tries=1', 'http://ok.lab.test:9/'], expect: 'refused' },
  { name: 'GNU wget SYN dropped', variant: 'gnu-wget', program: '/usr/bin/wget', args: ['-O-', '-T', '1', '--tries=1', `http://${BLACKHOLE_IP}/`], expect: 'connect-timeout' },
  { name: 'GNU wget NXDOMAIN', variant: 'gnu-wget', program: '/usr/bin/wget', args: ['-O-', '-T', '5', '--tries=1', 'http://missing.lab.test/'], expect: 'dns-failure' },
  { name: 'OpenBSD nc open', variant: 'openbsd-nc', program: 'nc.openbsd', args: ['-zv', '-w', '5', 'ok.lab.test', '8080'], expect: 'ok' },
  { name: 'OpenBSD nc refused', variant: 'openbsd-nc', program: 'nc.openbsd', args: ['-zv', '-w', '5', 'ok.lab.test', '9'], expect: 'refused' },
  { name: 'OpenBSD nc SYN dropped', variant: 'openbsd-nc', program: 'nc.openbsd', args: ['-zv', '-w', '1', BLACKHOLE_IP, '80'], expect: 'connect-timeout' },
  { name: 'OpenBSD nc NXDOMAIN', variant: 'openbsd-nc', program: 'nc.openbsd', args: ['-zv', '-w', '5', 'missing.lab.test', '80'], expect: 'dns-failure' },
  { name: 'traditional nc open', variant: 'traditional-nc', program: 'nc.traditional', args: ['-zv', '-w', '5', 'ok.lab.test', '8080'], expect: 'ok' },
  { name: 'traditional nc refused', variant: 'traditional-nc', program: 'nc.traditional', args: ['-zv', '-w', '5', 'ok.lab.test', '9'], expect: 'refused' },
  { name: 'traditional nc SYN dropped', variant: 'traditional-nc', program: 'nc.traditional', args: ['-zv', '-w', '1', BLACKHOLE_IP, '80'], expect: 'connect-timeout' },
  { name: 'traditional nc NXDOMAIN', variant: 'traditional-nc', program: 'nc.traditional', args: ['-zv', '-w', '5', 'missing.lab.test', '80'], expect: 'dns-failure' },
  { name: 'busybox nc refused', variant: 'busybox-nc', program: 'nc', args: ['-w', '5', 'ok.lab.test', '9'], expect: 'refused' },
  { name: 'busybox nc SYN dropped', variant: 'busybox-nc', program: 'nc', args: ['-w', '1', BLACKHOLE_IP, '80'], expect: 'connect-timeout' },
  { name: 'busybox nc NXDOMAIN', variant: 'busybox-nc', program: 'nc', args: ['-w', '5', 'missing.lab.test', '80'], expect: 'dns-failure' },
];

/**
 * ping as the harness runs it (`ping -c 1 -W N HOST`), in both implementations a pod may have: busybox's (Alpine
 * images such as agnhost and Cilium's alpine-curl) and iputils' (Debian and Ubuntu images). `ping` is busybox's
 * applet from the lab's bin folder; /usr/bin/ping is iputils.
 */
const ping = (program: string, host: string, seconds: number) => [program, ...buildProbeArgv({ tool: 'ping', host, timeoutSeconds: seconds }).slice(1)];
// What each program ends in, per case: busybox says "bad address" whatever went wrong with the lookup; iputils tells
// NXDOMAIN from no answer (and REFUSED, which glibc treats as no answer).
const PING_CASES: { name: string; host: string; seconds: number; busybox: Outcome; iputils: Outcome }[] = [
  { name: 'reply', host: '127.0.0.1', seconds: 5, busybox: 'ok', iputils: 'ok' },
  { name: 'by name', host: 'ok.lab.test', seconds: 5, busybox: 'ok', iputils: 'ok' },
  { name: 'dropped', host: BLACKHOLE_IP, seconds: 1, busybox: 'connect-timeout', iputils: 'connect-timeout' },
  { name: 'NXDOMAIN', host: 'missing.lab.test', seconds: 5, busybox: 'dns-error', iputils: 'dns-error' },
  { name: 'DNS query dropped', host: 'dropped.lab.test', seconds: 5, busybox: 'dns-error', iputils: 'dns-timeout' },
  { name: 'DNS REFUSED', host: 'refused.lab.test', seconds: 5, busybox: 'dns-error', iputils: 'dns-timeout' },
];
export const PING_SCENARIOS: { name: string; variant: 'busybox' | 'iputils'; argv: string[]; outcome: Outcome }[] = (['busybox', 'iputils'] as const).flatMap((variant) =>
  PING_CASES.map((c) => ({ name: `${variant} ping ${c.name}`, variant, argv: ping(variant === 'busybox' ? 'ping' : '/usr/bin/ping', c.host, c.seconds), outcome: c[variant] })),
);

/**
 * Name lookups as tutorials run them, against the lab's DNS responder with a pod's resolv.conf (LOOKUP_RESOLV_CONF):
 * bind's nslookup, dig and host (Debian's bind9-dnsutils, bind9-host), busybox's nslookup applet (from the lab's bin
 * folder) and glibc's `getent hosts`. The nslookups run as the harness's probe does (`nslookup -timeout=N NAME`).
 * `hostnames` exists only as hostnames.default.svc.cluster.local; `refused` and `servfail` under default.svc.cluster.local
 * answer so; every name whose first label is `dropped` goes unanswered; the rest is NXDOMAIN.
 */
export const LOOKUP_RESOLV_CONF = 'nameserver 127.0.0.1\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5 timeout:2 attempts:1\n';
const nslookup = (program: string, name: string) => [program, ...buildProbeArgv({ tool: 'lookup', name, timeoutSeconds: 2 }).slice(1)];
export const LOOKUP_SCENARIOS: { name: string; variant: 'bind-nslookup' | 'busybox-nslookup' | 'dig' | 'host' | 'getent'; argv: string[]; expect: string }[] = [
  { name: 'bind nslookup by the search path', variant: 'bind-nslookup', argv: nslookup('/usr/bin/nslookup', 'hostnames'), expect: 'ok' },
  { name: 'bind nslookup of a dotted name by the search path', variant: 'bind-nslookup', argv: nslookup('/usr/bin/nslookup', 'hostnames.default'), expect: 'ok' },
  { name: 'bind nslookup NXDOMAIN', variant: 'bind-nslookup', argv: nslookup('/usr/bin/nslookup', 'missing'), expect: 'dns-error' },
  { name: 'bind nslookup REFUSED', variant: 'bind-nslookup', argv: nslookup('/usr/bin/nslookup', 'refused'), expect: 'dns-error' },
  { name: 'bind nslookup SERVFAIL', variant: 'bind-nslookup', argv: nslookup('/usr/bin/nslookup', 'servfail'), expect: 'dns-error' },
  { name: 'bind nslookup unanswered', variant: 'bind-nslookup', argv: nslookup('/usr/bin/nslookup', 'dropped'), expect: 'dns-timeout' },
  { name: 'busybox nslookup by the search path', variant: 'busybox-nslookup', argv: nslookup('nslookup', 'hostnames'), expect: 'ok' },
  { name: 'busybox nslookup of a dotted name, not searched', variant: 'busybox-nslookup', argv: nslookup('nslookup', 'hostnames.default'), expect: 'dns-error' },
  { name: 'busybox nslookup of the full name', variant: 'busybox-nslookup', argv: nslookup('nslookup', 'hostnames.default.svc.cluster.local'), expect: 'ok' },
  { name: 'busybox nslookup NXDOMAIN', variant: 'busybox-nslookup', argv: nslookup('nslookup', 'missing'), expect: 'dns-error' },
  { name: 'busybox nslookup REFUSED', variant: 'busybox-nslookup', argv: nslookup('nslookup', 'refused'), expect: 'dns-error' },
  { name: 'busybox nslookup unanswered', variant: 'busybox-nslookup', argv: nslookup('nslookup', 'dropped'), expect: 'dns-timeout' },
  { name: 'dig without the search path', variant: 'dig', argv: ['dig', '+time=2', '+tries=1', 'hostnames'], expect: 'dns-error' },
  { name: 'dig +search', variant: 'dig', argv: ['dig', '+search', '+time=2', '+tries=1', 'hostnames'], expect: 'ok' },
  { name: 'dig +short', variant: 'dig', argv: ['dig', '+short', '+time=2', '+tries=1', 'hostnames.default.svc.cluster.local'], expect: 'ok' },
  { name: 'dig SERVFAIL', variant: 'dig', argv: ['dig', '+time=2', '+tries=1', 'servfail.default.svc.cluster.local'], expect: 'dns-error' },
  { name: 'dig unanswered', variant: 'dig', argv: ['dig', '+time=2', '+tries=1', 'dropped.default.svc.cluster.local'], expect: 'dns-timeout' },
  { name: 'host by the search path', variant: 'host', argv: ['host', '-W', '2', 'hostnames'], expect: 'ok' },
  { name: 'host NXDOMAIN', variant: 'host', argv: ['host', '-W', '2', 'missing'], expect: 'dns-error' },
  { name: 'host unanswered', variant: 'host', argv: ['host', '-W', '2', 'dropped'], expect: 'dns-timeout' },
  { name: 'getent hosts by the search path', variant: 'getent', argv: ['getent', 'hosts', 'hostnames'], expect: 'ok' },
  { name: 'getent hosts NXDOMAIN', variant: 'getent', argv: ['getent', 'hosts', 'missing'], expect: 'dns-failure' },
];

/** Which program (as test/support/client-lab/lab.ts names it when it asks for versions) prints each scenario. */
export function programOf(name: string): string {
  if (LAB_SCENARIOS.some((s) => s.name === name)) return 'curl';
  const variant = [...CLIENT_SCENARIOS, ...PING_SCENARIOS, ...LOOKUP_SCENARIOS].find((s) => s.name === name)?.variant;
  const programs: Record<string, string> = {
    busybox: 'busybox',
    'busybox-wget': 'busybox',
    'busybox-nc': 'busybox',
    'busybox-nslookup': 'busybox',
    'gnu-wget': 'GNU wget',
    'openbsd-nc': 'OpenBSD nc',
    'traditional-nc': 'traditional nc',
    iputils: 'iputils ping',
    'bind-nslookup': 'bind9 tools',
    dig: 'bind9 tools',
    host: 'bind9 tools',
    getent: 'glibc getent',
  };
  const program = variant && programs[variant];
  if (!program) throw new Error(`no lab scenario is called "${name}"`);
  return program;
}
