// Cluster bring-up parts that run without Docker: the pinned versions, tool downloads and their checksums,
// the CoreDNS entries for offline FQDN targets, the world server (real nginx and ip in network namespaces), and the
// refusal without a Docker engine.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { OFFLINE_TLS, offlineServerConfig, withOfflineHosts, withoutOfflineHosts } from '../../src/backends/kube/offline-fqdn.ts';
import { externalHosts } from '../../scripts/cluster/offline-names.ts';
import { holdAddress, routeThrough, servedHosts } from '../../scripts/cluster/world-server.ts';
import { isReservedAddress, worldAddress } from '../../src/model/world.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { discoverSuites } from '../../src/suite/discover.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { classifyCurl } from '../../src/probe/classify.ts';
import { buildProbeArgv } from '../../src/probe/command.ts';
import { goPlatform, publishedSha256, releaseOf, verify } from '../../scripts/cluster/tools.ts';
import { readVersions } from '../../scripts/cluster/versions.ts';
import { fixture, REPO } from '../support/fixture.ts';

// CoreDNS's Corefile as kubeadm (and so kind) writes it.
const KIND_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

describe('pinned versions', () => {
  it('lists at least three Cilium and three Kubernetes minors in the e2e matrix, each with a pinned chart and a digest-pinned node image', () => {
    const v = readVersions();
    expect(new Set(v.e2eMatrix.map((m) => m.cilium)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(v.e2eMatrix.map((m) => m.kubernetes)).size).toBeGreaterThanOrEqual(3);
    for (const m of v.e2eMatrix) {
      expect(v.cilium[m.cilium]).toMatch(new RegExp(`^${m.cilium.replace('.', '\\.')}\\.\\d+$`));
      expect(v.kubernetes[m.kubernetes]).toMatch(/@sha256:[0-9a-f]{64}$/);
    }
  });

  it('refuses a matrix of fewer than three Kubernetes minors', async () => {
    const text = JSON.parse(await readFile(path.join(REPO, 'cluster/versions.json'), 'utf8'));
    text.e2eMatrix = text.e2eMatrix.map((m: { cilium: string }) => ({ ...m, kubernetes: text.defaultKubernetes }));
    const dir = await fixture({ 'versions.json': JSON.stringify(text) });
    expect(() => readVersions(path.join(dir, 'versions.json'))).toThrow(/at least three Kubernetes minor versions/);
  });

  it('refuses a versions file whose matrix names a version it does not pin', async () => {
    const text = JSON.parse(await readFile(path.join(REPO, 'cluster/versions.json'), 'utf8'));
    text.e2eMatrix.push({ cilium: '1.99', kubernetes: 'v1.36' });
    const dir = await fixture({ 'versions.json': JSON.stringify(text) });
    expect(() => readVersions(path.join(dir, 'versions.json'))).toThrow(/1\.99.*is not listed in/);
  });
});

describe('tool downloads', () => {
  it('names the release file and its published checksum for this platform', () => {
    const v = readVersions();
    const p = { os: 'linux', arch: 'amd64' };
    expect(releaseOf('kind', v, p)).toEqual({ url: `https://github.com/kubernetes-sigs/kind/releases/download/${v.kind}/kind-linux-amd64`, sumUrl: `https://github.com/kubernetes-sigs/kind/releases/download/${v.kind}/kind-linux-amd64.sha256sum` });
    expect(releaseOf('helm', v, p)).toMatchObject({ url: `https://get.helm.sh/helm-${v.helm}-linux-amd64.tar.gz`, archive: 'linux-amd64/helm' });
    expect(releaseOf('kubectl', v, { os: 'darwin', arch: 'arm64' }).sumUrl).toBe(`https://dl.k8s.io/release/${v.kubectl}/bin/darwin/arm64/kubectl.sha256`);
    expect(goPlatform('linux', 'x64')).toEqual({ os: 'linux', arch: 'amd64' });
    expect(() => goPlatform('win32', 'x64')).toThrow(/no pinned tool builds for win32\/x64/);
  });

  it('installs only what matches the published SHA-256', () => {
    const data = Buffer.from('a kind binary');
    const sum = createHash('sha256').update(data).digest('hex');
    expect(publishedSha256(`${sum}  kind-linux-amd64\n`)).toBe(sum);
    expect(publishedSha256(sum.toUpperCase())).toBe(sum);
    expect(() => verify(data, sum, 'kind')).not.toThrow();
    expect(() => verify(Buffer.from('tampered'), sum, 'kind')).toThrow(/kind: checksum mismatch .*refusing to install it/);
    expect(() => publishedSha256('<html>Not Found</html>')).toThrow(/not a SHA-256 checksum file/);
  });
});

describe('offline FQDN targets in CoreDNS', () => {
  it('adds a hosts block with each name at its own address and fallthrough, and takes it out again', () => {
    const patched = withOfflineHosts(KIND_COREFILE, [
      { name: 'kubernetes.io', ip: '198.18.0.7' },
      { name: 'cilium.io', ip: '198.18.0.5' },
    ]);
    expect(patched).toContain('    hosts {\n        198.18.0.5 cilium.io\n        198.18.0.7 kubernetes.io\n        fallthrough\n    }\n');
    expect(patched.indexOf('hosts {')).toBeLessThan(patched.indexOf('kubernetes cluster.local'));
    // Applying twice replaces the block; removing restores the original byte for byte.
    expect(withOfflineHosts(patched, [{ name: 'cilium.io', ip: '198.18.0.6' }])).not.toContain('198.18.0.5');
    expect(withoutOfflineHosts(patched)).toBe(KIND_COREFILE);
    expect(() => withOfflineHosts(KIND_COREFILE, [{ name: 'evil.io\n    forward . 1.1.1.1', ip: '198.18.0.5' }])).toThrow(/not a DNS name/);
    expect(() => withOfflineHosts(KIND_COREFILE, [{ name: 'a.io', ip: '198.18.0.5 a.io\n' }])).toThrow(/not an IPv4 address/);
    expect(() => withOfflineHosts('example.org:53 {\n}\n', [{ name: 'a.io', ip: '198.18.0.5' }])).toThrow(/no "\.:53 \{" server block/);
  });

  it('covers every external name the suites probe, each at the address the model gives it', async () => {
    const hosts = await externalHosts([path.join(REPO, 'suites')]);
    for (const h of hosts.filter((x) => x.name)) expect(h.ip).toBe(worldAddress(h.name!));
    // Independently: every name a probe of any suite resolves to an address outside the cluster, as the model
    // predicts each step, is a host the world server will hold; and it holds no name that nothing probes.
    const probed = new Set<string>();
    for (const file of await discoverSuites([path.join(REPO, 'suites')])) {
      for (const step of (await predictSuite(await loadSuite(file))).values()) {
        for (const cell of step.cells.values()) if (cell.resolved && isReservedAddress(cell.resolved.ip)) probed.add(cell.resolved.name.replace(/\.$/, ''));
      }
    }
    expect([...probed].sort()).toEqual([...new Set(hosts.flatMap((h) => (h.name ? [h.name] : [])))].sort());
    expect(probed.size).toBeGreaterThanOrEqual(3);
  });

  it('refuses suites that disagree on what a name answers', () => {
    expect(() => offlineServerConfig([{ name: 'a.io', ip: '', ports: { 80: 301 } }, { name: 'a.io', ip: '', ports: { 80: 200 } }])).toThrow(/suites disagree on what a\.io:80 answers: 301 and 200/);
  });
});

describe('the world server', () => {
  it('holds every reserved address the suites use, and nothing the internet answers', async () => {
    const hosts = await externalHosts([path.join(REPO, 'suites')]);
    const served = servedHosts(hosts).map((h) => h.name ?? h.ip);
    expect(served).toEqual(expect.arrayContaining(['kubernetes.io', 'cilium.io', '198.51.100.10', '198.51.100.20']));
    expect(servedHosts([{ name: undefined, ip: '1.1.1.1', ports: { 443: 200 } }])).toEqual([]);
  });
});

// Real nginx and the real ip commands cluster:up runs, in two network namespaces of this test's own: "world" holds the
// addresses on its loopback as the world server does (busybox ip, as in nginx:alpine), "node" routes each address
// through it as every kind node does (iproute2), and the harness's curl command probes from the node.
const nginx = (await execa('nginx', ['-v'], { reject: false }).catch(() => ({ exitCode: 127 }))).exitCode === 0;
const busybox = (await execa('busybox', ['true'], { reject: false }).catch(() => ({ exitCode: 127 }))).exitCode === 0;
const root = process.getuid?.() === 0;

describe('the world server on a network of its own', () => {
  it('answers each name at its own address and each TEST-NET literal, routed through it from a node (needs nginx, busybox and root)', async () => {
    // What this test needs is installed by .ci/run; where it is missing, the test fails and says so rather than pass unseen.
    expect({ nginx, busybox, root }, 'install nginx-light and busybox, and run as root (ip netns)').toEqual({ nginx: true, busybox: true, root: true });
    const hosts = servedHosts(await externalHosts([path.join(REPO, 'suites')]));
    const dir = await fixture({ 'conf.d/default.conf': offlineServerConfig(hosts).replaceAll(OFFLINE_TLS, '__DIR__/tls') });
    await execa('mkdir', ['-p', path.join(dir, 'tls')]);
    await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=netpol-e2e-world', '-keyout', path.join(dir, 'tls/tls.key'), '-out', path.join(dir, 'tls/tls.crt')]);
    const conf = (await readFile(path.join(dir, 'conf.d/default.conf'), 'utf8')).replaceAll('__DIR__', dir);
    await writeFile(path.join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\naccess_log off;\n${conf}}\n`);
    const [world, node] = [`npe2e-world-${process.pid}`, `npe2e-node-${process.pid}`];
    const ip = (...args: string[]) => execa('ip', args);
    const inNs = (ns: string, argv: string[]) => execa('ip', ['netns', 'exec', ns, ...argv], { reject: false });
    try {
      await ip('netns', 'add', world);
      await ip('netns', 'add', node);
      await ip('link', 'add', 'npe2e-w', 'netns', world, 'type', 'veth', 'peer', 'name', 'npe2e-n', 'netns', node);
      for (const [ns, dev, address] of [[world, 'npe2e-w', '172.31.255.2/24'], [node, 'npe2e-n', '172.31.255.1/24']] as const) {
        await ip('-n', ns, 'addr', 'add', address, 'dev', dev);
        await ip('-n', ns, 'link', 'set', dev, 'up');
        await ip('-n', ns, 'link', 'set', 'lo', 'up');
      }
      const addresses = [...new Set(hosts.map((h) => h.ip))];
      for (const address of addresses) {
        expect((await inNs(world, ['busybox', ...holdAddress(address)])).exitCode).toBe(0);
        expect((await inNs(node, routeThrough(address, '172.31.255.2'))).exitCode).toBe(0);
      }
      // Run twice, as a resumed bring-up does: `replace` must not fail on a route that is there.
      expect((await inNs(node, routeThrough(addresses[0]!, '172.31.255.2'))).exitCode).toBe(0);
      // nginx daemonizes once its sockets listen: ready when it returns.
      expect((await inNs(world, ['nginx', '-c', path.join(dir, 'nginx.conf')])).exitCode).toBe(0);
      const probes = hosts.flatMap((h) => Object.entries(h.ports).map(([port, status]) => ({ h, port, status, url: `${port === '443' ? 'https' : 'http'}://${h.name ?? h.ip}${port === '80' || port === '443' ? '' : `:${port}`}/` })));
      for (const { h, port, status, url } of probes) {
        const argv = buildProbeArgv({ tool: 'curl', url, method: 'GET', connectTimeoutSeconds: 2, maxTimeSeconds: 4 });
        // Each name resolves to its own address, as CoreDNS answers it on kind.
        const resolve = h.name ? ['--resolve', `${h.name}:${port}:${h.ip}`] : [];
        const r = await inNs(node, [...argv.slice(0, -1), ...resolve, argv.at(-1)!]);
        const observed = classifyCurl({ stdout: r.stdout, exitCode: r.exitCode ?? -1, stderr: r.stderr });
        expect(`${url} ${observed.outcome}:${observed.status}`).toBe(`${url} ok:${status}`);
      }
      expect(probes.length).toBeGreaterThanOrEqual(6);
      // An address the world server does not hold is not answered through it.
      const stray = await inNs(node, ['curl', '-sS', '--connect-timeout', '1', 'http://198.51.100.99/']);
      expect(stray.exitCode).not.toBe(0);
    } finally {
      const pid = Number(await readFile(path.join(dir, 'nginx.pid'), 'utf8').catch(() => ''));
      if (pid) process.kill(pid);
      await execa('ip', ['netns', 'del', world], { reject: false });
      await execa('ip', ['netns', 'del', node], { reject: false });
    }
  });
});

