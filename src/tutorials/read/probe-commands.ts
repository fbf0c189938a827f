// The probe commands tutorials run, read as their clients read their own arguments: curl, wget (busybox and GNU),
// netcat (OpenBSD, traditional, busybox), `agnhost connect`, ping (busybox and iputils) and name lookups. Each
// becomes a target the harness can probe and a note of what the client prints when it succeeds, so that the output
// the text shows can be read as a claim.
// Flag grammars: curl(1) (short options may be bundled, a value may be attached: `-XPOST`, `-sSI`, `-m5`), GNU
// wget(1) and busybox's wget usage (`-qO-`, `-T SEC`, `--timeout=SEC`, `--spider`), nc(1) of each netcat, ping(8) of
// iputils and busybox's ping usage (`-c CNT`, `-W SEC`, `-w SEC`).

/**
 * `dns` is a name lookup (nslookup, dig, host, `getent hosts`): the harness probes it as a lookup (`dns://NAME`).
 * `program` is a client the harness does not run (otherClient): what it prints is found, and never checked.
 */
export type ProbeClient = 'curl' | 'wget' | 'nc' | 'agnhost' | 'ping' | 'dns' | 'program';

/**
 * What the command prints when the request succeeds: the response body, the status line and headers, the status
 * code alone (`-w '%{http_code}'`), a line saying the file exists (wget --spider) or the port is open (nc -v),
 * or nothing at all.
 */
export type Prints = 'body' | 'headers' | 'code' | 'exists' | 'nothing';

export interface ProbeCall {
  client: ProbeClient;
  /** The target as written, variables unexpanded: a URL or HOST[:PORT] for HTTP, `tcp://HOST:PORT` for netcat, `icmp://HOST` for ping, `dns://NAME` for a lookup. */
  url: string;
  method: string;
  connectTimeout?: number;
  prints: Prints;
  /** Request headers sent (`-H`, `--header`), as `Name: value`. */
  headers?: string[];
  /** curl's `-w` text around `%{http_code}` (`client red: %{http_code}\n`), when it prints the code. */
  writeOut?: string;
  /** curl `-f`/`--fail`: no body is printed for a status of 400 or more (curl(1), --fail). */
  failOnError?: boolean;
  /** For a name lookup: the program, whose words its output is in. */
  lookup?: 'nslookup' | 'dig' | 'host' | 'getent';
  /** Why the harness's lookup (nslookup of type A through the pod's resolver) is not this one, when it is not. */
  unprobed?: string;
}

const PROGRAMS: Record<string, ProbeClient> = { curl: 'curl', wget: 'wget', nc: 'nc', ncat: 'nc', netcat: 'nc', 'nc.openbsd': 'nc', 'nc.traditional': 'nc', ping: 'ping', ping4: 'ping' };

/** Whether a program (its file name) is one of the clients read here. */
export function isProbeClient(program: string): boolean {
  return program in PROGRAMS || program === 'agnhost';
}

/** The probe a command's words make, or undefined when they are not one (another program, no target). */
export function probeCall(words: readonly string[]): ProbeCall | undefined {
  const program = words[0]?.split('/').at(-1) ?? '';
  if ((program === 'agnhost' || words[0] === '/agnhost') && words[1] === 'connect') return agnhostCall(words.slice(2));
  const client = PROGRAMS[program];
  if (client === 'curl') return curlCall(words.slice(1));
  if (client === 'wget') return wgetCall(words.slice(1));
  if (client === 'nc') return ncCall(words.slice(1));
  if (client === 'ping') return pingCall(words.slice(1));
  if (program === 'getent' && ['hosts', 'ahosts', 'ahostsv4'].includes(words[1] ?? '')) return lookupCall(program, words.slice(2));
  if (LOOKUPS.has(program)) return lookupCall(program, words.slice(1));
  return undefined;
}

const LOOKUPS = new Set(['nslookup', 'dig', 'host']);

// Clients the harness does not run: a script (`python upload_logs.py`, `node client.js`, `python -c '...'`) and a
// protocol's own tools (Kafka's console producer and consumer, grpcurl, redis-cli, psql, mysql, PowerShell's web
// cmdlets). Their output is a claim the text makes, which the report lists as not checkable rather than drop.
const INTERPRETERS = /^(python[23]?(\.\d+)?|node|ruby|perl|php)$/;
const PROTOCOL_CLIENTS = /^(kafka-console-(producer|consumer)(\.sh)?|grpcurl|redis-cli|psql|mysql|mongo|mongosh)$/;
const POWERSHELL_WEB = /^(Invoke-WebRequest|Invoke-RestMethod|iwr|irm|Test-NetConnection)$/i;

