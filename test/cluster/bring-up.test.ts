// Cluster bring-up parts that run without Docker: the pinned versions, tool downloads and their checksums,
// the CoreDNS entries for offline FQDN targets, and the refusal without a Docker engine.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { OFFLINE_TLS, offlineServerConfig, withOfflineHosts, withoutOfflineHosts } from '../../src/backends/kube/offline-fqdn.ts';
import { externalHosts } from '../../scripts/cluster/offline-names.ts';
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
  it('lists at least three Cilium minors in the e2e matrix, each with a pinned chart and a digest-pinned node image', () => {
    const v = readVersions();
    expect(new Set(v.e2eMatrix.map((m) => m.cilium)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(v.e2eMatrix.map((m) => m.kubernetes)).size).toBeGreaterThanOrEqual(2);
    for (const m of v.e2eMatrix) {
      expect(v.cilium[m.cilium]).toMatch(new RegExp(`^${m.cilium.replace('.', '\\.')}\\.\\d+$`));
      expect(v.kubernetes[m.kubernetes]).toMatch(/@sha256:[0-9a-f]{64}$/);
    }
  });

  it('refuses a versions file whose matrix names a version it does not pin', async () => {
    const text = JSON.parse(await readFile(path.join(REPO, 'cluster/versions.json'), 'utf8'));
    text.e2eMatrix.push({ cilium: '1.99', kubernetes: 'v1.33' });
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
  it('adds a hosts block with fallthrough to the main server block, and takes it out again', () => {
    const patched = withOfflineHosts(KIND_COREFILE, '172.18.0.5', ['cilium.io', 'kubernetes.io']);
    expect(patched).toContain('    hosts {\n        172.18.0.5 cilium.io\n        172.18.0.5 kubernetes.io\n        fallthrough\n    }\n');
    expect(patched.indexOf('hosts {')).toBeLessThan(patched.indexOf('kubernetes cluster.local'));
    // Applying twice replaces the block; removing restores the original byte for byte.
    expect(withOfflineHosts(patched, '172.18.0.6', ['cilium.io'])).not.toContain('172.18.0.5');
    expect(withoutOfflineHosts(patched)).toBe(KIND_COREFILE);
    expect(() => withOfflineHosts(KIND_COREFILE, '172.18.0.5', ['evil.io\n    forward . 1.1.1.1'])).toThrow(/not a DNS name/);
    expect(() => withOfflineHosts('example.org:53 {\n}\n', '172.18.0.5', ['a.io'])).toThrow(/no "\.:53 \{" server block/);
  });

  it('covers every external name the suites probe', async () => {
    const names = (await externalHosts([path.join(REPO, 'suites')])).map((h) => h.name);
    expect(names).toEqual(expect.arrayContaining(['kubernetes.io', 'cilium.io']));
  });

  it('refuses suites that disagree on what a name answers', () => {
    expect(() => offlineServerConfig([{ name: 'a.io', ip: '', ports: { 80: 301 } }, { name: 'a.io', ip: '', ports: { 80: 200 } }])).toThrow(/suites disagree on what a\.io:80 answers: 301 and 200/);
  });
});

// Real nginx, in a network namespace of its own (unshare -n: only a loopback, nothing reaches out), answering the
// suites' external names as the model predicts, probed with the harness's own curl command.
const nginx = (await execa('nginx', ['-v'], { reject: false }).catch(() => ({ exitCode: 127 }))).exitCode === 0;
const root = process.getuid?.() === 0;

describe('the offline FQDN server', () => {
  it.skipIf(!nginx || !root)('answers each name and port with the status the suites declare, over HTTP and TLS (needs nginx and root)', async () => {
    const hosts = await externalHosts([path.join(REPO, 'suites')]);
    const dir = await fixture({ 'conf.d/default.conf': offlineServerConfig(hosts).replaceAll(OFFLINE_TLS, '__DIR__/tls') });
    await execa('mkdir', ['-p', path.join(dir, 'tls')]);
    await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=netpol-e2e-offline', '-keyout', path.join(dir, 'tls/tls.key'), '-out', path.join(dir, 'tls/tls.crt')]);
    const conf = (await readFile(path.join(dir, 'conf.d/default.conf'), 'utf8')).replaceAll('__DIR__', dir);
    await writeFile(path.join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\naccess_log off;\n${conf}}\n`);
    const probes = hosts.flatMap((h) => Object.entries(h.ports).map(([port, status]) => ({ url: `${port === '443' ? 'https' : 'http'}://${h.name}${port === '80' || port === '443' ? '' : `:${port}`}/`, host: h.name!, port, status })));
    const curls = probes.map(({ url, host, port }) => {
      const argv = buildProbeArgv({ tool: 'curl', url, method: 'GET', connectTimeoutSeconds: 2, maxTimeSeconds: 4 });
      return `${argv.slice(0, -1).join(' ')} --resolve ${host}:${port}:127.0.0.1 ${argv.at(-1)}; echo "exit=$?"`;
    });
    const script = ['ip link set lo up', `nginx -c ${dir}/nginx.conf`, 'sleep 0.3', ...curls, `kill $(cat ${dir}/nginx.pid)`].join('\n');
    const { stdout } = await execa('unshare', ['-n', 'sh', '-c', script]);
    const answers = stdout.split(/exit=(\d+)\n?/);
    probes.forEach(({ url, status }, i) => {
      const observed = classifyCurl({ stdout: answers[i * 2]!, exitCode: Number(answers[i * 2 + 1]), stderr: '' });
      expect(`${url} ${observed.outcome}:${observed.status}`).toBe(`${url} ok:${status}`);
    });
    expect(probes.length).toBeGreaterThanOrEqual(4);
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
