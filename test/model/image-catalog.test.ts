// The image catalog: a server is what its image does, whatever its manifest declares. Each expectation below is a
// fact an entry cites from the image's own source (src/model/images/entries).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkDocs } from '../support/check-docs.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { lintSuite } from '../../src/lint/lint.ts';
import { CATALOG, defaultTcpPort, lookupImage, podListening } from '../../src/model/images/catalog.ts';
import { parseImageRef } from '../../src/model/images/reference.ts';
import type { ContainerRun } from '../../src/model/images/types.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { fixture, REPO } from '../support/fixture.ts';
import { deployment, service, TestCluster, WORLD } from '../support/model.ts';

const run = (image: string, more: Partial<ContainerRun> = {}): ContainerRun => ({ image, env: new Map(), unknownEnv: new Set(), mounts: [], ...more });
const listens = (image: string, more: Partial<ContainerRun> = {}) => {
  const found = lookupImage(image);
  if (!('entry' in found)) throw new Error(found.unknown);
  return found.entry.listens(run(image, more));
};
const ports = (image: string, more: Partial<ContainerRun> = {}) => {
  const l = listens(image, more);
  return 'sockets' in l ? l.sockets.map((s) => `${s.port}/${s.protocol}${s.http ? '/http' : ''}${s.tls ? 's' : ''}`) : l.unknown;
};
const answer = (image: string, method: string, target: string, more: Partial<ContainerRun> = {}) => {
  const l = listens(image, more);
  if (!('sockets' in l)) throw new Error(l.unknown);
  const reply = l.sockets.find((s) => s.http)!.http!(method, target);
  return `${reply.status} ${reply.reason}`;
};

const JSON_MOCK = 'docker.io/cilium/json-mock:1.2';
const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.52';

describe('image references', () => {
  it('normalise as the container runtime does: docker.io, library/, :latest, a registry with a port', () => {
    expect(parseImageRef('nginx')).toEqual({ repository: 'docker.io/library/nginx', tag: 'latest' });
    expect(parseImageRef('cilium/json-mock:1.2')).toEqual({ repository: 'docker.io/cilium/json-mock', tag: '1.2' });
    expect(parseImageRef('index.docker.io/library/busybox:1.36')).toEqual({ repository: 'docker.io/library/busybox', tag: '1.36' });
    expect(parseImageRef('localhost:5000/app')).toEqual({ repository: 'localhost:5000/app', tag: 'latest' });
    expect(parseImageRef('quay.io/cilium/json-mock:1.2@sha256:abc')).toEqual({ repository: 'quay.io/cilium/json-mock', tag: '1.2', digest: 'sha256:abc' });
    expect(parseImageRef('registry.k8s.io/e2e-test-images/agnhost@sha256:abc')).toEqual({ repository: 'registry.k8s.io/e2e-test-images/agnhost', tag: '', digest: 'sha256:abc' });
  });

  it('a tag the catalog did not read, or an image it does not know, is unknown and says which', () => {
    expect(lookupImage('docker.io/cilium/json-mock:v1.4.1')).toEqual({ unknown: 'image docker.io/cilium/json-mock:v1.4.1: the catalog read docker.io/cilium/json-mock at 1.2, not at v1.4.1' });
    expect(lookupImage('example.com/team/app:3')).toEqual({ unknown: 'image example.com/team/app:3 is not in the image catalog' });
  });
});