/** A client the harness does not run, as `program` calls: undefined for anything else (a bare interpreter, a shell). */
export function otherClient(words: readonly string[]): ProbeCall | undefined {
  const program = words[0]?.split('/').at(-1) ?? '';
  const client = PROTOCOL_CLIENTS.test(program) || (INTERPRETERS.test(program) && words.length > 1) || (/^(powershell|pwsh)(\.exe)?$/i.test(program) && words.slice(1).some((w) => POWERSHELL_WEB.test(w)));
  return client ? { client: 'program', url: words.join(' '), method: 'GET', prints: 'nothing' } : undefined;
}

/** Why what such a client prints is not checked (its words are the call's url). */
export const otherClientProblem = (call: ProbeCall) => `${call.url}: a client the harness does not run (it speaks its own protocol): what it prints is not checked`;

/**
 * `nslookup [-opt=value] NAME [SERVER]`, `dig [@SERVER] [TYPE] NAME [+opts]`, `host [-opts] NAME [SERVER]`,
 * `getent hosts|ahosts|ahostsv4 NAME`: the name looked up (the first operand that is not a server, a record type or an
 * option). nslookup, host and getent walk the pod's search path (the C library's rules: resolv.conf's search and
 * ndots); dig asks for the name as written unless +search (dig(1), "+[no]search": off by default), so its target is
 * the absolute name, `NAME.`. A lookup the harness's (nslookup, the pod's resolver, type A) is not says why in `unprobed`.
 */
function lookupCall(program: string, words: readonly string[]): ProbeCall | undefined {
  // Flags whose value is the next word: host(1)'s -W -t -c -N -R -m, dig(1)'s -p -t -c -b -f -k -y.
  const valued = program === 'host' ? HOST_VALUES : program === 'dig' ? DIG_VALUES : new Set<string>();
  const operands = words.filter((w, i) => !/^[-+@]/.test(w) && !RECORD_TYPE.test(w) && !valued.has(words[i - 1] ?? ''));
  const name = operands[0];
  if (!name) return undefined;
  const lookup = program === 'getent' ? 'getent' : (program as 'nslookup' | 'dig' | 'host');
  const absolute = lookup === 'dig' && !words.includes('+search') && !name.endsWith('.');
  const server = lookup === 'dig' ? words.find((w) => w.startsWith('@'))?.slice(1) : lookup === 'getent' ? undefined : operands[1];
  // dig and host take a type as an operand (or after -t); nslookup as -type=, -query= or -q=.
  const type = words.find((w) => RECORD_TYPE.test(w)) ?? words.map((w) => /^-(?:type|querytype|query|q)=(\w+)$/i.exec(w)?.[1]).find(Boolean);
  const unprobed = server
    ? `it asks the server ${server} directly; the harness asks the pod's own resolver`
    : type && !/^a$/i.test(type)
      ? `it asks for ${type.toUpperCase()} records; the harness asks for addresses (A)`
      : words.includes('-x')
        ? 'a reverse lookup; the harness looks names up'
        : undefined;
  return { client: 'dns', lookup, url: `dns://${name}${absolute ? '.' : ''}`, method: 'GET', prints: 'nothing', ...(unprobed && { unprobed }) };
}

const RECORD_TYPE = /^(A|AAAA|CNAME|SRV|PTR|MX|NS|TXT|SOA|ANY)$/i;
const HOST_VALUES = new Set(['-W', '-t', '-c', '-N', '-R', '-m']);
const DIG_VALUES = new Set(['-p', '-t', '-c', '-b', '-f', '-k', '-y']);

/**
 * Options as getopt reads them: `--name=value`, `--name value`, `-abc` (bundled flags), `-Xvalue` and `-X value`.
 * `takesValue` says which short and long names take a value.
 */
