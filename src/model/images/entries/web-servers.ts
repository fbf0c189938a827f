// Web servers tutorials deploy as the thing to protect: nginx, its unprivileged build, the e2e mirror of nginx,
// Apache httpd. Their ports come from their configuration, so a configuration mounted over the image's makes them
// unknown.
import { effectiveArgv } from '../argv.ts';
import { pathOf, reply } from '../http.ts';
import type { ClientProfile, ContainerRun, HttpReply, ImageEntry, Listening } from '../types.ts';

const NGINX_SRC = { repo: 'nginxinc/docker-nginx', ref: 'b430becb (1.27.4)' };
const NGINX_CODE = { repo: 'nginx/nginx', ref: 'release-1.29.8' };
const UNPRIVILEGED = { repo: 'nginxinc/docker-nginx-unprivileged', ref: '8ead5ced (1.27.4)' };
const HTTPD = { repo: 'docker-library/httpd', ref: '9b63b37c (2.4.68)' };
const HTTPD_CODE = { repo: 'apache/httpd', ref: '2.4.62' };

/**
 * nginx's static location with the package's default.conf: files / (index.html), /index.html and /50x.html. GET
 * and HEAD read a file or 404; POST to a file is "405 Not Allowed" (ngx_http_static_module refuses it after the
 * open, so a missing file is 404 first); any other method is 405 on every path, checked before the path.
 */
export function nginxStatic(method: string, target: string): HttpReply {
  const exists = ['/', '/index.html', '/50x.html'].includes(pathOf(target));
  if (method === 'GET' || method === 'HEAD') return reply(exists ? 200 : 404);
  if (method === 'POST' && !exists) return reply(404);
  return reply(405, 'Not Allowed');
}

/** Apache's default handler serves GET and POST alike on a file; PUT, DELETE, PATCH 405; OPTIONS and TRACE 200; an unknown method 501. */
function httpdStatic(method: string, target: string): HttpReply {
  const exists = ['/', '/index.html'].includes(pathOf(target));
  if (['GET', 'HEAD', 'POST'].includes(method)) return reply(exists ? 200 : 404);
  if (method === 'OPTIONS' || method === 'TRACE') return reply(200);
  return reply(['PUT', 'DELETE', 'PATCH'].includes(method) ? 405 : 501);
}

/** A server configured by files under these folders, started by its image's own command. */
function configuredServer(own: { entrypoint: string[]; cmd: string[] }, configDirs: readonly string[], port: number, http: (m: string, t: string) => HttpReply) {
  return (run: ContainerRun): Listening => {
    const argv = effectiveArgv(run, own.entrypoint, own.cmd);
    if (argv.join(' ') !== [...own.entrypoint, ...own.cmd].join(' ')) return { unknown: `${run.image} runs ${argv.join(' ')}, not its own command` };
    const mounted = run.mounts.find((m) => configDirs.some((d) => m === d || m.startsWith(`${d}/`) || d.startsWith(`${m.replace(/\/$/, '')}/`)));
    if (mounted) return { unknown: `${run.image} has a volume mounted at ${mounted}, over its configuration or content` };
    return { sockets: [{ port, protocol: 'TCP', http }] };
  };
}

const NGINX_COMMAND = { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] };
const NGINX_DIRS = ['/etc/nginx', '/usr/share/nginx/html'];
const DEBIAN_12: ClientProfile = { resolver: 'glibc', curl: '7.88', ping: 'iputils' };
const ALPINE: ClientProfile = { resolver: 'musl', curl: '7.88', ping: 'busybox' };
const alpineTag = (tag: string) => /(^|-)alpine/.test(tag);

const nginxSources = (variant: string) => [
  {
    ...NGINX_SRC,
    path: `mainline/${variant}/Dockerfile`,
    fact: variant === 'debian' ? 'FROM debian:bookworm-slim; apt-get install nginx ... curl; EXPOSE 80; CMD nginx -g daemon off;' : 'FROM nginx:alpine-slim (alpine:3.21); apk add curl',
  },
  { repo: 'nginx/pkg-oss', ref: '1.27.4-1', path: 'debian/debian/nginx.default.conf', lines: '2', fact: 'listen 80; location / { root /usr/share/nginx/html; index index.html index.htm; }' },
  { ...NGINX_SRC, path: 'entrypoint/docker-entrypoint.sh', lines: '12-45', fact: 'runs /docker-entrypoint.d/*.sh (templates, IPv6 listen) before nginx; no port variable' },
  { ...NGINX_CODE, path: 'src/http/modules/ngx_http_static_module.c', lines: '63-65,103-117,217-219', fact: 'only GET, HEAD, POST; missing file 404; POST to a file NGX_HTTP_NOT_ALLOWED' },
  { ...NGINX_CODE, path: 'src/http/ngx_http_header_filter_module.c', lines: '92', fact: 'status line "405 Not Allowed"' },
];