// With a Docker engine, cluster:up would really bring a cluster up: this test is for machines without one.
const dockerAnswers = (await execa('docker', ['info'], { reject: false })).exitCode === 0;

describe('npm run cluster:up', () => {
  it.skipIf(dockerAnswers)('stops with exit 2 and what to do when no Docker engine answers', async () => {
    const { exitCode, stderr } = await execa(process.execPath, ['--import', 'tsx', 'scripts/cluster/up.ts'], { cwd: REPO, reject: false });
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/^cluster:up: (no Docker engine answers|docker is not installed)/m);
  });
});

// Renovate keeps the pins fresh only if its custom managers find every one of them in cluster/versions.json.
describe('renovate.json', () => {
  it('has a custom manager matching every pinned version of cluster/versions.json', async () => {
    const config = JSON.parse(await readFile(path.join(REPO, 'renovate.json'), 'utf8')) as { customManagers: { matchStrings: string[] }[] };
    const text = await readFile(path.join(REPO, 'cluster/versions.json'), 'utf8');
    const v = readVersions();
    const found = config.customManagers.flatMap((m) => m.matchStrings.flatMap((s) => [...text.matchAll(new RegExp(s, 'g'))].map((x) => x.groups!.currentValue)));
    const pins = [v.kind, v.helm, v.kubectl, v.networkPolicyApi, ...Object.values(v.cilium), ...Object.values(v.kubernetes).map((i) => i.split(':')[1]!.split('@')[0]!), v.worldServerImage.split(':')[1]];
    expect(found.sort()).toEqual(pins.sort());
  });
});