describe('what listens', () => {
  it('json-mock serves on $PORT, else on 80 (its run.sh), never on a declared port alone', () => {
    expect(ports(JSON_MOCK)).toEqual(['80/TCP/http']);
    expect(ports(JSON_MOCK, { env: new Map([['PORT', '8080']]) })).toEqual(['8080/TCP/http']);
    expect(ports(JSON_MOCK, { unknownEnv: new Set(['PORT']) })).toMatch(/PORT is set from a reference/);
    expect(ports(JSON_MOCK, { env: new Map([['PORT', 'http']]) })).toMatch(/PORT=http is not a port number/);
    expect(ports(JSON_MOCK, { command: ['sleep', 'infinity'] })).toMatch(/runs sleep infinity, not its start script/);
  });

  it('agnhost: pause and connect serve nothing; netexec, serve-hostname and porter per their flags and variables', () => {
    expect(ports(AGNHOST)).toEqual([]);
    expect(ports(AGNHOST, { args: ['netexec'] })).toEqual(['8080/TCP/http', '8081/UDP']);
    expect(ports(AGNHOST, { args: ['netexec', '--http-port=80', '--udp-port', '-1', '--sctp-port=9000'] })).toEqual(['80/TCP/http', '9000/SCTP']);
    expect(ports(AGNHOST, { command: ['/agnhost', 'serve-hostname', '--tcp', '--http=false', '--port', '81'] })).toEqual(['81/TCP']);
    expect(ports(AGNHOST, { args: ['serve-hostname'] })).toEqual(['9376/TCP/http']);
    // serve-hostname refuses --http together with --tcp: it exits, serving nothing.
    expect(ports(AGNHOST, { args: ['serve-hostname', '--tcp'] })).toEqual([]);
    expect(
      ports(AGNHOST, {
        args: ['porter'],
        env: new Map([
          ['SERVE_SCTP_PORT_80', 'foo'],
          ['SERVE_TLS_PORT_443', 'x'],
          ['OTHER', '1'],
        ]),
      }),
    ).toEqual(['80/SCTP', '443/TCP/https']);
    expect(ports(AGNHOST, { args: ['liveness'] })).toMatch(/agnhost liveness, which the catalog has not read/);
  });

  it('nginx on 80 (unprivileged on 8080); a configuration mounted over its own is unknown', () => {
    expect(ports('nginx')).toEqual(['80/TCP/http']);
    expect(ports('nginx:1.27-alpine')).toEqual(['80/TCP/http']);
    expect(ports('nginxinc/nginx-unprivileged:1.27')).toEqual(['8080/TCP/http']);
    expect(ports('nginx', { mounts: ['/etc/nginx/conf.d'] })).toMatch(/volume mounted at \/etc\/nginx\/conf.d/);
    expect(ports('nginx', { mounts: ['/etc'] })).toMatch(/volume mounted at \/etc/);
    expect(ports('nginx', { mounts: ['/var/log/nginx'] })).toEqual(['80/TCP/http']);
  });

  it("demo servers' defaults and the variables and flags that move them", () => {
    expect(defaultTcpPort('mccutchen/go-httpbin')).toBe(8080);
    expect(defaultTcpPort('hashicorp/http-echo')).toBe(5678);
    expect(defaultTcpPort('gcr.io/google-samples/hello-app:1.0')).toBe(8080);
    expect(defaultTcpPort('traefik/whoami')).toBe(80);
    expect(ports('hashicorp/http-echo', { args: ['-listen=:8080', '-text=hi'] })).toEqual(['8080/TCP/http']);
    expect(ports('traefik/whoami', { env: new Map([['WHOAMI_PORT_NUMBER', '9000']]) })).toEqual(['9000/TCP/http']);
    expect(ports('traefik/whoami', { args: ['--port', '7000'], env: new Map([['WHOAMI_PORT_NUMBER', '9000']]) })).toEqual(['7000/TCP/http']);
    expect(ports('wbitt/network-multitool', { env: new Map([['HTTP_PORT', '1180']]) })).toEqual(['1180/TCP/http', '443/TCP/https']);
    expect(ports('python:3', { command: ['python', '-m', 'http.server', '9000'] })).toEqual(['9000/TCP/http']);
    expect(ports('python:3')).toEqual([]);
  });

  it('client images serve nothing while they wait; a command that may start a server is unknown', () => {
    expect(ports('busybox:1.36', { command: ['sleep', '3600'] })).toEqual([]);
    expect(ports('docker.io/byrnedo/alpine-curl:0.1.8', { command: ['/bin/ash', '-c', 'sleep 1000000000'] })).toEqual([]);
    expect(ports('curlimages/curl:8.10.1')).toEqual([]);
    expect(ports('busybox:1.36', { command: ['httpd', '-f', '-p', '8080'] })).toMatch(/cannot tell serves nothing/);
  });
});

