// A whole tutorial suite through the kube backend, as `netpol-e2e run --backend context` runs it: the command line
// (in-process), client-node over HTTP, watches, WebSocket exec and the probe script in a real sh, against the API
// server stand-in whose datapath is the policy model. It shows the pieces fit; it does not stand in for a cluster.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSuite } from '../../../src/suite/load.ts';
import { runInProcess } from '../../support/cli.ts';
import { cliOnStandIn, runOnStandIn } from '../../support/stand-in-run.ts';
import { clusterNetworkPolicyCrd, EXPERIMENTAL_CLUSTER_NP_STEP } from '../../support/fake-apiserver.ts';
import { fixture, REPO, suiteWith } from '../../support/fixture.ts';
import { ModelApiServer } from '../../support/model-apiserver.ts';

const SUITE = path.join(REPO, 'suites/network-policy-tutorial.suite.yaml');
const OTHER_TUTORIALS = ['suites/cilium-basics-network-policies.suite.yaml', 'suites/cilium-dns-aware.suite.yaml'];
let api: ModelApiServer;

async function standIn(suite: string, options: { ciliumAgents?: boolean } = {}) {
  api = await new ModelApiServer((await loadSuite(suite)).world, options).start();
}
beforeEach(() => standIn(SUITE));
afterEach(() => api.stop());

const run = (...args: string[]) => runOnStandIn(api, ...args);

