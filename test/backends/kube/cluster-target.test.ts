// Which cluster a run may touch: refusals come before any request that could change the cluster.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseCluster, OWNER } from '../../../src/backends/kube/cluster-target.ts';
import { worldAddress } from '../../../src/world/world.ts';
import { withOfflineHosts } from '../../../src/backends/kube/offline-fqdn.ts';
import { runInProcess, runInProcessWith } from '../../support/cli.ts';
import { FakeApiServer } from '../../support/fake-apiserver.ts';
import { fixture, REPO } from '../../support/fixture.ts';

let api: FakeApiServer;
beforeEach(async () => {
  api = await new FakeApiServer().start();
});
afterEach(() => api.stop());

/** A kubeconfig with the given context names, all pointing at the stand-in API server. */
function kubeConfig(...contexts: string[]): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'fake', server: api.url, skipTLSVerify: true }],
    users: [{ name: 'tester', token: 'test-token' }],
    contexts: contexts.map((name) => ({ name, cluster: 'fake', user: 'tester' })),
    currentContext: contexts[0],
  });
  return config;
}

const owner = (cluster: string, ready = 'true') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...OWNER }, data: { cluster, ready } });

describe('choosing the cluster', () => {
  it('takes the kind cluster that cluster:up made, by its context and owner ConfigMap', async () => {
    api.put('/api/v1', 'configmaps', owner('netpol-e2e'));
    const target = await chooseCluster({ backend: 'kind' }, kubeConfig('other', 'kind-netpol-e2e'));
    expect(target.name).toBe('kind (kind-netpol-e2e)');
    expect(target.config.getCurrentContext()).toBe('kind-netpol-e2e');
  });

  it('refuses a kind cluster it did not create, and one whose context is missing', async () => {
    await expect(chooseCluster({ backend: 'kind' }, kubeConfig('kind-netpol-e2e'))).rejects.toThrow(/kind-netpol-e2e was not created by netpol-e2e .*refusing to change it/);
    api.put('/api/v1', 'configmaps', owner('someone-else'));
    await expect(chooseCluster({ backend: 'kind' }, kubeConfig('kind-netpol-e2e'))).rejects.toThrow(/was not created by netpol-e2e/);
    await expect(chooseCluster({ backend: 'kind' }, kubeConfig('docker-desktop'))).rejects.toThrow(/no kubeconfig context kind-netpol-e2e: run `npm run cluster:up` first/);
    api.put('/api/v1', 'configmaps', owner('netpol-e2e', 'false'));
    await expect(chooseCluster({ backend: 'kind' }, kubeConfig('kind-netpol-e2e'))).rejects.toThrow(/the bring-up of kind-netpol-e2e did not finish: run `npm run cluster:up` again/);
    expect(api.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('takes a context only when it is named, and only one that exists', async () => {
    await expect(chooseCluster({ backend: 'context' }, kubeConfig('prod'))).rejects.toThrow(/name the context to use with --context NAME/);
    await expect(chooseCluster({ backend: 'context', context: 'staging' }, kubeConfig('prod'))).rejects.toThrow(/no context "staging" in the kubeconfig \(contexts: prod\)/);
    const target = await chooseCluster({ backend: 'context', context: 'lab' }, kubeConfig('prod', 'lab'));
    expect(target.config.getCurrentContext()).toBe('lab');
    expect(api.requests).toEqual([]);
  });
});

describe('netpol-e2e run on a cluster backend', () => {
  async function kubeconfigFile(hosts = [{ name: 'kubernetes.io', ip: worldAddress('kubernetes.io') }]): Promise<string> {
    api.put('/api/v1', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'kube-system', name: 'coredns' }, data: { Corefile: withOfflineHosts('.:53 {\n    errors\n}\n', hosts) } });
    const file = path.join(await fixture({}), 'kubeconfig');
    await writeFile(file, kubeConfig('lab').exportConfig());
    return file;
  }

  it('exits 2 for a suite the model contradicts, before a single request reaches the cluster', async () => {
    const original = await readFile(path.join(REPO, 'suites/cilium-basics-network-policies.suite.yaml'), 'utf8');
    const wrong = original
      .replace('manifestDir: ../manifests', `manifestDir: ${path.join(REPO, 'manifests')}`)
      .replace('not-frontend -> backend:8080: { outcome: connect-timeout, claim: seeds/003_87bba962e4e6e360.txt:226 }', 'not-frontend -> backend:8080: "ok:200"');
    const dir = await fixture({ 'wrong.suite.yaml': wrong });
    const { exitCode, stderr } = await runInProcessWith({ KUBECONFIG: await kubeconfigFile() }, 'run', '--backend', 'context', '--context', 'lab', path.join(dir, 'wrong.suite.yaml'));
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/wrong\.suite\.yaml:\d+: fix the suite or the model before running it on a cluster/);
    expect(api.requests).toEqual([]);
  });

  it('exits 2 with what to do when --backend kind finds no Docker engine or no cluster of its own', async () => {
    const { exitCode, stderr } = await runInProcessWith({ KUBECONFIG: await kubeconfigFile() }, 'run', '--backend', 'kind', 'suites/cilium-dns-aware.suite.yaml');
    expect(exitCode).toBe(2);
    // Here no Docker engine runs; where one does, the kubeconfig above has no kind-netpol-e2e context.
    expect(stderr).toMatch(/needs a running Docker engine|no kubeconfig context kind-netpol-e2e/);
    expect(api.requests).toEqual([]);
  });

  it('refuses --offline-fqdn when CoreDNS does not answer every external name the suites probe', async () => {
    const { exitCode, stderr } = await runInProcessWith({ KUBECONFIG: await kubeconfigFile() }, 'run', '--backend', 'context', '--context', 'lab', '--offline-fqdn', 'suites/cilium-dns-aware.suite.yaml');
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/--offline-fqdn: CoreDNS does not answer cilium\.io from the world server: run `npm run cluster:up -- --offline-fqdn`/);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1', 'GET /api/v1/namespaces/kube-system/configmaps/coredns']);
    // A name on another address than the model's: Cilium would see other IPs than the model predicts with.
    const moved = [
      { name: 'kubernetes.io', ip: '172.18.0.9' },
      { name: 'cilium.io', ip: worldAddress('cilium.io') },
    ];
    const other = await runInProcessWith({ KUBECONFIG: await kubeconfigFile(moved) }, 'run', '--backend', 'context', '--context', 'lab', '--offline-fqdn', 'suites/cilium-dns-aware.suite.yaml');
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toContain(`CoreDNS answers kubernetes.io at 172.18.0.9 (the model: ${worldAddress('kubernetes.io')}): the cluster and the model would disagree`);
    expect((await runInProcess('run', '--offline-fqdn', 'suites/cilium-dns-aware.suite.yaml')).stderr).toMatch(/--offline-fqdn: only goes with a cluster backend/);
  });

  it('refuses --context without --backend context', async () => {
    const { exitCode, stderr } = await runInProcess('run', '--context', 'lab', 'suites/cilium-dns-aware.suite.yaml');
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/--context: only goes with --backend context/);
  });
});