export const WEB_SERVERS: ImageEntry[] = [
  {
    repositories: ['docker.io/library/nginx', 'mirror.gcr.io/library/nginx', 'public.ecr.aws/nginx/nginx'],
    readAt: '1.27.4 (Debian)',
    tags: (tag) => !alpineTag(tag),
    base: 'debian:bookworm-slim (glibc)',
    client: DEBIAN_12,
    tools: ['curl 7.88 (Debian 12)', 'bash'],
    listens: configuredServer(NGINX_COMMAND, NGINX_DIRS, 80, nginxStatic),
    sources: nginxSources('debian'),
  },
  {
    repositories: ['docker.io/library/nginx', 'mirror.gcr.io/library/nginx', 'public.ecr.aws/nginx/nginx'],
    readAt: '1.27.4-alpine',
    // -alpine has had curl since 2020 (docker-nginx 87f9340); -alpine-slim has none, but serves alike.
    tags: alpineTag,
    base: 'alpine:3.21 (musl)',
    client: ALPINE,
    tools: ['curl (not in -alpine-slim)', 'busybox wget, nc, ping, nslookup', 'ash'],
    listens: configuredServer(NGINX_COMMAND, NGINX_DIRS, 80, nginxStatic),
    sources: nginxSources('alpine'),
  },
  {
    repositories: ['docker.io/nginxinc/nginx-unprivileged'],
    readAt: '1.27.4',
    tags: () => true,
    base: 'debian:bookworm-slim, or alpine:3.21 for -alpine tags',
    client: DEBIAN_12,
    tools: ['curl (not in -alpine-slim)'],
    listens: configuredServer(NGINX_COMMAND, NGINX_DIRS, 8080, nginxStatic),
    sources: [{ ...UNPRIVILEGED, path: 'mainline/debian/Dockerfile', lines: '139,156,160', fact: "sed 's,listen 80;,listen 8080;,' default.conf; EXPOSE 8080; USER 101" }, ...nginxSources('debian').slice(3)],
  },
  {
    repositories: ['registry.k8s.io/e2e-test-images/nginx'],
    readAt: '1.14-4',
    tags: (tag) => /^1\.14/.test(tag),
    base: 'nginx:1.14-alpine (musl), mirrored',
    client: ALPINE,
    tools: ['busybox wget, nc, ping, nslookup (no curl)'],
    listens: configuredServer(NGINX_COMMAND, NGINX_DIRS, 80, nginxStatic),
    sources: [
      { repo: 'kubernetes/kubernetes', ref: '05c351a9', path: 'test/images/nginx/Dockerfile', fact: 'FROM $BASEIMAGE: a mirror' },
      { repo: 'kubernetes/kubernetes', ref: '01aa0f3f', path: 'test/images/nginx/BASEIMAGE', lines: '1', fact: 'linux/amd64=nginx:1.14-alpine' },
      ...nginxSources('debian').slice(1, 2),
      ...nginxSources('debian').slice(3),
    ],
  },
  {
    repositories: ['docker.io/library/httpd'],
    readAt: '2.4.68',
    tags: (tag) => !alpineTag(tag),
    base: 'debian:trixie-slim (glibc)',
    client: DEBIAN_12,
    tools: ['bash (no curl, wget, nc or ping)'],
    listens: configuredServer({ entrypoint: [], cmd: ['httpd-foreground'] }, ['/usr/local/apache2/conf', '/usr/local/apache2/htdocs'], 80, httpdStatic),
    sources: [
      { ...HTTPD, path: '2.4/Dockerfile', lines: '1,15-20,233', fact: 'FROM debian:trixie-slim; no probe clients installed; EXPOSE 80; CMD httpd-foreground' },
      { ...HTTPD_CODE, path: 'docs/conf/httpd.conf.in', lines: '52', fact: 'Listen @@Port@@ (configure default 80)' },
      { ...HTTPD_CODE, path: 'server/core.c', lines: '4918,4953-4963,5218-5219', fact: 'default_handler serves POST like GET (deliver_script = 1)' },
    ],
  },
];