function options(words: readonly string[], takesValue: (name: string) => boolean): { opts: [string, string | undefined][]; operands: string[] } {
  const opts: [string, string | undefined][] = [];
  const operands: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      operands.push(...words.slice(i + 1));
      break;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      if (eq > 0) opts.push([w.slice(0, eq), w.slice(eq + 1)]);
      else opts.push([w, takesValue(w) ? words[++i] : undefined]);
    } else if (w.startsWith('-') && w.length > 1) {
      for (let k = 1; k < w.length; k++) {
        const name = `-${w[k]}`;
        if (!takesValue(name)) {
          opts.push([name, undefined]);
          continue;
        }
        opts.push([name, k + 1 < w.length ? w.slice(k + 1) : words[++i]]);
        break;
      }
    } else operands.push(w);
  }
  return { opts, operands };
}

const seconds = (v: string | undefined) => {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

// curl options that take a value (curl --help all); the rest are switches.
const CURL_VALUES = new Set([
  '-X',
  '--request',
  '-H',
  '--header',
  '-o',
  '--output',
  '-w',
  '--write-out',
  '-d',
  '--data',
  '--data-raw',
  '--data-binary',
  '--data-urlencode',
  '--json',
  '-u',
  '--user',
  '--resolve',
  '--connect-to',
  '-m',
  '--max-time',
  '--connect-timeout',
  '--retry',
  '-A',
  '--user-agent',
  '-e',
  '--referer',
  '-b',
  '--cookie',
  '-c',
  '--cookie-jar',
  '--cacert',
  '--cert',
  '-E',
  '--key',
  '-x',
  '--proxy',
  '-F',
  '--form',
  '-T',
  '--upload-file',
  '--interface',
  '-r',
  '--range',
  '-D',
  '--dump-header',
]);

function curlCall(words: readonly string[]): ProbeCall | undefined {
  const { opts, operands } = options(words, (n) => CURL_VALUES.has(n));
  let method: string | undefined;
  let head = false;
  let get = false;
  let data = false;
  let include = false;
  let output: string | undefined;
  let writeOut: string | undefined;
  let connectTimeout: number | undefined;
  let url: string | undefined;
  let failOnError = false;
  const headers: string[] = [];
  for (const [name, value] of opts) {
    if ((name === '-H' || name === '--header') && value) headers.push(value);
    else if (name === '-f' || name === '--fail') failOnError = true;
    else if (name === '-X' || name === '--request') method = value;
    else if (name === '-I' || name === '--head') head = true;
    else if (name === '-G' || name === '--get') get = true;
    else if (name === '-i' || name === '--include' || name === '-v' || name === '--verbose') include = true;
    else if (['-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '--json', '-F', '--form'].includes(name)) data = true;
    else if (name === '-o' || name === '--output') output = value;
    else if (name === '-O' || name === '--remote-name') output = 'remote name';
    else if (name === '-w' || name === '--write-out') writeOut = value;
    else if (name === '--connect-timeout') connectTimeout = seconds(value);
    else if (name === '--url') url ??= value;
  }
  url ??= operands[0];
  if (!url) return undefined;
  // -d makes a POST, -G turns it back into a GET with the data in the query; -X overrides both.
  const implied = head ? 'HEAD' : data && !get ? 'POST' : 'GET';
  const prints: Prints = /%\{(http_code|response_code)\}/.test(writeOut ?? '') ? 'code' : head || include ? 'headers' : output && output !== '-' ? 'nothing' : 'body';
  return {
    client: 'curl',
    url,
    method: (method ?? implied).toUpperCase(),
    connectTimeout,
    prints,
    ...(headers.length > 0 && { headers }),
    ...(prints === 'code' && { writeOut }),
    ...(failOnError && { failOnError }),
  };
}

// wget options that take a value: GNU wget(1) and busybox wget's usage.
const WGET_VALUES = new Set([
  '-O',
  '--output-document',
  '-o',
  '--output-file',
  '-T',
  '--timeout',
  '--connect-timeout',
  '-t',
  '--tries',
  '--header',
  '--post-data',
  '--post-file',
  '--method',
  '--body-data',
  '-U',
  '--user-agent',
  '-P',
  '--directory-prefix',
  '-Y',
  '--proxy',
  '-e',
  '--execute',
  '--user',
  '--password',
  '--dns-timeout',
  '--read-timeout',
  '-w',
  '--wait',
]);

function wgetCall(words: readonly string[]): ProbeCall | undefined {
  const { opts, operands } = options(words, (n) => WGET_VALUES.has(n));
  let method: string | undefined;
  let spider = false;
  let serverResponse = false;
  let quiet = false;
  let output: string | undefined;
  let connectTimeout: number | undefined;
  for (const [name, value] of opts) {
    if (name === '--spider' || name === '-s') spider = true;
    else if (name === '-S' || name === '--server-response') serverResponse = true;
    else if (name === '-q' || name === '--quiet') quiet = true;
    else if (name === '-O' || name === '--output-document') output = value;
    else if (name === '-T' || name === '--timeout' || name === '--connect-timeout') connectTimeout = seconds(value);
    else if (name === '--post-data' || name === '--post-file') method ??= 'POST';
    else if (name === '--method') method = value;
  }
  const url = operands[0];
  if (!url) return undefined;
  // wget writes the body to a file unless -O- sends it to stdout; --spider fetches no body; -S shows the headers.
  const prints: Prints = serverResponse ? 'headers' : spider ? (quiet ? 'nothing' : 'exists') : output === '-' ? 'body' : 'nothing';
  // --spider asks with GET in busybox (networking/wget.c sends "GET" unless --post-data); GNU wget asks with HEAD.
  // Tutorials that spider run busybox pods, so GET it is.
  return { client: 'wget', url, method: (method ?? 'GET').toUpperCase(), connectTimeout, prints };
}

// netcat options that take a value (OpenBSD nc(1), traditional nc, busybox nc).
const NC_VALUES = new Set(['-w', '-p', '-s', '-i', '-q', '-X', '-x', '-e', '-c', '-I', '-O', '-T', '-V', '-M', '-m']);

function ncCall(words: readonly string[]): ProbeCall | undefined {
  const { opts, operands } = options(words, (n) => NC_VALUES.has(n));
  const names = opts.map(([n]) => n);
  // Listening is a server, not a probe.
  if (names.includes('-l')) return undefined;
  const [host, port] = operands;
  if (!host || !port || !/^\d+$/.test(port)) return undefined;
  const timeout = seconds(opts.find(([n]) => n === '-w')?.[1]);
  const scheme = names.includes('-u') ? 'udp' : 'tcp';
  return { client: 'nc', url: `${scheme}://${host}:${port}`, method: 'GET', connectTimeout: timeout, prints: names.includes('-v') ? 'exists' : 'nothing' };
}

/** `agnhost connect HOST:PORT [--timeout=5s] [--protocol=tcp]` (test/images/agnhost/connect). */
function agnhostCall(words: readonly string[]): ProbeCall | undefined {
  const { opts, operands } = options(words, (n) => n === '--timeout' || n === '--protocol');
  const address = operands[0];
  if (!address || !/:\d+$/.test(address)) return undefined;
  const protocol = (opts.find(([n]) => n === '--protocol')?.[1] ?? 'tcp').toLowerCase();
  const timeout = /^(\d+)s$/.exec(opts.find(([n]) => n === '--timeout')?.[1] ?? '')?.[1];
  return { client: 'agnhost', url: `${protocol}://${address}`, method: 'GET', connectTimeout: seconds(timeout), prints: 'nothing' };
}

// ping options that take a value: iputils ping(8) and busybox's ping usage.
const PING_VALUES = new Set(['-c', '-i', '-I', '-l', '-m', '-M', '-p', '-Q', '-s', '-S', '-t', '-T', '-w', '-W', '-e', '-F']);

/** `ping [-c N] [-W SEC] HOST`: an ICMP echo. IPv6 (`-6`, ping6) is not a probe: the harness's clusters are IPv4. */
function pingCall(words: readonly string[]): ProbeCall | undefined {
  const { opts, operands } = options(words, (n) => PING_VALUES.has(n));
  if (opts.some(([n]) => n === '-6')) return undefined;
  const host = operands[0];
  if (!host) return undefined;
  // -W is the wait for a reply; -w a deadline for the whole run. Either bounds a dropped echo.
  const timeout = seconds(opts.find(([n]) => n === '-W')?.[1]) ?? seconds(opts.find(([n]) => n === '-w')?.[1]);
  // Its summary line says whether a reply came (with -q too).
  return { client: 'ping', url: `icmp://${host}`, method: 'GET', connectTimeout: timeout, prints: 'exists' };
}