describe('what a server answers', () => {
  it('json-server: the home page, collections, 201 on a POST that creates, 404 for the rest (never 405), 204 to OPTIONS', () => {
    expect(answer(JSON_MOCK, 'GET', '/')).toBe('200 OK');
    expect(answer(JSON_MOCK, 'HEAD', '/public')).toBe('200 OK');
    expect(answer(JSON_MOCK, 'GET', '/private?x=1')).toBe('200 OK');
    expect(answer(JSON_MOCK, 'POST', '/public')).toBe('201 Created');
    expect(answer(JSON_MOCK, 'POST', '/')).toBe('404 Not Found');
    expect(answer(JSON_MOCK, 'PUT', '/public')).toBe('404 Not Found');
    expect(answer(JSON_MOCK, 'PUT', '/public/1')).toBe('200 OK');
    expect(answer(JSON_MOCK, 'GET', '/public/2')).toBe('404 Not Found');
    expect(answer(JSON_MOCK, 'GET', '/nope')).toBe('404 Not Found');
    expect(answer(JSON_MOCK, 'OPTIONS', '/nope')).toBe('204 No Content');
  });

  it('nginx says "405 Not Allowed" to a POST on a file, 404 to one on no file; httpd serves POST like GET', () => {
    expect(answer('nginx', 'POST', '/')).toBe('405 Not Allowed');
    expect(answer('nginx', 'POST', '/missing')).toBe('404 Not Found');
    expect(answer('nginx', 'DELETE', '/missing')).toBe('405 Not Allowed');
    expect(answer('nginx', 'GET', '/index.html')).toBe('200 OK');
    expect(answer('httpd', 'POST', '/')).toBe('200 OK');
    expect(answer('httpd', 'PUT', '/')).toBe('405 Method Not Allowed');
    expect(answer('httpd', 'FOO', '/')).toBe('501 Not Implemented');
  });

  it('agnhost netexec answers every path, /echo with the code asked for; the deathstar and python their own way', () => {
    expect(answer(AGNHOST, 'DELETE', '/anything', { args: ['netexec'] })).toBe('200 OK');
    expect(answer(AGNHOST, 'GET', '/echo?msg=x&code=503', { args: ['netexec'] })).toBe('503 Service Unavailable');
    expect(answer('cilium/starwars:v1.0', 'POST', '/v1/request-landing')).toBe('200 OK');
    expect(answer('cilium/starwars:v1.0', 'PUT', '/v1/exhaust-port')).toBe('503 Service Unavailable');
    expect(answer('cilium/starwars:v1.0', 'GET', '/v1/request-landing')).toBe('405 Method Not Allowed');
    expect(answer('python:3', 'POST', '/', { command: ['python3', '-m', 'http.server'] })).toBe("501 Unsupported method ('POST')");
    expect(answer('kennethreitz/httpbin', 'GET', '/post')).toBe('405 METHOD NOT ALLOWED');
  });
});

describe('the model follows the image', () => {
  // cilium-cli's echo deployment as this project first wrote it: containerPort 8080, no PORT.
  const echo = (env?: string) => new TestCluster(WORLD).apply(deployment('client'), deployment('echo', { image: JSON_MOCK, ports: '[{ containerPort: 8080, name: http-8080 }]', env }), service('echo', 8080, 8080));

  it('a declared port the image does not listen on is refused, as on a cluster; with PORT set it answers', () => {
    const unset = echo().probe('client', 'http://echo:8080/');
    expect(unset.observation).toEqual({ outcome: 'refused' });
    expect(unset.trace.map((t) => t.text)).toContain('default/echo-0 does not answer 8080/TCP');
    expect(echo('[{ name: PORT, value: "8080" }]').probe('client', 'http://echo:8080/').observation).toEqual({ outcome: 'ok', status: 200 });
  });

  it("a POST is answered as json-server answers it, in curl's words", () => {
    const post = echo('[{ name: PORT, value: "8080" }]').probe('client', 'POST http://echo:8080/public');
    expect(post.observation).toEqual({ outcome: 'ok', status: 201 });
    expect(post.exec.stdout).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
    const nginx = new TestCluster(WORLD).apply(deployment('client'), deployment('web', { image: 'nginx:1.27' }));
    const pod = nginx.pod('web');
    expect(nginx.probe('client', `POST http://${pod.ip}/`).exec.stdout).toMatch(/^HTTP\/1\.1 405 Not Allowed\r\n/);
  });

  it('an image the catalog does not know keeps its declared ports, and the prediction says it assumed them', () => {
    const c = new TestCluster(WORLD).apply(deployment('client'), deployment('app', { image: 'example.com/team/app:3', ports: '[{ containerPort: 9000 }]' }), service('app', 80, 9000));
    const served = c.probe('client', 'http://app:80/');
    expect(served.observation).toEqual({ outcome: 'ok', status: 200 });
    expect(served.assumed).toBe('image example.com/team/app:3 is not in the image catalog: its declared ports are trusted');
    expect(served.trace.map((t) => t.text)).toContain(`assumed: ${served.assumed}`);
    // A port nothing declares is refused on that assumption too, and says so.
    const other = c.probe('client', `http://${c.pod('app').ip}:9001/`);
    expect(other.observation).toEqual({ outcome: 'refused' });
    expect(other.assumed).toMatch(/not in the image catalog/);
    // A known image says nothing of the kind.
    expect(echo().probe('client', 'http://echo:8080/').assumed).toBeUndefined();
  });

  it('curl to a socket that does not speak HTTP is not predicted', () => {
    const c = new TestCluster(WORLD).apply(deployment('client'), deployment('raw', { image: AGNHOST }));
    c.cluster.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'raw-tcp', namespace: 'default', labels: { app: 'raw-tcp' } },
      spec: { containers: [{ name: 'c', image: AGNHOST, args: ['serve-hostname', '--tcp', '--http=false', '--port', '81'] }] },
    } as never);
    const sim = c.probe('client', `http://${c.pod('raw-tcp').ip}:81/`);
    expect(sim.observation.outcome).toBe('unpredicted');
    expect(sim.unpredicted).toMatch(/serves 81\/TCP, but not HTTP/);
  });
});

