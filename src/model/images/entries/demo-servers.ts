// Demo servers of network-policy tutorials: hello apps, echo servers, httpbin, the Star Wars deathstar, the network
// multitool and Python's http.server.
import { effectiveArgv, flagValue, portOf, unknownVariable } from '../argv.ts';
import { pathOf, queryValue, reply } from '../http.ts';
import type { ClientProfile, ContainerRun, HttpReply, ImageEntry, Listening, Socket } from '../types.ts';
import { nginxStatic } from './web-servers.ts';

type Http = (method: string, target: string) => HttpReply;
const ANY_OK: Http = () => reply(200);
const STATIC_GO: ClientProfile = { resolver: 'go', curl: '7.88', ping: 'iputils' };
const ALPINE: ClientProfile = { resolver: 'musl', curl: '7.88', ping: 'busybox' };

/** The port a server takes from a variable (and optionally a flag), with its default; unknown when set by reference. */
function portFrom(run: ContainerRun, argv: readonly string[], variable: string, fallback: number, flag?: string): number | { unknown: string } {
  const fromFlag = flag === undefined ? undefined : flagValue(argv, flag);
  const why = fromFlag === undefined ? unknownVariable(run, variable) : undefined;
  if (why) return { unknown: `${run.image}: ${why}` };
  const text = fromFlag ?? run.env.get(variable);
  if (text === undefined || text === '') return fallback;
  return portOf(text) ?? { unknown: `${run.image}: ${flag && fromFlag !== undefined ? `--${flag}` : variable}=${text} is not a port number` };
}

/** How an image starts its server: ENTRYPOINT and CMD, whose first words (the program) a container must keep. */
interface Start {
  entrypoint: readonly string[];
  cmd: readonly string[];
}

/** The server's argv, or why the container runs something else. */
function serverArgv(run: ContainerRun, start: Start): string[] | { unknown: string } {
  const argv = effectiveArgv(run, start.entrypoint, start.cmd);
  const program = [...start.entrypoint, ...start.cmd].slice(0, Math.max(start.entrypoint.length, 1));
  return program.every((word, i) => argv[i] === word) ? argv : { unknown: `${run.image} runs ${argv.join(' ')}, not ${program.join(' ')}` };
}

/** A single-port HTTP server (and any sockets beside it) started by its image's own program. */
function server(start: Start, port: (run: ContainerRun, argv: readonly string[]) => number | { unknown: string }, http: (argv: readonly string[]) => Http, extra: (port: number) => Socket[] = () => []) {
  return (run: ContainerRun): Listening => {
    const argv = serverArgv(run, start);
    if (!Array.isArray(argv)) return argv;
    const p = port(run, argv);
    return typeof p === 'number' ? { sockets: [{ port: p, protocol: 'TCP', http: http(argv) }, ...extra(p)] } : p;
  };
}

/** whoami: /echo is a WebSocket (a plain request is 400); /health answers its current code, 200 until a POST sets one. */
const whoami: Http = (_method, target) => reply(pathOf(target) === '/echo' ? 400 : 200);

/** Flask/werkzeug routes of httpbin (and go-httpbin's, where they agree): method-bound paths, /anything, /status/N. */
function httpbinRoutes(upper: boolean): Http {
  const bound: Record<string, string> = { '/': 'GET', '/get': 'GET', '/post': 'POST', '/put': 'PUT', '/patch': 'PATCH', '/delete': 'DELETE' };
  const phrase = (r: HttpReply) => (upper ? reply(r.status, r.reason.toUpperCase()) : r);
  return (method, target) => {
    const path = pathOf(target);
    if (method === 'OPTIONS') return reply(200);
    const status = /^\/status\/(\d{3})$/.exec(path);
    if (status) return phrase(reply(Number(status[1])));
    if (path === '/anything' || path.startsWith('/anything/')) return phrase(reply(200));
    const wanted = bound[path];
    if (!wanted) return phrase(reply(404));
    return phrase(reply(method === wanted || (method === 'HEAD' && wanted === 'GET') ? 200 : 405));
  };
}

