// Client images: curl, busybox and shell images that tutorials and the labs run as probe sources. None serves
// anything unless its command starts a server, which the catalog does not read.
import { effectiveArgv } from '../argv.ts';
import type { ClientProfile, ContainerRun, ImageEntry, Listening } from '../types.ts';

/**
 * Nothing listens when the container runs its image's own command, or only waits (sleep, tail -f, a shell loop
 * around sleep); a command that does more may start a server, so the catalog does not know.
 */
export function idleClient(entrypoint: readonly string[], cmd: readonly string[]) {
  return (run: ContainerRun): Listening => {
    const argv = effectiveArgv(run, entrypoint, cmd);
    const own = !run.command && !run.args;
    const script = argv.join(' ');
    const waits = /^(\S*\/)?(sleep \S+|tail -f \/dev\/null|pause)$/.test(script) || /^(\S*\/)?(a|ba)?sh -c (while (true|:); do )?sleep [^;&|]+(; done)?$/.test(script);
    return own || waits ? { sockets: [] } : { unknown: `${run.image} runs ${script}, which the catalog cannot tell serves nothing` };
  };
}

// Alpine's busybox has the nslookup applet (the minirootfs below); bind-tools, where an image adds it, puts bind's
// nslookup in its place.
const ALPINE_CURL_7: ClientProfile = { resolver: 'musl', curl: 'legacy-7', ping: 'busybox', nslookup: 'busybox' };
const ALPINE_CURL_8: ClientProfile = { resolver: 'musl', curl: '7.88', ping: 'busybox', nslookup: 'busybox' };
const ALPINE_ROOTFS = { repo: 'alpinelinux/docker-alpine', path: 'x86_64/Dockerfile', fact: 'FROM scratch, ADD alpine-minirootfs (busybox wget, nc, ping, nslookup, sh; no curl), CMD /bin/sh' };

