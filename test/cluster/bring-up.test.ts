// Cluster bring-up parts that run without Docker: the pinned versions, tool downloads and their checksums,
// the CoreDNS entries for offline FQDN targets, what the world server holds (test/lab/world-server.test.ts runs it, with
// real nginx and ip in network namespaces), and the refusal without a Docker engine.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { offlineServerConfig, withOfflineHosts, withoutOfflineHosts } from '../../src/backends/kube/offline-fqdn.ts';
import { externalHosts } from '../../scripts/cluster/offline-names.ts';
import { servedHosts } from '../../scripts/cluster/world-server.ts';
import { isReservedAddress, worldAddress } from '../../src/world/world.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { discoverSuites } from '../../src/suite/discover.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { goPlatform, installedName, pinnedVersion, publishedSha256, releaseOf, verify } from '../../scripts/cluster/tools.ts';
import { loadedImages, readVersions } from '../../scripts/cluster/versions.ts';
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

  it("runs the matrix on the three supported Kubernetes minors, 1.37 (kind v0.33.0's default) to 1.35, with kind v0.33.0's node images", () => {
    const v = readVersions();
    expect(v.kind).toBe('v0.33.0');
    expect(Object.keys(v.kubernetes).sort()).toEqual(['v1.35', 'v1.36', 'v1.37']);
    expect([...new Set(v.e2eMatrix.map((m) => m.kubernetes))].sort()).toEqual(['v1.35', 'v1.36', 'v1.37']);
    // The digests kind v0.33.0's release notes list for these tags.
    expect(v.kubernetes['v1.37']).toBe('kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5');
    expect(v.kubernetes['v1.36']).toBe('kindest/node:v1.36.4@sha256:099e049362a1526b2db71494e1947aae99bd16290d7c895f2b7ea312e3cbfaed');
    expect(v.kubernetes['v1.35']).toBe('kindest/node:v1.35.8@sha256:07b2536e30b803ed61d1677a79df6115f798ce64c80f9e22f6ed45afd09323c0');
  });

  it("pins a kubectl of each Kubernetes minor, and refuses a minor without one or with another minor's", async () => {
    const v = readVersions();
    for (const minor of Object.keys(v.kubernetes)) expect(v.kubectl[minor]).toMatch(new RegExp(`^${minor.replace('.', '\\.')}\\.\\d+$`));
    const text = JSON.parse(await readFile(path.join(REPO, 'cluster/versions.json'), 'utf8'));
    const without = { ...text, kubectl: { ...text.kubectl, 'v1.35': undefined } };
    const dir = await fixture({ 'without.json': JSON.stringify(without), 'other.json': JSON.stringify({ ...text, kubectl: { ...text.kubectl, 'v1.35': 'v1.36.5' } }) });
    expect(() => readVersions(path.join(dir, 'without.json'))).toThrow(/no kubectl for Kubernetes v1\.35/);
    expect(() => readVersions(path.join(dir, 'other.json'))).toThrow(/v1\.36\.5 is not a v1\.35 release/);
  });
});

describe('tool downloads', () => {
  it('names the release file and its published checksum for this platform', () => {
    const v = readVersions();
    const p = { os: 'linux', arch: 'amd64' };
    expect(releaseOf('kind', v.kind, p)).toEqual({
      url: `https://github.com/kubernetes-sigs/kind/releases/download/${v.kind}/kind-linux-amd64`,
      sumUrl: `https://github.com/kubernetes-sigs/kind/releases/download/${v.kind}/kind-linux-amd64.sha256sum`,
    });
    expect(releaseOf('helm', v.helm, p)).toMatchObject({ url: `https://get.helm.sh/helm-${v.helm}-linux-amd64.tar.gz`, archive: 'linux-amd64/helm' });
    expect(releaseOf('kubectl', 'v1.35.9', { os: 'darwin', arch: 'arm64' }).sumUrl).toBe('https://dl.k8s.io/release/v1.35.9/bin/darwin/arm64/kubectl.sha256');
    expect(goPlatform('linux', 'x64')).toEqual({ os: 'linux', arch: 'amd64' });
    expect(() => goPlatform('win32', 'x64')).toThrow(/no pinned tool builds for win32\/x64/);
  });

  it("takes the kubectl of the cluster's own minor, installed under its version", () => {
    const v = readVersions();
    expect(pinnedVersion('kubectl', v, 'v1.37')).toBe(v.kubectl['v1.37']);
    expect(pinnedVersion('kubectl', v, 'v1.35')).toBe(v.kubectl['v1.35']);
    expect(pinnedVersion('kind', v, 'v1.35')).toBe(v.kind);
    expect(() => pinnedVersion('kubectl', v, 'v1.30')).toThrow(/no kubectl pinned for Kubernetes v1\.30/);
    expect(installedName('kubectl', 'v1.37.1')).toBe('kubectl-v1.37.1');
    expect(installedName('helm', v.helm)).toBe('helm');
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
    expect(() =>
      offlineServerConfig([
        { name: 'a.io', ip: '', ports: { 80: 301 } },
        { name: 'a.io', ip: '', ports: { 80: 200 } },
      ]),
    ).toThrow(/suites disagree on what a\.io:80 answers: 301 and 200/);
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
    const found = config.customManagers.flatMap((m) => m.matchStrings.flatMap((s) => [...text.matchAll(new RegExp(s, 'g'))].map((x) => `${x.groups!.currentValue}${x.groups!.currentDigest ? `@${x.groups!.currentDigest}` : ''}`)));
    // Each pulled image's tag, with its digest where one is pinned.
    const images = Object.entries(v.images).flatMap(([k, i]) => {
      if (k === '$comment' || typeof i === 'string') return [];
      const [reference, digest] = i.pull.split('@');
      return [`${reference!.slice(reference!.lastIndexOf(':') + 1)}${digest ? `@${digest}` : ''}`];
    });
    const pins = [v.kind, v.helm, ...Object.values(v.kubectl), v.networkPolicyApi, ...Object.values(v.cilium), ...Object.values(v.kubernetes).map((i) => i.split(':').slice(1).join(':')), ...images];
    expect(found.sort()).toEqual(pins.sort());
    // Digests were found where pinned.
    expect(found.filter((f) => f.includes('@sha256:'))).toHaveLength(5);
  });

  it('never updates a node image, groups them with kind, keeps kubectl in its minor and network-policy-api waiting for approval', async () => {
    const config = JSON.parse(await readFile(path.join(REPO, 'renovate.json'), 'utf8')) as {
      packageRules: { matchDepNames?: string[]; matchUpdateTypes?: string[]; enabled?: boolean; groupName?: string; dependencyDashboardApproval?: boolean }[];
    };
    const rules = (dep: string) => config.packageRules.filter((r) => r.matchDepNames?.includes(dep));
    expect(rules('kindest/node').find((r) => r.enabled === false)?.matchUpdateTypes).toEqual(expect.arrayContaining(['digest', 'patch', 'minor', 'major']));
    expect(rules('kindest/node').find((r) => r.groupName)?.matchDepNames).toContain('kubernetes-sigs/kind');
    expect(rules('kubectl').find((r) => r.enabled === false)?.matchUpdateTypes).toEqual(['major', 'minor']);
    expect(rules('kubernetes-sigs/network-policy-api')[0]?.dependencyDashboardApproval).toBe(true);
    // Images loaded under the manifests' names keep their tags: only digests move.
    for (const image of loadedImages(readVersions())) expect(rules(image.pull.split(':')[0]!).find((r) => r.enabled === false)?.matchUpdateTypes).toEqual(['major', 'minor', 'patch']);
  });
});