/** The deathstar (go-swagger, basePath /v1): GET /v1, POST /v1/request-landing, PUT /v1/exhaust-port (503). */
const deathstar: Http = (method, target) => {
  const path = pathOf(target).replace(/\/$/, '') || '/';
  const routes: Record<string, [string, number]> = { '/v1': ['GET', 200], '/v1/request-landing': ['POST', 200], '/v1/exhaust-port': ['PUT', 503] };
  const route = routes[path];
  if (!route) return reply(404);
  return reply(method === route[0] ? route[1] : 405);
};

/** The echoserver's lua location answers every request; nginx core refuses TRACE and CONNECT first. */
const echoserver: Http = (method) => (method === 'TRACE' || method === 'CONNECT' ? reply(405, 'Not Allowed') : reply(200));

/** Python's SimpleHTTPRequestHandler in / : GET and HEAD only; its own reason phrases. */
const pythonHttp: Http = (method, target) => {
  if (method !== 'GET' && method !== 'HEAD') return reply(501, `Unsupported method ('${method}')`);
  return pathOf(target) === '/' ? reply(200) : reply(404, 'File not found');
};

/** ealen/echo-server: 200, or the code asked for with echo_code (200-599). */
const ealenEcho: Http = (_method, target) => {
  const code = Number(queryValue(target, 'echo_code'));
  return reply(Number.isInteger(code) && code >= 200 && code <= 599 ? code : 200);
};

