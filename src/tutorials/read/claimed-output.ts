// The output a tutorial tells the reader to expect, in the outcome vocabulary. Each client says what happened in its
// own words; the table below holds them, each read off the real program (the client lab in test/support/client-lab
// runs every one on this machine) or, where Debian's build lacks the feature, from the program's source. curl's own
// error line and exit code go through the same classifier as real probes.
import { classifyConnect, classifyCurl } from '../../probe/classify.ts';
import { isConclusive, satisfies, type Expectation, type Observation } from '../../probe/outcome.ts';
import type { SourceLine } from './blocks.ts';
import { otherClientProblem, type ProbeCall, type ProbeClient } from './probe-commands.ts';

/** A client as it prints: the same command name has several implementations with different words. */
export type Variant =
  | 'curl'
  | 'busybox-wget'
  | 'gnu-wget'
  | 'openbsd-nc'
  | 'traditional-nc'
  | 'busybox-nc'
  | 'busybox-nc-110'
  | 'agnhost'
  | 'busybox-ping'
  | 'iputils-ping'
  | 'cilium-proxy'
  | 'nslookup'
  | 'busybox-nslookup-small'
  | 'dig'
  | 'host'
  | 'getent';

export type ClaimedOutcome = { expect: Expectation; reason: string; variant?: Variant } | { why: string };

interface Wording {
  variant: Variant;
  client: ProbeClient | 'any';
  pattern: RegExp;
  /** Other variants that print the same words (one line cannot tell them apart). */
  also?: Variant[];
  claim: (m: RegExpExecArray) => Expectation;
  /** What the client prints for this outcome (HOST and IP stand for the target), for explanations. */
  example: string;
}

const ok = (m: RegExpExecArray): Expectation => ({ outcome: 'ok', status: Number(m[1]) });
const success = (): Expectation => ({ outcome: 'ok', below: 400 });
const is =
  (outcome: 'refused' | 'connect-timeout' | 'dns-failure' | 'dns-error' | 'dns-timeout' | 'ok'): ((m: RegExpExecArray) => Expectation) =>
  () => ({ outcome });