describe('a suite through the kube backend (contract, the model as datapath)', () => {
  it('passes the NetworkPolicy tutorial like the model backend does, one exec per source pod, and leaves nothing behind', async () => {
    const { exitCode, stdout, results } = await run(SUITE);
    expect(stdout).toMatch(/PASS: 1\/1 suites pass, 89 cells, 14 tutorial claims checked on backend context \(stand-in\)/);
    expect(exitCode).toBe(0);
    const [suite] = results.suites;
    expect(suite!.backend).toBe('context (stand-in)');
    // No Cilium agents answer here: every step was settled by probing, and settled at once.
    expect(suite!.steps.every((s) => s.enforcement === 'unconfirmed')).toBe(true);
    // Objects went in by server-side apply and came out again; kube-system's label was restored.
    const applies = api.requests.filter((r) => r.method === 'PATCH' && r.contentType === 'application/apply-patch+yaml');
    expect(applies.length).toBeGreaterThan(10);
    expect(applies.every((r) => r.query.get('fieldManager') === 'netpol-e2e')).toBe(true);
    // Setup waited for the backend Service's endpoints through a watch, not only for the rollouts.
    expect(api.requests.some((r) => r.path === '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices' && r.query.get('watch') === 'true' && r.query.get('labelSelector') === 'kubernetes.io/service-name=backend')).toBe(true);
    expect(api.leftovers()).toEqual([]);
    expect(api.namespaceLabels('kube-system')).toEqual({ 'kubernetes.io/metadata.name': 'kube-system' });
    // Batches: every exec is one sh script, and no step ran more execs per round than it has source pods.
    expect(api.execs.every((e) => e.command[0] === 'sh' && e.command[1] === '-c')).toBe(true);
    const sources = suite!.steps.reduce((n, s) => n + new Set(s.cells.map((c) => c.from)).size, 0);
    expect(api.execs.length).toBe(sources);
  });

  it('runs a suite whose apps are a StatefulSet and a DaemonSet: rolled out, their pods found by their labels and probed, then deleted', async () => {
    const server = (kind: string, name: string) =>
      `apiVersion: apps/v1\nkind: ${kind}\nmetadata: { name: ${name} }\nspec:\n  selector: { matchLabels: { app: ${name} } }\n  template:\n    metadata: { labels: { app: ${name} } }\n    spec: { containers: [{ name: c, image: docker.io/cilium/json-mock:v1.3.8, ports: [{ containerPort: 8080 }] }] }\n`;
    const dir = await fixture({
      'apps/db.yaml': `${server('StatefulSet', 'db')}---\n${server('DaemonSet', 'agent')}---\napiVersion: v1\nkind: Service\nmetadata: { name: db }\nspec: { selector: { app: db }, ports: [{ port: 8080 }] }\n`,
      'x.suite.yaml': 'name: workloads\nmanifestDir: .\napps: [db]\nsteps:\n  - name: open\n    expect:\n      agent -> db:8080: ok\n      db -> pod-ip:agent:8080: ok\n',
    });
    await api.stop();
    await standIn(path.join(dir, 'x.suite.yaml'));
    const { exitCode, stdout } = await run(path.join(dir, 'x.suite.yaml'));
    expect(stdout).toMatch(/PASS: 1\/1 suites pass, 2 cells/);
    expect(exitCode).toBe(0);
    // Each probe ran in a pod of the workload, by the name its controller gave it.
    expect(new Set(api.execs.map((e) => e.pod))).toEqual(new Set(['agent-0', 'db-0']));
    expect(api.requests.some((r) => r.path === '/apis/apps/v1/namespaces/default/statefulsets' && r.query.get('watch') === 'true')).toBe(true);
    expect(api.leftovers()).toEqual([]);
  });

  it('a suite that applies a kind the cluster does not serve (ClusterNetworkPolicy without its CRD) is not runnable there, and nothing is applied', async () => {
    const tiered = path.join(REPO, 'suites/conformance/cilium/21-echo-ingress-from-client-tiered-wildcard-pass-l7.suite.yaml');
    await api.stop();
    await standIn(tiered);
    const { exitCode, results } = await run(tiered);
    const cells = results.suites[0]!.steps.flatMap((s) => s.cells);
    expect(cells.length).toBeGreaterThan(0);
    expect(new Set(cells.map((c) => c.notRunnable))).toEqual(
      new Set([
        'the suite applies a ClusterNetworkPolicy, and the cluster does not serve ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2): Cilium implements it from 1.20, with the agent option enable-k8s-cluster-network-policy, and its CRD comes from sigs.k8s.io/network-policy-api',
      ]),
    );
    expect(exitCode).toBe(0);
    // Not even the apps went in.
    expect(api.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it("records the installed ClusterNetworkPolicy CRD's channel; a suite using experimental peers is not runnable on the standard CRD, and runs on the experimental one", async () => {
    const dir = await fixture({ 'x.suite.yaml': suiteWith(EXPERIMENTAL_CLUSTER_NP_STEP, 'clusterNetworkPolicyChannel: experimental\n') });
    const file = path.join(dir, 'x.suite.yaml');
    await api.stop();
    await standIn(file);
    api.installCrd(clusterNetworkPolicyCrd('standard'));
    const standard = await run(file);
    expect(standard.exitCode).toBe(0);
    expect(standard.results.environment).toMatchObject({ clusterNetworkPolicyChannel: 'standard', networkPolicyApi: 'v0.2.0' });
    expect(standard.stdout.split('\n')[0]).toMatch(/ · network-policy-api v0\.2\.0, standard channel$/);
    const cells = standard.results.suites[0]!.steps.flatMap((s) => s.cells);
    expect(new Set(cells.map((c) => c.notRunnable))).toEqual(
      new Set([
        'the suite applies ClusterNetworkPolicy names, and spec.egress[0].to[0].domainNames is in the experimental channel of network-policy-api; the installed CRD is the standard channel (its annotation policy.networking.k8s.io/channel)',
      ]),
    );
    expect(api.requests.filter((r) => r.method === 'PATCH')).toEqual([]);

    await api.stop();
    await standIn(file);
    api.installCrd(clusterNetworkPolicyCrd('experimental'));
    const experimental = await run(file);
    expect(experimental.results.environment).toMatchObject({ clusterNetworkPolicyChannel: 'experimental', networkPolicyApi: 'v0.2.0' });
    expect(experimental.stdout).toMatch(/PASS: 1\/1 suites pass, 1 cells/);
    expect(experimental.exitCode).toBe(0);
    expect(api.requests.some((r) => r.method === 'PATCH' && r.path === '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies/names')).toBe(true);
    expect(api.leftovers()).toEqual([]);
  });

  it('with Cilium agents, confirms each policy change through their revisions, and a relabel through the identities, instead of probing until settled', async () => {
    await api.stop();
    await standIn(SUITE, { ciliumAgents: true });
    const { exitCode, results, stdout } = await run(SUITE);
    expect(exitCode).toBe(0);
    // The results know what ran them: the API server's Kubernetes, a running agent's Cilium.
    expect(results.environment).toMatchObject({ backend: 'context', kubernetesVersion: 'v1.36.1', ciliumVersion: '1.20.2' });
    expect(stdout.split('\n')[0]).toMatch(/^netpol-e2e [\d.]+ (\(\w+\) )?on context \(stand-in\) · cilium 1\.20\.2 \/ k8s v1\.36\.1$/);
    const steps = results.suites[0]!.steps;
    // Every step is confirmed, the one that relabels kube-system too: by its pods' endpoints' new identities.
    expect(steps.filter((s) => s.enforcement === 'unconfirmed')).toEqual([]);
    const coredns = [...api.agents[0]!.history.entries()].find(([pod]) => pod.startsWith('kube-system/'))!;
    expect(coredns[1]).toContainEqual({ state: 'ready', identity: expect.arrayContaining(['k8s:io.cilium.k8s.namespace.labels.contains=coredns']) });
    // Every step's changes were waited for until each agent's slowest endpoint had realized them, the last one too.
    for (const agent of api.agents) {
      expect(agent.confirmed.length).toBeGreaterThanOrEqual(8);
      expect(agent.confirmed).toEqual([...new Set(agent.confirmed)].sort((a, b) => a - b));
    }
    expect(api.leftovers()).toEqual([]);
  });

  it.each(OTHER_TUTORIALS)('passes %s as the model backend does, and leaves nothing behind', async (file) => {
    await api.stop();
    await standIn(path.join(REPO, file));
    const { exitCode, stdout, results } = await run(path.join(REPO, file));
    const model = await runInProcess('run', path.join(REPO, file));
    const summary = (text: string) => /PASS: 1\/1 suites pass, (\d+) cells, (\d+) tutorial claims/.exec(text)?.slice(1);
    expect(summary(stdout)).toEqual(summary(model.stdout));
    expect(exitCode).toBe(0);
    expect(results.suites[0]!.steps.flatMap((s) => s.cells).every((c) => c.agreesWithModel)).toBe(true);
    expect(api.leftovers()).toEqual([]);
  });

  it('looks names up with nslookup in the source pod and reads its words; a pod whose image has no nslookup is not runnable', async () => {
    const dir = await fixture({
      'lookups.suite.yaml': suiteWith(`- name: lookups
  expect:
    frontend -> dns://backend: ok
    frontend -> dns://backend.default: dns-error
    frontend -> dns://nothing: dns-error
    backend -> dns://backend: ok
- name: no egress from frontend
  apply:
    - { apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: { name: no-egress, namespace: default }, spec: { podSelector: { matchLabels: { app: frontend } }, policyTypes: [Egress] } }
  expect:
    frontend -> dns://backend: dns-timeout
`),
    });
    const suite = path.join(dir, 'lookups.suite.yaml');
    await api.stop();
    await standIn(suite);
    const { exitCode, results } = await run(suite);
    const cells = results.suites[0]!.steps.flatMap((s) => s.cells);
    // byrnedo/alpine-curl's busybox nslookup asks for backend.default only as written: NXDOMAIN, as the model says.
    expect(cells.map((c) => [c.from, c.to, c.notRunnable ?? c.observed])).toEqual([
      ['frontend', 'dns://backend', 'ok'],
      ['frontend', 'dns://backend.default', 'dns-error'],
      ['frontend', 'dns://nothing', 'dns-error'],
      ['backend', 'dns://backend', expect.stringMatching(/^image docker\.io\/cilium\/json-mock:1\.2 has no nslookup, the lookup probe's tool/)],
      ['frontend', 'dns://backend', 'dns-timeout'],
    ]);
    expect(exitCode).toBe(0);
    // The lookups ran as nslookup commands in the frontend pod's probe script.
    expect(api.execs.some((e) => e.pod.startsWith('frontend') && e.command[2]!.includes("'nslookup' '-timeout="))).toBe(true);
  });

  it('fails a cell the datapath lets through against the policy, with the evidence of the real exec', async () => {
    // The datapath lets through one flow the policy denies: the run must see it, through the whole stack.
    const modelled = api.model.simulate.bind(api.model);
    api.model.simulate = (pod, argv) => (pod.name.startsWith('frontend') && argv.at(-1) === 'http://backend:8080/' ? { exitCode: 0, stdout: 'HTTP/1.1 200 OK\r\nServer: leaky\r\n\r\n', stderr: '' } : modelled(pod, argv));
    const { exitCode, stdout, results } = await run(SUITE, '--only', '01 ', '--settle-timeout', '1');
    expect(exitCode).toBe(1);
    const failed = results.suites[0]!.steps.flatMap((s) => s.cells).filter((c) => !c.pass);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.map((c) => `${c.from} -> ${c.to}`)).toEqual(['frontend -> backend:8080']);
    expect(failed[0]).toMatchObject({ expected: 'connect-timeout', observed: 'ok:200', predicted: 'connect-timeout', agreesWithModel: false });
    expect(failed[0]!.evidence).toMatchObject({ pod: 'default/frontend-0', exitCode: 0, stdout: 'HTTP/1.1 200 OK' });
    expect(stdout).toMatch(/✗ frontend -> backend:8080 \(line \d+, claim seeds\/[^)]+\)\n +expected: connect-timeout\n +observed: ok:200/);
    expect(api.leftovers()).toEqual([]);
  });
});

describe('a tutorial through the kube backend (contract, the model as datapath)', () => {
  it('docs check on a cluster: kubectl run pods become Pods that are waited for, probed by exec, and deleted again', async () => {
    const tutorial = path.join(REPO, 'test/fixtures/tutorials/busybox-session/walkthrough.md');
    const { exitCode, stdout, file } = await cliOnStandIn(api, ['docs', 'check'], tutorial);
    // Five outputs and one sentence ("A one-shot check works too:", line 99) claim outcomes.
    expect(stdout, stdout).toMatch(/PASS: 6 claims: 6 hold/);
    expect(exitCode).toBe(0);
    // The throwaway pods went in as bare Pods by server-side apply, with the labels kubectl run gives them.
    const pods = api.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/pods/'));
    expect(pods.map((r) => r.path.split('/').at(-1))).toEqual(expect.arrayContaining(['tmp-shell', 'probe']));
    // Their readiness was watched for, and their probes ran as execs in them.
    expect(api.requests.some((r) => r.path === '/api/v1/namespaces/default/pods' && r.query.get('watch') === 'true' && r.query.get('fieldSelector') === 'metadata.name=tmp-shell')).toBe(true);
    expect(api.execs.some((e) => e.pod === 'tmp-shell')).toBe(true);
    expect(api.leftovers()).toEqual([]);
    const report = JSON.parse(await readFile(file, 'utf8')) as { claims: { verdict: string; observed: string }[] };
    expect(report.claims.map((c) => c.observed)).toEqual(['ok:200', 'connect-timeout', 'ok:200', 'ok:200', 'ok:200', 'ok:200']);
  });
});
