// cilium/json-mock: json-server behind a start script, the echo server of Cilium's connectivity tests and the
// labs' backend.
import { effectiveArgv, portOf, unknownVariable } from '../argv.ts';
import { reply } from '../http.ts';
import type { HttpReply, ImageEntry } from '../types.ts';

const AT = { repo: 'cilium/json-mock', ref: '1.2 (c402f8f)' };

/** json-server on /default.json: the collections "private" and "public", each with the item of id 1. */
const COLLECTIONS = ['public', 'private'];

/**
 * json-server v0.15.1's middleware and routes (express, non-strict routing): cors answers every OPTIONS as a
 * preflight (204); the static home page at /; /db; GET a collection or an item; POST to a collection creates (201);
 * PUT, PATCH and DELETE of an existing item; anything else reaches the router's last handler, 404 (never 405).
 */
function jsonServer(method: string, target: string): HttpReply {
  if (method === 'OPTIONS') return reply(204);
  const parts = target.split('?')[0]!.replace(/\/+$/, '').split('/').slice(1);
  const read = method === 'GET' || method === 'HEAD';
  if (parts.length === 0 || (parts.length === 1 && parts[0] === '')) return reply(read ? 200 : 404);
  if (parts.length === 1 && parts[0] === 'db') return reply(read ? 200 : 404);
  const [collection, id] = parts;
  if (!COLLECTIONS.includes(collection!)) return reply(404);
  if (parts.length === 1) return reply(read ? 200 : method === 'POST' ? 201 : 404);
  if (parts.length === 2 && id === '1' && (read || ['PUT', 'PATCH', 'DELETE'].includes(method))) return reply(200);
  return reply(404);
}

export const JSON_MOCK: ImageEntry = {
  repositories: ['docker.io/cilium/json-mock', 'quay.io/cilium/json-mock'],
  readAt: '1.2',
  tags: (tag) => tag === '1.2',
  base: 'node:12.11.1-slim, built from debian:stretch-slim (Debian 9, glibc)',
  // glibc's resolver and Debian 9's curl 7.52 (the node image keeps the curl and wget it installs). It has no ping:
  // the profile's ping is what a Debian image would have.
  client: { resolver: 'glibc', curl: 'legacy-7', ping: 'iputils' },
  tools: ['curl 7.52 (Debian 9)', 'GNU wget 1.18', 'bash', 'node'],
  listens: (run) => {
    // run.sh: json-server --port $PORT, else --port 80, on every address (--host '').
    const argv = effectiveArgv(run, ['bash', '/run.sh'], []);
    if (argv[0] !== 'bash' || argv[1] !== '/run.sh') return { unknown: `${run.image} runs ${argv.join(' ')}, not its start script` };
    const unknownPort = unknownVariable(run, 'PORT');
    if (unknownPort) return { unknown: `${run.image}: ${unknownPort}` };
    const set = run.env.get('PORT');
    const port = set ? portOf(set) : 80;
    if (port === undefined) return { unknown: `${run.image}: PORT=${set} is not a port number` };
    return { sockets: [{ port, protocol: 'TCP', http: jsonServer }] };
  },
  sources: [
    { ...AT, path: 'Dockerfile', lines: '1-6', fact: 'FROM node:12.11.1-slim; npm install -g json-server; ENTRYPOINT ["bash", "/run.sh"]' },
    { ...AT, path: 'run.sh', lines: '3-17', fact: "json-server --host '' --port $PORT (80 when PORT is empty) --watch $FILE (/default.json)" },
    { ...AT, path: 'default.json', fact: 'collections "private" and "public", one item of id 1 each' },
    { repo: 'nodejs/docker-node', ref: '963d24a9', path: '12/stretch-slim/Dockerfile', lines: '1,8,20,45', fact: 'FROM debian:stretch-slim; apt-get install curl wget ...; only xz-utils purged' },
    // The Dockerfile does not pin json-server: at the tag's date (2020-01-31) the newest release was v0.15.1, and
    // v0.16.0 changes nothing that answers a request.
    { repo: 'typicode/json-server', ref: 'v0.15.1', path: 'src/server/router/plural.js', lines: '258-280,347-357', fact: 'GET and POST on a collection (create: 201), GET/PUT/PATCH/DELETE on /:id' },
    { repo: 'typicode/json-server', ref: 'v0.15.1', path: 'src/server/router/index.js', lines: '45-84', fact: 'GET /db; a request no route answered gets 404 {}' },
    { repo: 'typicode/json-server', ref: 'v0.15.1', path: 'src/server/defaults.js', lines: '12-71', fact: 'cors (OPTIONS: 204), static home page from dist/ at /' },
  ],
};