export const DEMO_SERVERS: ImageEntry[] = [
  {
    repositories: ['gcr.io/google-samples/hello-app', 'us-docker.pkg.dev/google-samples/containers/gke/hello-app'],
    readAt: '1.0 (distroless build)',
    tags: (tag) => /^[12]\.0$/.test(tag),
    base: 'gcr.io/distroless/static-debian12, a static Go binary (the 2017 builds were Alpine)',
    client: STATIC_GO,
    tools: [],
    listens: server(
      { entrypoint: [], cmd: ['/hello-app'] },
      (run, argv) => portFrom(run, argv, 'PORT', 8080),
      () => ANY_OK,
    ),
    sources: [
      { repo: 'GoogleCloudPlatform/kubernetes-engine-samples', ref: '2b503651', path: 'quickstarts/hello-app/main.go', lines: '30-51', fact: 'listens on :$PORT (8080 when empty); one handler for / answers every path and method 200' },
      { repo: 'GoogleCloudPlatform/kubernetes-engine-samples', ref: '2b503651', path: 'quickstarts/hello-app/Dockerfile', lines: '20-26', fact: 'CGO_ENABLED=0; FROM distroless/static-debian12; ENV PORT=8080; CMD /hello-app' },
    ],
  },
  {
    repositories: ['docker.io/traefik/whoami', 'docker.io/containous/whoami'],
    readAt: 'v1.11.0',
    tags: () => true,
    base: 'scratch, a static Go binary',
    client: STATIC_GO,
    tools: [],
    listens: server(
      { entrypoint: ['/whoami'], cmd: [] },
      (run, argv) => portFrom(run, argv, 'WHOAMI_PORT_NUMBER', 80, 'port'),
      () => whoami,
    ),
    sources: [{ repo: 'traefik/whoami', ref: 'v1.11.0', path: 'app.go', lines: '53,74-79,211-251,290-314', fact: '--port, else WHOAMI_PORT_NUMBER, else 80; / answers every path 200; /echo is a WebSocket; /health 200 until set' }],
  },
  {
    repositories: ['docker.io/kennethreitz/httpbin'],
    readAt: '0.9.2 (postmanlabs/httpbin f8ec666b)',
    tags: () => true,
    base: 'ubuntu:18.04 (glibc)',
    client: { resolver: 'glibc', curl: 'legacy-7', ping: 'iputils' },
    tools: ['python3', 'bash'],
    listens: (run) => (run.command || run.args ? { unknown: `${run.image} runs ${[...(run.command ?? []), ...(run.args ?? [])].join(' ')}, not gunicorn on 80` } : { sockets: [{ port: 80, protocol: 'TCP', http: httpbinRoutes(true) }] }),
    sources: [
      { repo: 'postmanlabs/httpbin', ref: 'f8ec666b', path: 'Dockerfile', lines: '1,20-22', fact: 'FROM ubuntu:18.04; CMD gunicorn -b 0.0.0.0:80 httpbin:app' },
      { repo: 'postmanlabs/httpbin', ref: 'f8ec666b', path: 'httpbin/core.py', lines: '145-161,366-468,729-777', fact: 'method-bound /get /post /put /patch /delete, /anything, /status/N, the docs page at /' },
      { repo: 'pallets/werkzeug', ref: '0.14.1', path: 'werkzeug/wrappers.py', lines: '947', fact: 'status line reason phrases in capitals' },
    ],
  },
  {
    repositories: ['docker.io/mccutchen/go-httpbin', 'ghcr.io/mccutchen/go-httpbin'],
    readAt: 'v2.25.0',
    tags: (tag) => /^v?2\./.test(tag) || tag === 'latest',
    base: 'gcr.io/distroless/static:nonroot, a static Go binary',
    client: STATIC_GO,
    tools: [],
    listens: server(
      { entrypoint: [], cmd: ['/bin/go-httpbin'] },
      (run, argv) => portFrom(run, argv, 'PORT', 8080, 'port'),
      () => httpbinRoutes(false),
    ),
    sources: [
      { repo: 'mccutchen/go-httpbin', ref: 'v2.25.0', path: 'httpbin/cmd/cmd.go', lines: '27-28,195,277-282', fact: 'default port 8080; -port, else PORT' },
      { repo: 'mccutchen/go-httpbin', ref: 'v2.25.0', path: 'Dockerfile', lines: '11,15', fact: 'FROM distroless/static:nonroot; CMD /bin/go-httpbin; EXPOSE 8080' },
      { repo: 'mccutchen/go-httpbin', ref: 'v2.25.0', path: 'httpbin/httpbin.go', lines: '164-232', fact: 'GET /, GET /get, POST /post, PUT /put, PATCH /patch, DELETE /delete, /anything, /status/{code}' },
      { repo: 'mccutchen/go-httpbin', ref: 'v2.25.0', path: 'httpbin/middleware.go', lines: '13-35,57-64', fact: 'OPTIONS answered 200 on every path; HEAD on GET routes' },
    ],
  },
  {
    // gcr.io/kubernetes-e2e-test-images is where the e2e test images (test/images/) were pushed before
    // k8s.gcr.io/e2e-test-images, now registry.k8s.io/e2e-test-images (Cilium's mutual-auth example runs echoserver:2.2 from there).
    repositories: ['registry.k8s.io/echoserver', 'k8s.gcr.io/echoserver', 'gcr.io/google_containers/echoserver', 'registry.k8s.io/e2e-test-images/echoserver', 'gcr.io/kubernetes-e2e-test-images/echoserver'],
    readAt: '1.10 and 2.x',
    tags: (tag) => /^(1\.(4|10)|2\.\d+)$/.test(tag),
    base: 'nginx with lua (nginx-slim for 1.x, nginx:1.15-alpine for 2.x)',
    client: ALPINE,
    tools: ['busybox wget, nc, ping (2.x; no curl)'],
    listens: (run) =>
      run.command || run.args
        ? { unknown: `${run.image} runs ${[...(run.command ?? []), ...(run.args ?? [])].join(' ')}, not its nginx` }
        : {
            sockets: [
              { port: 8080, protocol: 'TCP', http: echoserver },
              { port: 8443, protocol: 'TCP', http: echoserver, tls: true },
            ],
          },
    sources: [
      { repo: 'kubernetes/ingress-nginx', ref: '3731f515', path: 'images/echoheaders/nginx.conf', lines: '63-64,76-78', fact: 'listen 8080 and 8443 ssl; location / echoes every request (content_by_lua)' },
      { repo: 'kubernetes/kubernetes', ref: '729007a8', path: 'test/images/echoserver/nginx.conf', fact: 'listen 8080 and 8443 ssl; location / content_by_lua_block' },
    ],
  },
  {
    repositories: ['docker.io/hashicorp/http-echo'],
    readAt: 'v1.0.0',
    tags: (tag) => /^(v?1\.0\.0|latest)$/.test(tag),
    base: 'gcr.io/distroless/static-debian12:nonroot, a static Go binary',
    client: STATIC_GO,
    tools: [],
    listens: server(
      { entrypoint: ['/http-echo'], cmd: [] },
      (run, argv) => {
        const listen = flagValue(argv, 'listen') ?? ':5678';
        return portOf(listen.slice(listen.lastIndexOf(':') + 1)) ?? { unknown: `${run.image}: -listen=${listen} is not host:port` };
      },
      (argv) => {
        const code = Number(flagValue(argv, 'status-code') ?? 200);
        return (_m, target) => reply(pathOf(target) === '/health' ? 200 : code);
      },
    ),
    sources: [
      { repo: 'hashicorp/http-echo', ref: 'v1.0.0', path: 'main.go', lines: '20-63,96-106', fact: '-listen (default :5678), -status-code (default 200) for every path but /health (200)' },
      { repo: 'hashicorp/http-echo', ref: 'v1.0.0', path: 'Dockerfile', lines: '4,21-25', fact: 'distroless static nonroot; EXPOSE 5678; ENTRYPOINT /http-echo' },
    ],
  },
  {
    repositories: ['docker.io/jmalloc/echo-server'],
    readAt: 'v0.3.7',
    tags: () => true,
    base: 'scratch',
    client: STATIC_GO,
    tools: [],
    listens: server(
      { entrypoint: ['/bin/echo-server'], cmd: [] },
      (run, argv) => portFrom(run, argv, 'PORT', 8080),
      () => ANY_OK,
    ),
    sources: [{ repo: 'jmalloc/echo-server', ref: 'v0.3.7', path: 'cmd/echo-server/main.go', lines: '25-28,191-205', fact: 'PORT (default 8080); every request answered 200' }],
  },
  {
    repositories: ['docker.io/ealen/echo-server'],
    readAt: '0.9.2',
    tags: () => true,
    base: 'node:lts-alpine (musl)',
    client: ALPINE,
    tools: ['busybox wget, nc, ping', 'node'],
    listens: server(
      { entrypoint: ['node', 'webserver'], cmd: [] },
      (run, argv) => portFrom(run, argv, 'PORT', 80, 'port'),
      () => ealenEcho,
    ),
    sources: [
      { repo: 'Ealenn/Echo-Server', ref: '0.9.2', path: 'src/global.json', lines: '2,41-45', fact: 'port 80; echo_code / x-echo-code set the status (200-599)' },
      { repo: 'Ealenn/Echo-Server', ref: '0.9.2', path: 'src/nconf.js', lines: '4-15', fact: 'argv --port, then env PORT' },
      { repo: 'Ealenn/Echo-Server', ref: '0.9.2', path: 'src/app.js', lines: '37-42', fact: "app.all('*'): every path and method" },
      { repo: 'Ealenn/Echo-Server', ref: '0.9.2', path: 'Dockerfile', lines: '9-14', fact: 'FROM node:lts-alpine; ENTRYPOINT node webserver' },
    ],
  },
  {
    repositories: ['docker.io/cilium/starwars', 'quay.io/cilium/starwars'],
    readAt: 'v1.0 and v2.x',
    tags: (tag) => /^v[12]\.\d+$/.test(tag),
    base: 'alpine:3.7 (v1.0); scratch (v2.x)',
    client: ALPINE,
    tools: ['busybox (v1.0 only)'],
    // The port is given as flags in the ENTRYPOINT, which a manifest's args do not replace.
    listens: (run) => (run.command ? { unknown: `${run.image} runs ${run.command.join(' ')}, not the deathstar` } : { sockets: [{ port: 80, protocol: 'TCP', http: deathstar }] }),
    sources: [
      { repo: 'cilium/starwars-docker', ref: 'v2.3', path: 'Dockerfile', lines: '15-16', fact: 'ENTRYPOINT /starwars-docker --port 80 --host 0.0.0.0' },
      { repo: 'cilium/starwars-docker', ref: 'v2.3', path: 'swagger.yaml', lines: '7,14-42', fact: 'basePath /v1: GET /, PUT /exhaust-port, POST /request-landing' },
      { repo: 'cilium/starwars-docker', ref: 'v2.3', path: 'restapi/configure_deathstar.go', lines: '35-88', fact: 'request-landing 200 "Ship landed"; exhaust-port 503 (then the process panics)' },
    ],
  },
  {
    repositories: ['docker.io/wbitt/network-multitool', 'docker.io/praqma/network-multitool'],
    readAt: '3.22.2-3',
    tags: () => true,
    base: 'alpine:3.22 (musl)',
    client: { resolver: 'musl', curl: '7.88', ping: 'iputils' },
    tools: ['curl', 'GNU wget', 'busybox nc', 'iputils ping', 'dig', 'bash'],
    listens: (run) => {
      if (run.command) return { unknown: `${run.image} runs ${run.command.join(' ')}, not its nginx` };
      const http = portFrom(run, [], 'HTTP_PORT', 80);
      const https = portFrom(run, [], 'HTTPS_PORT', 443);
      if (typeof http !== 'number') return http;
      if (typeof https !== 'number') return https;
      return {
        sockets: [
          { port: http, protocol: 'TCP', http: nginxStatic },
          { port: https, protocol: 'TCP', http: nginxStatic, tls: true },
        ],
      };
    },
    sources: [
      { repo: 'wbitt/Network-MultiTool', ref: '2e883bc7', path: 'entrypoint.sh', lines: '40-52', fact: 'HTTP_PORT and HTTPS_PORT replace 80 and 443 in nginx.conf; then nginx' },
      { repo: 'wbitt/Network-MultiTool', ref: '2e883bc7', path: 'Dockerfile', lines: '1,5,10-14', fact: 'FROM alpine:3.22; apk add curl wget iputils bind-tools bash ...; EXPOSE 80 443' },
    ],
  },
  {
    repositories: ['docker.io/library/python'],
    readAt: '3.14 (Debian trixie)',
    tags: (tag) => !/alpine/.test(tag),
    base: 'buildpack-deps:trixie (Debian 13, glibc)',
    client: { resolver: 'glibc', curl: '7.88', ping: 'iputils' },
    tools: ['curl', 'GNU wget', 'bash', 'python3'],
    listens: (run) => {
      const argv = effectiveArgv(run, [], ['python3']);
      const at = argv.findIndex((w, i) => w === '-m' && argv[i + 1] === 'http.server');
      if (argv.join(' ') === 'python3') return { sockets: [] };
      if (at < 0 || !/^python3?(\.\d+)?$/.test(argv[0]!.split('/').at(-1)!)) return { unknown: `${run.image} runs ${argv.join(' ')}, which the catalog cannot read` };
      const rest = argv.slice(at + 2);
      const positional = rest.find((w, i) => /^\d+$/.test(w) && !['-b', '--bind', '-d', '--directory', '-p', '--protocol'].includes(rest[i - 1] ?? ''));
      const port = positional === undefined ? 8000 : portOf(positional);
      return port === undefined ? { unknown: `${run.image}: ${positional} is not a port` } : { sockets: [{ port, protocol: 'TCP', http: pythonHttp }] };
    },
    sources: [
      { repo: 'docker-library/python', ref: '4f070595', path: '3.14/trixie/Dockerfile', lines: '7,130', fact: 'FROM buildpack-deps:trixie; CMD python3' },
      { repo: 'python/cpython', ref: 'v3.13.0', path: 'Lib/http/server.py', lines: '420-421,467,728,1297', fact: 'port 8000 by default; 404 "File not found"; 501 "Unsupported method (...)"' },
    ],
  },
];