const WORDINGS: Wording[] = [
  // busybox networking/wget.c: bb_error_msg_and_die("server returned error: %s"), "download timed out" (the -T alarm
  // and retrieve_file_data), "bad address '%s'" (xhost2sockaddr), xconnect's "can't connect to remote host".
  { variant: 'busybox-wget', client: 'wget', pattern: /^wget: server returned error: HTTP\/[\d.]+ (\d{3})/, claim: ok, example: 'wget: server returned error: HTTP/1.1 403 Forbidden' },
  { variant: 'busybox-wget', client: 'wget', pattern: /^wget: download timed out/, claim: is('connect-timeout'), example: 'wget: download timed out' },
  { variant: 'busybox-wget', client: 'wget', pattern: /^wget: bad address '/, claim: is('dns-failure'), example: "wget: bad address 'HOST'" },
  { variant: 'busybox-wget', client: 'wget', pattern: /^wget: can't connect to remote host \(.*\): Connection refused/, claim: is('refused'), example: "wget: can't connect to remote host (IP): Connection refused" },
  // The kernel's ETIMEDOUT in the C library's words: glibc's "Connection timed out" (Debian), musl's "Operation timed
  // out" (Alpine: bminor/musl v1.2.5 src/errno/__strerror.h line 33).
  { variant: 'busybox-wget', client: 'wget', pattern: /^wget: can't connect to remote host \(.*\): (Connection|Operation) timed out/, claim: is('connect-timeout'), example: "wget: can't connect to remote host (IP): Connection timed out" },
  // busybox treats 200-204 and 300-303 as success (download_one_url); anything else is "server returned error".
  { variant: 'busybox-wget', client: 'wget', pattern: /^remote file exists$/, claim: success, example: 'remote file exists' },
  // Without -q and -O-: "'%s' saved" once the whole body is written (busybox 1_36_1 networking/wget.c line 1093,
  // retrieve_file_data, reached only for a success status). "saving to" comes before the body, so it is progress.
  { variant: 'busybox-wget', client: 'wget', pattern: /^'[^']+' saved$/, claim: success, example: "'index.html' saved" },
  // GNU wget 1.21: the status after "awaiting response...", "ERROR 403: Forbidden.", connect and resolve failures.
  { variant: 'gnu-wget', client: 'wget', pattern: /awaiting response\.\.\. (\d{3})\b/, claim: ok, example: 'HTTP request sent, awaiting response... 200 OK' },
  { variant: 'gnu-wget', client: 'wget', pattern: /ERROR (\d{3}): /, claim: ok, example: 'ERROR 403: Forbidden.' },
  { variant: 'gnu-wget', client: 'wget', pattern: /failed: Connection refused\.$/, claim: is('refused'), example: 'Connecting to IP:PORT... failed: Connection refused.' },
  { variant: 'gnu-wget', client: 'wget', pattern: /failed: Connection timed out\.$/, claim: is('connect-timeout'), example: 'Connecting to IP:PORT... failed: Connection timed out.' },
  { variant: 'gnu-wget', client: 'wget', pattern: /^wget: unable to resolve host address|^Resolving .*\.\.\. failed: /, claim: is('dns-failure'), example: 'wget: unable to resolve host address ‘HOST’' },
  { variant: 'gnu-wget', client: 'wget', pattern: /^Remote file exists/, claim: success, example: 'Remote file exists.' },
  // OpenBSD netcat (Debian's netcat-openbsd, Alpine's, agnhost's nc).
  { variant: 'openbsd-nc', client: 'nc', pattern: /^Connection to \S+ (\(\S+\) )?\d+ port \[.*\] succeeded!/, claim: is('ok'), example: 'Connection to HOST PORT port [tcp/*] succeeded!' },
  { variant: 'openbsd-nc', client: 'nc', pattern: /connect to \S+ (\(\S+\) )?port \d+ \(\w+\) failed: Connection refused/, claim: is('refused'), example: 'nc: connect to HOST port PORT (tcp) failed: Connection refused' },
  { variant: 'openbsd-nc', client: 'nc', pattern: /connect to \S+ (\(\S+\) )?port \d+ \(\w+\) timed out/, claim: is('connect-timeout'), example: 'nc: connect to HOST port PORT (tcp) timed out: Operation now in progress' },
  { variant: 'openbsd-nc', client: 'nc', pattern: /getaddrinfo for host "/, claim: is('dns-failure'), example: 'nc: getaddrinfo for host "HOST" port PORT: Name or service not known' },
  // Traditional netcat (Debian's netcat-traditional).
  { variant: 'traditional-nc', client: 'nc', pattern: /^\S+ \[[\d.]+\] \d+ \(.*\) open$/, claim: is('ok'), example: 'HOST [IP] PORT (?) open' },
  { variant: 'traditional-nc', client: 'nc', pattern: /\[[\d.]+\] \d+ \(.*\) : Connection refused/, claim: is('refused'), example: 'HOST [IP] PORT (?) : Connection refused' },
  { variant: 'traditional-nc', client: 'nc', pattern: /\[[\d.]+\] \d+ \(.*\) : Connection timed out/, claim: is('connect-timeout'), example: '(UNKNOWN) [IP] PORT (?) : Connection timed out' },
  { variant: 'traditional-nc', client: 'nc', pattern: /forward host lookup failed/, claim: is('dns-failure'), example: 'HOST: forward host lookup failed: Unknown host' },
  // busybox nc (networking/nc.c): xconnect's message, "timed out" from the -w alarm, "bad address".
  { variant: 'busybox-nc', client: 'nc', pattern: /^nc: can't connect to remote host \(.*\): Connection refused/, claim: is('refused'), example: "nc: can't connect to remote host (IP): Connection refused" },
  { variant: 'busybox-nc', client: 'nc', pattern: /^nc: timed out/, claim: is('connect-timeout'), example: 'nc: timed out' },
  { variant: 'busybox-nc', also: ['busybox-nc-110'], client: 'nc', pattern: /^nc: bad address '/, claim: is('dns-failure'), example: "nc: bad address 'HOST'" },
  // Alpine's busybox (what busybox and alpine images run) is built with CONFIG_NC_110_COMPAT=y (alpinelinux/aports
  // 05253d2c main/busybox/busyboxconfig), so nc is networking/nc_bloaty.c (mirror/busybox tag 1_36_1, the same in
  // 1_31_1): with -v, "%s (%s) open" of the host as typed and IP:PORT (line 906); a failure as bb_perror_msg("%s
  // (%s)") (line 916), a refusal only at -vv. The -w alarm fakes ETIMEDOUT (connect_w_timeout, line 298), which
  // musl words "Operation timed out".
  { variant: 'busybox-nc-110', client: 'nc', pattern: /^\S+ \(\S+:\d+\) open$/, claim: is('ok'), example: 'HOST (IP:PORT) open' },
  { variant: 'busybox-nc-110', client: 'nc', pattern: /^nc: \S+ \(\S+:\d+\): Connection refused/, claim: is('refused'), example: 'nc: HOST (IP:PORT): Connection refused' },
  { variant: 'busybox-nc-110', client: 'nc', pattern: /^nc: \S+ \(\S+:\d+\): (Operation|Connection) timed out/, claim: is('connect-timeout'), example: 'nc: HOST (IP:PORT): Operation timed out' },
  // busybox ping (networking/ping.c): a reply line with seq=, the summary's "packets received", "bad address" for any
  // failed lookup. A reply in the summary is a reply, whatever the loss; 100% loss is a dropped echo.
  { variant: 'busybox-ping', client: 'ping', pattern: /^\d+ bytes from \S+: seq=/, claim: is('ok'), example: '64 bytes from IP: seq=0 ttl=64 time=0.067 ms' },
  { variant: 'busybox-ping', client: 'ping', pattern: /^\d+ packets transmitted, [1-9]\d* packets received/, claim: is('ok'), example: '1 packets transmitted, 1 packets received, 0% packet loss' },
  { variant: 'busybox-ping', client: 'ping', pattern: /^\d+ packets transmitted, 0 packets received, 100% packet loss/, claim: is('connect-timeout'), example: '1 packets transmitted, 0 packets received, 100% packet loss' },
  { variant: 'busybox-ping', client: 'ping', pattern: /^ping: bad address '/, claim: is('dns-failure'), example: "ping: bad address 'HOST'" },
  // iputils ping 20221126: icmp_seq= replies, "N received", getaddrinfo's words for NXDOMAIN and for no answer.
  { variant: 'iputils-ping', client: 'ping', pattern: /^\d+ bytes from .*: icmp_seq=/, claim: is('ok'), example: '64 bytes from IP: icmp_seq=1 ttl=64 time=0.036 ms' },
  { variant: 'iputils-ping', client: 'ping', pattern: /^\d+ packets transmitted, [1-9]\d* received/, claim: is('ok'), example: '1 packets transmitted, 1 received, 0% packet loss, time 0ms' },
  { variant: 'iputils-ping', client: 'ping', pattern: /^\d+ packets transmitted, 0 received,( \+\d+ errors,)? 100% packet loss/, claim: is('connect-timeout'), example: '1 packets transmitted, 0 received, 100% packet loss, time 0ms' },
  { variant: 'iputils-ping', client: 'ping', pattern: /^(\S*\/)?ping: \S+: Name or service not known/, claim: is('dns-error'), example: 'ping: HOST: Name or service not known' },
  { variant: 'iputils-ping', client: 'ping', pattern: /^(\S*\/)?ping: \S+: Temporary failure in name resolution/, claim: is('dns-timeout'), example: 'ping: HOST: Temporary failure in name resolution' },
  // Name lookups (client lab captures: bind9-dnsutils 9.18, busybox 1.35, glibc 2.36 getent, with a pod's
  // resolv.conf). nslookup, bind's and busybox's (1.28 and later): an answer is "Name:" and the name that answered
  // (busybox also prints the search names that failed, in any order: one answer is enough); an error answer is "**
  // server can't find NAME: NXDOMAIN" (REFUSED, SERVFAIL); no reply "no servers could be reached" (bind 9.18 and dig
  // and host after ";; communications error to ...: timed out", bind 9.16 and busybox after ";; connection timed out").
  { variant: 'nslookup', client: 'dns', pattern: /^Name:\s+\S+$/, claim: is('ok'), example: 'Name:\tHOST.default.svc.cluster.local' },
  { variant: 'nslookup', client: 'dns', pattern: /^\*\* server can't find \S+: (NXDOMAIN|REFUSED|SERVFAIL)$/, claim: is('dns-error'), example: "** server can't find HOST: NXDOMAIN" },
  { variant: 'nslookup', also: ['dig', 'host'], client: 'dns', pattern: /no servers could be reached$/, claim: is('dns-timeout'), example: ';; connection timed out; no servers could be reached' },
  // busybox before 1.28 (and built without FEATURE_NSLOOKUP_BIG): getaddrinfo, so the C library's search path and
  // "Address 1: IP NAME" lines; any failure is bb_error_msg("can't resolve '%s'") (mirror/busybox 1_30_1
  // networking/nslookup.c, print_host, lines 100-130): it cannot tell NXDOMAIN from no answer.
  { variant: 'busybox-nslookup-small', client: 'dns', pattern: /^nslookup: can't resolve '/, claim: is('dns-failure'), example: "nslookup: can't resolve 'HOST'" },
  // dig: the header's status; an answer is an A record in the answer section (dig +short prints the address alone).
  { variant: 'dig', client: 'dns', pattern: /^;; ->>HEADER<<- opcode: QUERY, status: (NXDOMAIN|REFUSED|SERVFAIL),/, claim: is('dns-error'), example: ';; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 5206' },
  { variant: 'dig', client: 'dns', pattern: /^\S+\.\s+\d+\s+IN\s+A\s+\d+\.\d+\.\d+\.\d+$/, claim: is('ok'), example: 'HOST.default.svc.cluster.local. 30 IN A IP' },
  // host: "NAME has address IP", "Host NAME not found: 3(NXDOMAIN)".
  { variant: 'host', client: 'dns', pattern: /^\S+ has address \S+$/, claim: is('ok'), example: 'HOST.default.svc.cluster.local has address IP' },
  { variant: 'host', client: 'dns', pattern: /^Host \S+ not found: \d+\((NXDOMAIN|REFUSED|SERVFAIL)\)$/, claim: is('dns-error'), example: 'Host HOST not found: 3(NXDOMAIN)' },
  // getent hosts: "IP NAME" for an answer; nothing and exit code 2 for any failure (glibc getent.c: "key not found").
  { variant: 'getent', client: 'dns', pattern: /^\d+\.\d+\.\d+\.\d+\s+\S+$/, claim: is('ok'), example: 'IP      HOST.default.svc.cluster.local' },
  // Cilium's HTTP proxy answers a request no L7 rule allows with 403 and this body (docs: "Access denied").
  { variant: 'cilium-proxy', client: 'any', pattern: /^Access denied$/, claim: () => ({ outcome: 'ok', status: 403 }), example: 'Access denied' },
];

const NOISE = [
  /^pod "[^"]+" deleted/,
  /^If you don't see a command prompt, try pressing enter\.?$/,
  /^Session ended, resume using/,
  /^Unable to use a TTY/,
  /^warning: couldn't attach to pod/i,
  // busybox wget's progress (without -q; networking/wget.c lines 932, 1174 and libbb/progress.c: the file name, then
  // the bar) and GNU wget's log lines around the body.
  /^Connecting to \S+ \(\S+\)$/,
  /^(writing|written) to stdout$/,
  /^saving to '[^']*'$/,
  /^wget: note: TLS certificate validation not implemented$/,
  /^\S*\s+\d+% \|/,
  /^--\d{4}-\d\d-\d\d \d\d:\d\d:\d\d--/,
  /^(Resolving|Connecting to) .*(connected\.|\d)$/,
  /^(Length|Saving to|Spider mode enabled)/,
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(.*\) - /,
  /^\s*\d+K[ .]+/,
  // ping's header, statistics title and round-trip line.
  /^PING \S+ \(/,
  /^--- \S+ ping statistics ---$/,
  /^(round-trip|rtt) min\/avg\/max/,
];

/**
 * Whether a line starts a command's output as a page shows it in a box of its own: any client's words, a status
 * line or code, kubectl's exit line, the clients' progress lines, or the start of a body.
 */
export function startsAsOutput(line: string): boolean {
  const text = line.trim();
  return /^(curl: \(\d+\)|HTTP\/[\d.]+ \d{3}|command terminated with exit code|\d{3}$|<|\{|\[)/.test(text) || [...WORDINGS.map((w) => w.pattern), ...NOISE].some((p) => p.test(text));
}

const TEXT_CLIENTS: Record<ProbeClient, string> = { curl: 'curl', wget: 'wget', nc: 'netcat', agnhost: 'agnhost connect', ping: 'ping', dns: 'the lookup', program: 'the client' };

/**
 * What the output shown after a probe claims. Without the probe (`call` undefined) only words that say it on their
 * own count: an HTTP status line, a client's error line.
 */
export function classifyClaimedOutput(lines: readonly SourceLine[], call?: ProbeCall): ClaimedOutcome {
  if (call?.client === 'program') return { why: otherClientProblem(call) };
  const texts = lines.map((l) => l.text.trim()).filter((t) => t !== '' && !NOISE.some((n) => n.test(t)));
  const client = call?.client ?? 'curl';
  const exit = texts.map((t) => /^command terminated with exit code (\d+)/.exec(t)?.[1]).find((c) => c !== undefined);
  const said = texts.filter((t) => !/^command terminated with exit code/.test(t));
  if (client === 'dns' && call) return lookupClaim(said, call, exit);
  const curlError = said.find((t) => /^curl: \(\d+\)/.test(t));
  // curl -v shows the response's headers behind "< " (curl's verbose trace: "> " sent, "< " received, "* " info).
  const status = said.map((t) => /^(?:< )?HTTP\/[\d.]+ (\d{3})/.exec(t)?.[1]).find((s) => s !== undefined);
  const worded = firstWording(said, client);
  const failed = curlError ?? (exit && exit !== '0' ? `exit code ${exit}` : undefined);
  if (status && failed && !/^curl: \(22\)/.test(failed)) return { why: `the output shows both an HTTP status and a failure (${failed})` };
  if (status) return { expect: { outcome: 'ok', status: Number(status) }, reason: `HTTP ${status}`, ...(client === 'curl' && { variant: 'curl' as const }) };
  if (curlError) return curlClaim(curlError);
  if (worded) return { expect: worded.expect, reason: worded.text, variant: worded.variant };
  if (client === 'agnhost') {
    const line = said[0];
    if (line) {
      const c = classifyConnect({ exitCode: 1, stdout: '', stderr: line });
      if (isConclusive(c.outcome)) return { expect: { outcome: c.outcome }, reason: line, variant: 'agnhost' };
    }
  }
  // curl -w '%{http_code}' prints the status, alone or within the -w text; 000 means no response at all.
  if (call?.prints === 'code') {
    const code = said.map((t) => writtenCode(t, call.writeOut)).find((c) => c !== undefined);
    if (code && code !== '000') return { expect: { outcome: 'ok', status: Number(code) }, reason: `status code ${code}`, variant: 'curl' };
    if (code === '000' && exit === '28') return { expect: { outcome: 'denied' }, reason: '000 and exit code 28 (curl timed out)', variant: 'curl' };
    if (code === '000') return { why: 'status code 000 says only that no HTTP response came, not which failure' };
  }
  if (exit && client === 'curl') return exitClaim(exit);
  if (exit && exit !== '0') return { why: `exit code ${exit} of ${TEXT_CLIENTS[client]} says only that it failed, not how` };
  // Any other body printed to the terminal is an answer. wget prints one only below 400, and so does curl with
  // --fail; plain curl prints the body of any status (curl(1), --fail): the deathstar's 503 "Panic: deathstar
  // exploded" is a body as "Ship landed" is.
  if (call?.prints === 'body' && said.length > 0) {
    const below = client === 'wget' || call.failOnError ? { below: 400 } : {};
    return { expect: { outcome: 'ok', ...below }, reason: `the response body (${said[0]!.slice(0, 40)}${said[0]!.length > 40 ? '…' : ''})`, ...(client === 'curl' && { variant: 'curl' as const }) };
  }
  return { why: 'the output shows neither an HTTP status nor a client error: it says nothing about connectivity' };
}

/**
 * The status code in a line curl's -w text printed: the text around %{http_code} (or %{response_code}) as written,
 * other variables as any text. Without the text, the line is the code alone.
 */
function writtenCode(line: string, writeOut = '%{http_code}'): string | undefined {
  const shape =
    writeOut
      .replace(/\\n/g, '\n')
      .split('\n')
      .find((l) => /%\{(http_code|response_code)\}/.test(l))
      ?.trim() ?? '%{http_code}';
  const pattern = shape
    .split(/(%\{[a-z_]+\})/)
    .map((part) => (/^%\{(http_code|response_code)\}$/.test(part) ? '(\\d{3})' : /^%\{/.test(part) ? '.*?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).exec(line)?.[1];
}

/** The first line in some client's words (this client's, or anyone's such as the proxy's `Access denied`). */
function firstWording(lines: readonly string[], client: ProbeClient): { expect: Expectation; text: string; variant: Variant } | undefined {
  const mine = WORDINGS.filter((w) => w.client === 'any' || w.client === client);
  for (const text of lines) {
    for (const w of mine) {
      const m = w.pattern.exec(text);
      if (m) return { expect: w.claim(m), text, variant: w.variant };
    }
  }
  return undefined;
}

// Which program prints each lookup variant's words.
const LOOKUP_PROGRAM: Partial<Record<Variant, ProbeCall['lookup']>> = { nslookup: 'nslookup', 'busybox-nslookup-small': 'nslookup', dig: 'dig', host: 'host', getent: 'getent' };

/**
 * What a name lookup's output claims: resolved (any answer: busybox prints the search names that failed around the
 * one that answered), or the failure its words say. Addresses are never compared: the model's differ from the text's
 * cluster; whether the name resolves is the claim.
 */
function lookupClaim(said: readonly string[], call: ProbeCall, exit: string | undefined): ClaimedOutcome {
  const mine = WORDINGS.filter((w) => w.client === 'dns' && [w.variant, ...(w.also ?? [])].some((v) => LOOKUP_PROGRAM[v] === call.lookup));
  const found = said.flatMap((text) => mine.filter((w) => w.pattern.test(text)).map((w) => ({ text, variant: w.variant, expect: w.claim(w.pattern.exec(text)!) })));
  // dig +short prints the addresses alone.
  const short = call.lookup === 'dig' && said.length > 0 && said.every((t) => /^\d+\.\d+\.\d+\.\d+$/.test(t));
  const answer = found.find((f) => f.expect.outcome === 'ok') ?? (short ? { text: said[0]!, variant: 'dig' as const, expect: { outcome: 'ok' as const } } : undefined);
  if (answer) return { expect: answer.expect, reason: answer.text, variant: answer.variant };
  const failure = found[0];
  if (failure) {
    // busybox's nslookup (1.28 and later) asks for a name with a dot only as written (add_query_with_search), bind's
    // and the C library walk the search path: which one failed here the words say only by bind's "#53" server port.
    const name = call.url.slice('dns://'.length);
    const bind = said.some((t) => /^Address:\s+\S+#53$/.test(t));
    if (call.lookup === 'nslookup' && failure.variant === 'nslookup' && name.includes('.') && !name.endsWith('.') && !bind) {
      return { why: `${failure.text}: busybox's nslookup asks for ${name} only as written, bind's walks the search path; which nslookup the text ran is not said` };
    }
    return { expect: failure.expect, reason: failure.text, variant: failure.variant };
  }
  if (call.lookup === 'getent' && exit && exit !== '0') return { expect: { outcome: 'dns-failure' }, reason: `getent exit code ${exit} (not found)`, variant: 'getent' };
  return { why: 'the output shows neither an answer nor a lookup error' };
}

function curlClaim(curlError: string): ClaimedOutcome {
  const code = Number(/^curl: \((\d+)\)/.exec(curlError)![1]);
  // --fail: curl(1) exit 22, "The requested URL returned error: 403".
  const failStatus = /^curl: \(22\) .*error: (\d{3})/.exec(curlError)?.[1];
  if (failStatus) return { expect: { outcome: 'ok', status: Number(failStatus) }, reason: curlError, variant: 'curl' };
  const c = classifyCurl({ exitCode: code, stdout: '', stderr: curlError });
  if (!isConclusive(c.outcome) || c.outcome === 'ok') return { why: `${curlError}: not a connectivity verdict` };
  return { expect: { outcome: c.outcome }, reason: curlError, variant: 'curl' };
}

function exitClaim(exit: string): ClaimedOutcome {
  // Without curl's message an exit code 28 says only that curl timed out: a drop, at DNS or at connect.
  if (exit === '28') return { expect: { outcome: 'denied' }, reason: 'exit code 28 (curl timed out)', variant: 'curl' };
  const c = classifyCurl({ exitCode: Number(exit), stdout: '', stderr: '' });
  return !isConclusive(c.outcome) || c.outcome === 'ok' ? { why: `exit code ${exit} is not a connectivity verdict` } : { expect: { outcome: c.outcome }, reason: `exit code ${exit}`, variant: 'curl' };
}

/** The target a client names in its message. */
export interface PrintedTarget {
  host: string;
  ip: string;
  port: number;
}

const SOME_TARGET: PrintedTarget = { host: 'web', ip: '10.96.0.10', port: 80 };

const fill = (example: string, target: PrintedTarget) =>
  example
    .replace(/HOST/g, target.host)
    .replace(/\bIP\b/g, target.ip)
    .replace(/PORT/g, String(target.port));

/** What a client prints for an observation, in its own words (for explaining a contradicted claim); curl's own words are the model's client profile. */
export function printedBy(variant: Variant, observation: Observation, target: PrintedTarget = SOME_TARGET): string | undefined {
  const match = WORDINGS.filter((w) => w.variant === variant || w.also?.includes(variant)).find((w) => satisfies(w.claim(w.pattern.exec(fill(w.example, target))!), observation));
  if (match) return fill(match.example, target);
  if (variant === 'busybox-wget' && observation.outcome === 'ok' && observation.status !== undefined) return `wget: server returned error: HTTP/1.1 ${observation.status}`;
  return undefined;
}

/** The examples of every wording, for tests that hold them against the real programs. */
export const WORDING_EXAMPLES: readonly { variant: Variant; example: string }[] = WORDINGS.map(({ variant, example }) => ({ variant, example: fill(example, SOME_TARGET) }));

export interface OutputSection {
  title?: string;
  lines: SourceLine[];
}

/**
 * Output split into the sections a tutorial marks with comment lines (`# Frontend`); without such titles, `count`
 * responses separated by blank lines are `count` sections, in order, and so are `count` lines when each response is
 * one line (status codes from `-w '%{http_code}\n'` in a loop).
 */
export function outputSections(lines: readonly SourceLine[], count = 1, lineEach = false): OutputSection[] {
  const shown = lines.filter((l) => l.text.trim() !== '');
  if (count > 1 && lineEach && shown.length === count) return shown.map((l) => ({ lines: [l] }));
  const sections: OutputSection[] = [];
  for (const l of lines) {
    const title = /^#\s*(.*?)\s*$/.exec(l.text.trim())?.[1];
    if (title !== undefined) sections.push({ title, lines: [] });
    else if (sections.length === 0) {
      if (l.text.trim() !== '') sections.push({ lines: [l] });
    } else sections.at(-1)!.lines.push(l);
  }
  if (count > 1 && sections.every((s) => s.title === undefined)) {
    const blocks: OutputSection[] = [];
    let current: SourceLine[] = [];
    for (const l of lines) {
      if (l.text.trim() === '') {
        if (current.length) blocks.push({ lines: current });
        current = [];
      } else current.push(l);
    }
    if (current.length) blocks.push({ lines: current });
    if (blocks.length === count) return blocks;
  }
  return sections;
}