export const CLIENT_IMAGES: ImageEntry[] = [
  {
    repositories: ['docker.io/byrnedo/alpine-curl'],
    readAt: '0.1.8',
    tags: (tag) => tag === '0.1.8',
    base: 'alpine:3.10 (musl)',
    client: ALPINE_CURL_7,
    tools: ['curl 7.66 (Alpine 3.10)', 'busybox wget, nc, ping, nslookup', 'ash'],
    listens: idleClient(['/usr/bin/curl'], []),
    sources: [{ repo: 'byrnedo/docker-alpine-curl', ref: '0.1.8', path: 'Dockerfile', lines: '1-5', fact: 'FROM alpine:3.10; apk add curl; ENTRYPOINT ["/usr/bin/curl"]' }],
  },
  {
    repositories: ['quay.io/cilium/alpine-curl', 'docker.io/cilium/alpine-curl'],
    readAt: '1.0, 1.1',
    tags: (tag) => tag === '1.0' || tag === '1.1',
    base: 'alpine:3.10 (musl)',
    // 1.1 adds iputils, whose /bin/ping replaces busybox's.
    client: { resolver: 'musl', curl: 'legacy-7', ping: 'iputils', nslookup: 'busybox' },
    tools: ['curl 7.66 (Alpine 3.10)', 'iputils ping (1.1)', 'busybox wget, nc, nslookup'],
    listens: idleClient(['/usr/bin/curl'], []),
    sources: [{ repo: 'cilium/alpine-curl', ref: '1.1 (a6ebc1cf)', path: 'Dockerfile', lines: '1-3', fact: 'FROM alpine:3.10; apk add curl iputils; ENTRYPOINT ["/usr/bin/curl"]' }],
  },
  {
    repositories: ['quay.io/cilium/alpine-curl', 'docker.io/cilium/alpine-curl'],
    readAt: 'v1.10.0',
    tags: (tag) => /^v1\.(1\d|[2-9]\d)\.\d+$/.test(tag),
    base: 'alpine:3.20 (musl)',
    client: { resolver: 'musl', curl: '7.88', ping: 'iputils', nslookup: 'bind' },
    tools: ['curl 8 (Alpine 3.20)', 'iputils ping', 'dig, nslookup (bind-tools)', 'tcpdump', 'pause'],
    listens: idleClient(['/usr/bin/curl'], []),
    sources: [{ repo: 'cilium/alpine-curl', ref: 'v1.10.0 (c6de649a)', path: 'Dockerfile', lines: '6-14', fact: 'FROM alpine:3.20.0; apk add curl iputils bind-tools tcpdump iproute2; /usr/bin/pause; ENTRYPOINT curl' }],
  },
  {
    repositories: ['docker.io/curlimages/curl'],
    readAt: '8.10.1',
    tags: (tag) => /^8\./.test(tag) || tag === 'latest',
    base: 'alpine:3.20.3 (musl); curl built from source, run as curl_user',
    client: ALPINE_CURL_8,
    tools: ['curl 8', 'busybox wget, nc, ping, nslookup', 'ash'],
    listens: idleClient(['/entrypoint.sh'], ['curl']),
    sources: [
      { repo: 'curl/curl-container', ref: '8.10.1 (c035be90)', path: 'Makefile', lines: '8,11', fact: 'base alpine:3.20.3; curl --enable-static, no c-ares (libc resolver)' },
      { repo: 'curl/curl-container', ref: '8.10.1 (c035be90)', path: 'etc/entrypoint.sh', lines: '10-14', fact: 'runs curl "$@" unless the first argument is a command' },
    ],
  },
  {
    repositories: ['docker.io/library/busybox'],
    readAt: '1.36 (glibc variant)',
    // The plain tags are the glibc build since December 2022 (busybox 1.36); -musl and -uclibc tags name theirs.
    tags: (tag) => tag === 'latest' || tag === 'stable' || /^1\.(3[6-9]|[4-9]\d)(\.\d+)?(-glibc)?$/.test(tag),
    base: 'busybox built against glibc (libnss_dns)',
    client: { resolver: 'glibc', curl: '7.88', ping: 'busybox', nslookup: 'busybox' },
    tools: ['busybox wget, nc, ping, nslookup, httpd (no curl)', 'sh'],
    listens: idleClient([], ['sh']),
    sources: [
      { repo: 'docker-library/busybox', ref: '9c208781', path: 'versions.sh', lines: '91-94', fact: 'variant order glibc, uclibc, musl: the plain tags are glibc' },
      { repo: 'docker-library/busybox', ref: '9c208781', path: 'latest/glibc/Dockerfile.builder', lines: '138-176', fact: 'ships libnss_dns: glibc resolves names' },
    ],
  },
  {
    repositories: ['docker.io/library/busybox'],
    readAt: '1.36-musl',
    tags: (tag) => /-musl$/.test(tag),
    base: 'busybox, static, built on Alpine (musl)',
    client: { resolver: 'musl', curl: '7.88', ping: 'busybox', nslookup: 'busybox' },
    tools: ['busybox wget, nc, ping, nslookup, httpd (no curl)', 'sh'],
    listens: idleClient([], ['sh']),
    sources: [{ repo: 'docker-library/busybox', ref: '9c208781', path: 'latest/musl/Dockerfile.builder', lines: '7,80', fact: 'FROM alpine; CONFIG_STATIC=y' }],
  },
  {
    repositories: ['docker.io/library/alpine'],
    readAt: '3.20',
    tags: (tag) => tag === 'latest' || /^3\.\d+(\.\d+)?$/.test(tag),
    base: 'alpine minirootfs (musl)',
    client: ALPINE_CURL_8,
    tools: ['busybox wget, nc, ping, nslookup (no curl)', 'ash'],
    listens: idleClient([], ['/bin/sh']),
    sources: [{ ...ALPINE_ROOTFS, ref: 'v3.20 (7d636733)' }],
  },
  {
    repositories: ['docker.io/nicolaka/netshoot'],
    readAt: 'v0.16',
    tags: () => true,
    base: 'alpine:3.24.1 (musl)',
    client: { resolver: 'musl', curl: '7.88', ping: 'iputils', nslookup: 'bind' },
    tools: ['curl', 'iputils ping', 'OpenBSD nc', 'dig, nslookup (bind-tools)', 'busybox wget', 'bash', 'zsh'],
    listens: idleClient([], ['zsh']),
    sources: [{ repo: 'nicolaka/netshoot', ref: 'v0.16 (d0aa4b51)', path: 'Dockerfile', lines: '10-74,92-108', fact: 'FROM alpine:3.24.1; apk add curl iputils netcat-openbsd bind-tools bash zsh ...; CMD zsh' }],
  },
];