describe('lint and docs check', () => {
  it('lint names a declared port its image does not listen on, at the line that declares it', async () => {
    const dir = await fixture({
      'apps/echo.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: echo }
spec:
  selector: { matchLabels: { app: echo } }
  template:
    metadata: { labels: { app: echo } }
    spec:
      containers:
        - name: echo
          image: ${JSON_MOCK}
          ports:
            - containerPort: 8080
`,
      'echo.suite.yaml': 'name: echo\nmanifestDir: .\napps: [echo]\nsteps:\n  - name: nothing\n    expect: {}\n',
    });
    const findings = await lintSuite(await loadSuite(path.join(dir, 'echo.suite.yaml')));
    expect(findings.filter((f) => f.rule === 'declared-port-not-served').map((f) => ({ ...f, file: path.resolve(f.file) }))).toEqual([
      { file: path.join(dir, 'apps/echo.yaml'), line: 13, rule: 'declared-port-not-served', message: `container echo declares containerPort 8080/TCP, but ${JSON_MOCK} listens on 80/TCP (image catalog): a probe of 8080 is refused` },
    ]);
  });

  it("docs check does not judge a claim that rests on an unknown server's declared ports", async () => {
    const dir = await fixture({
      'README.md': [
        '# App',
        '```bash\nkubectl create deployment app --image=example.com/team/app:3 --port=9000\nkubectl expose deployment app --port=9000\nkubectl run client --image=curlimages/curl:8.10.1 --rm -it --restart=Never -- curl -sI app:9000\n```',
        '```\nHTTP/1.1 200 OK\n```',
      ].join('\n\n'),
    });
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    const check = await checkDocs(extraction, suite);
    expect(check.claims.map((c) => [c.verdict, c.why])).toEqual([['not-checkable', "the image's ports are not known: image example.com/team/app:3 is not in the image catalog: its declared ports are trusted"]]);
  });
});

describe('the catalog and the project', () => {
  it('every entry cites the source of its facts', () => {
    for (const entry of CATALOG) {
      expect(entry.sources.length, entry.repositories[0]).toBeGreaterThan(0);
      for (const s of entry.sources)
        expect(
          [s.repo, s.ref, s.path, s.fact].every((x) => x.length > 0),
          `${entry.repositories[0]}: ${JSON.stringify(s)}`,
        ).toBe(true);
    }
  });

  it("every container of the project's apps runs an image the catalog knows, and declares only ports it serves", async () => {
    const dir = path.join(REPO, 'manifests/apps');
    for (const file of await readdir(dir)) {
      const docs = parseAllDocuments(await readFile(path.join(dir, file), 'utf8')).map((d) => d.toJS() as { kind?: string; spec?: { template?: { spec?: { containers?: unknown[] } } } });
      for (const doc of docs.filter((d) => d?.kind === 'Deployment' || d?.kind === 'Pod')) {
        const containers = (doc.spec?.template?.spec?.containers ?? (doc.spec as { containers?: unknown[] }).containers ?? []) as {
          name: string;
          image: string;
          ports?: { containerPort: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }[];
          env?: { name: string; value: string }[];
          command?: string[];
          args?: string[];
        }[];
        for (const c of containers) {
          expect('entry' in lookupImage(c.image), `${file}: ${c.image}`).toBe(true);
          const listening = podListening([
            {
              ...run(c.image, { command: c.command, args: c.args, env: new Map((c.env ?? []).map((e) => [e.name, e.value])) }),
              name: c.name,
              declared: (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP' })),
            },
          ]);
          expect(listening.assumed, `${file}: ${c.name}`).toEqual([]);
          expect(
            listening.unserved.map((u) => u.message),
            `${file}: ${c.name}`,
          ).toEqual([]);
        }
      }
    }
  });
});
