// registry.k8s.io/e2e-test-images/agnhost: the Kubernetes e2e tests' many-tools image; the harness's client pods and
// the conformance servers run it. One binary, its subcommand chosen by the first argument.
import { effectiveArgv, flagValue, portOf } from '../argv.ts';
import { pathOf, queryValue, reply } from '../http.ts';
import type { ContainerRun, Listening, Socket } from '../types.ts';
import type { ImageEntry } from '../types.ts';

const K8S = 'kubernetes/kubernetes';
const AGNHOST = 'test/images/agnhost';

/** A Go flag's boolean: `--name`, `--name=true|false`. */
function boolFlag(argv: readonly string[], name: string, fallback: boolean): boolean {
  if (argv.some((w) => w === `--${name}` || w === `-${name}`)) return true;
  const value = flagValue(argv, name);
  return value === undefined ? fallback : value === 'true';
}

// porter and serve-hostname answer every request alike; netexec's mux routes "/" to its root handler, which answers
// every path it has no other handler for (200), and /echo answers with the status its code parameter asks for.
const ANY_PATH_OK = () => reply(200);
const NETEXEC = (_method: string, target: string) => {
  const code = pathOf(target) === '/echo' ? Number(queryValue(target, 'code') ?? 200) : 200;
  return reply(Number.isInteger(code) && code >= 100 && code <= 599 ? code : 200);
};

function netexec(argv: readonly string[]): Listening {
  const http = portOf(flagValue(argv, 'http-port') ?? '8080');
  const udp = flagValue(argv, 'udp-port') ?? '8081';
  const sctp = flagValue(argv, 'sctp-port') ?? '-1';
  if (http === undefined || (udp !== '-1' && portOf(udp) === undefined) || (sctp !== '-1' && portOf(sctp) === undefined)) return { unknown: `netexec ${argv.join(' ')}: a port flag the catalog cannot read` };
  const tls = flagValue(argv, 'tls-cert-file') !== undefined;
  const sockets: Socket[] = [{ port: http, protocol: 'TCP', http: NETEXEC, tls }];
  if (udp !== '-1') sockets.push({ port: portOf(udp)!, protocol: 'UDP' });
  if (sctp !== '-1') sockets.push({ port: portOf(sctp)!, protocol: 'SCTP' });
  return { sockets };
}

function serveHostname(argv: readonly string[]): Listening {
  const port = portOf(flagValue(argv, 'port') ?? '9376');
  if (port === undefined) return { unknown: `serve-hostname ${argv.join(' ')}: --port is not a port number` };
  const tcp = boolFlag(argv, 'tcp', false);
  const udp = boolFlag(argv, 'udp', false);
  const http = boolFlag(argv, 'http', true);
  // It refuses to start with --http and --tcp or --udp together.
  if (http && (tcp || udp)) return { sockets: [] };
  const sockets: Socket[] = [];
  if (tcp) sockets.push({ port, protocol: 'TCP' });
  if (udp) sockets.push({ port, protocol: 'UDP' });
  if (http) sockets.push({ port, protocol: 'TCP', http: ANY_PATH_OK });
  return { sockets };
}

/** porter: a server per SERVE_{PORT,TCP_PORT,UDP_PORT,TLS_PORT,SCTP_PORT}_N variable. */
function porter(run: ContainerRun): Listening {
  const sockets: Socket[] = [];
  for (const name of [...run.env.keys(), ...run.unknownEnv]) {
    const match = /^SERVE_(PORT|TCP_PORT|UDP_PORT|TLS_PORT|SCTP_PORT)_(.*)$/.exec(name);
    if (!match) continue;
    const port = portOf(match[2]);
    if (port === undefined) return { unknown: `porter: ${name} does not name a port` };
    const kind = match[1]!;
    if (kind === 'UDP_PORT') sockets.push({ port, protocol: 'UDP' });
    else if (kind === 'SCTP_PORT') sockets.push({ port, protocol: 'SCTP' });
    else sockets.push({ port, protocol: 'TCP', http: ANY_PATH_OK, tls: kind === 'TLS_PORT' });
  }
  return { sockets };
}

export const AGNHOST_ENTRY: ImageEntry = {
  repositories: ['registry.k8s.io/e2e-test-images/agnhost', 'k8s.gcr.io/e2e-test-images/agnhost'],
  readAt: '2.52',
  // The subcommands read here have kept their flags and defaults across the 2.x tags.
  tags: (tag) => /^2\.\d+$/.test(tag),
  base: 'alpine:3.16 at 2.52 (test/images/agnhost/BASEIMAGE, kubernetes#124382), musl',
  // agnhost is a static Go binary (CGO_ENABLED=0): agnhost connect resolves with Go's resolver. curl in the image
  // would resolve with musl's; the model applies Go's to every probe from agnhost, a simplification it keeps.
  // bind-tools' /usr/bin/nslookup takes the place of busybox's applet: `busybox --install` links an applet only where
  // no file is (mirror/busybox 1_35_0, Alpine 3.16's, libbb/appletlib.c install_links, lines 687-688: EEXIST is no error).
  client: { resolver: 'go', curl: '7.88', ping: 'busybox', nslookup: 'bind' },
  tools: ['agnhost', 'curl', 'nc (OpenBSD)', 'dig, nslookup (bind-tools)', 'ping (busybox)', 'sh', 'bash'],
  listens: (run) => {
    const argv = effectiveArgv(run, ['/agnhost'], ['pause']);
    if (argv[0] !== '/agnhost' && argv[0] !== 'agnhost') return { unknown: `${run.image} runs ${argv.join(' ')}, not agnhost` };
    const [subcommand, ...rest] = argv.slice(1);
    switch (subcommand) {
      case 'pause':
      case 'connect':
        return { sockets: [] };
      case 'netexec':
        return netexec(rest);
      case 'serve-hostname':
        return serveHostname(rest);
      case 'porter':
        return porter(run);
      default:
        return { unknown: `${run.image} runs agnhost ${subcommand ?? '(no subcommand)'}, which the catalog has not read` };
    }
  },
  sources: [
    { repo: K8S, ref: '04791b49', path: `${AGNHOST}/netexec/netexec.go`, fact: 'flags --http-port 8080, --udp-port 8081, --sctp-port -1 (off), --tls-cert-file; "/" routes every unknown path to rootHandler (200 "NOW: ...")' },
    { repo: K8S, ref: '6732d913', path: `${AGNHOST}/serve-hostname/serve_hostname.go`, fact: 'flags --tcp false, --udp false, --http true, --port 9376; fatal when --http is given with --tcp or --udp' },
    { repo: K8S, ref: '0ff4ce8d', path: `${AGNHOST}/porter/porter.go`, fact: 'SERVE_PORT_N / SERVE_TCP_PORT_N (HTTP), SERVE_UDP_PORT_N, SERVE_TLS_PORT_N (HTTPS), SERVE_SCTP_PORT_N: one server each, any path answered' },
    { repo: K8S, ref: '05c351a9', path: `${AGNHOST}/Dockerfile`, fact: 'ENTRYPOINT ["/agnhost"], CMD ["pause"]; apk add curl, bind-tools, netcat-openbsd, bash on Alpine' },
  ],
};
