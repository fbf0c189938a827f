// One backend across suites, as on a cluster: apps shared by consecutive suites are deployed once, each suite's own
// changes are still undone, and the cluster ends as it began.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../../src/backends/model/model-backend.ts';
import { KeptApps } from '../../src/runner/kept-apps.ts';
import { LeftBehind } from '../../src/runner/left-behind.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { runSuite } from '../../src/runner/run-suite.ts';
import { discoverSuites } from '../../src/suite/discover.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { fixture, REPO, suiteWith } from '../support/fixture.ts';

/** What a cluster shows: pods with their labels, namespaces with theirs, policies. */
function state(backend: ModelBackend) {
  const { cluster } = backend;
  return {
    pods: cluster.pods().map((p) => `${p.namespace}/${p.name} ${JSON.stringify(p.labels)}`),
    namespaces: ['default', 'kube-system', 'x', 'y', 'z'].map((n) => cluster.labelsOf({ kind: 'Namespace', name: n })),
    policies: cluster.policies().length,
  };
}

/** A model backend that counts how often each object is applied. */
function countingBackend(world: ConstructorParameters<typeof ModelBackend>[0]) {
  const backend = new ModelBackend(world);
  const applied = new Map<string, number>();
  const apply = backend.apply.bind(backend);
  backend.apply = async (objects) => {
    for (const o of objects) applied.set(`${o.kind} ${o.metadata.name}`, (applied.get(`${o.kind} ${o.metadata.name}`) ?? 0) + 1);
    return apply(objects);
  };
  return { backend, applied };
}

describe('apps kept across suites', () => {
  it('deploys the conformance topology once for the 44 TCP/UDP cases and once with SCTP for the 3 that probe it, all passing, leaving nothing behind', async () => {
    // The upstream pack; its Cilium section (suites/conformance/cilium) runs a topology of its own.
    const files = (await discoverSuites([path.join(REPO, 'suites/conformance')])).filter((f) => !f.includes('/conformance/cilium/'));
    const suites = await Promise.all(files.map((f) => loadSuite(f)));
    const { backend, applied } = countingBackend(suites.flatMap((s) => s.world));
    const before = state(backend);
    const kept = new KeptApps();
    const failed: string[] = [];
    for (const suite of suites) {
      const result = await runSuite(suite, backend, await predictSuite(suite), { keptApps: kept });
      if (!result.pass) failed.push(`${suite.name}: ${result.error ?? result.counts.failed}`);
    }
    expect(failed).toEqual([]);
    expect(suites).toHaveLength(47);
    // The SCTP cases come last (45-47): one switch of topology in the whole pack.
    expect(applied.get('Namespace x')).toBe(2);
    expect(applied.get('Deployment a')).toBe(6);
    // Policies are still applied and removed per suite.
    expect(backend.cluster.policies()).toEqual([]);
    const left = new LeftBehind();
    await kept.release(backend, left);
    expect(left.entries).toEqual([]);
    expect(state(backend)).toEqual(before);
  });

  it.each([
    ['kept', true],
    ['not kept', false],
  ])('removes apps whose deployment failed half-way (%s)', async (_, keep) => {
    const dir = await fixture({
      'a.suite.yaml': suiteWith(`- name: never runs
  expect:
    frontend -> backend:8080: "ok:200"
`),
    });
    const suite = await loadSuite(path.join(dir, 'a.suite.yaml'));
    const backend = new ModelBackend(suite.world);
    const before = state(backend);
    const apply = backend.apply.bind(backend);
    // The app's first objects go in, then one is refused, as an admission webhook might.
    backend.apply = async (objects) => {
      await apply(objects.slice(0, 2));
      throw new Error('admission webhook denied the request');
    };
    const result = await runSuite(suite, backend, await predictSuite(suite), { keptApps: keep ? new KeptApps() : undefined });
    expect(result.error).toMatch(/admission webhook denied the request/);
    expect(state(backend).pods).toEqual(before.pods);
    expect(
      backend.cluster
        .services()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['kube-dns', 'kubernetes']);
  });

  it('an apply that fails is the error reported; a cleanup failure after it is told after it, never instead', async () => {
    const dir = await fixture({
      'a.suite.yaml': suiteWith(`- name: a policy the cluster refuses
  apply:
    - { apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: { name: p, namespace: default }, spec: { podSelector: {} } }
  expect:
    frontend -> backend:8080: connect-timeout
`),
    });
    const suite = await loadSuite(path.join(dir, 'a.suite.yaml'));
    const backend = new ModelBackend(suite.world);
    const [apply, remove] = [backend.apply.bind(backend), backend.remove.bind(backend)];
    backend.apply = async (objects) => {
      if (objects.some((o) => o.kind === 'NetworkPolicy')) throw new Error('admission webhook denied the request');
      await apply(objects);
    };
    // The frontend Deployment will not go: that one really is left behind.
    backend.remove = async (refs, options) => {
      if (refs.some((r) => r.name === 'frontend' && r.kind === 'Deployment')) throw new Error('the server is currently unable to handle the request');
      await remove(refs, options);
    };
    const result = await runSuite(suite, backend, await predictSuite(suite));
    expect(result.error).toMatch(/^apply NetworkPolicy p.*: admission webhook denied the request; then cleanup left behind: Deployment default\/frontend: the server is currently unable to handle the request$/);
  });

  it('deploys again after a suite whose steps changed a kept app', async () => {
    const dir = await fixture({
      'a.suite.yaml': suiteWith(`- name: delete the backend\n  delete: [deployment/backend]\n  expect:\n    frontend -> backend:8080: refused\n`).replace('name: fixture', 'name: a'),
      'b.suite.yaml': suiteWith(`- name: backend answers again\n  expect:\n    frontend -> backend:8080: "ok:200"\n`).replace('name: fixture', 'name: b'),
      'c.suite.yaml': suiteWith(`- name: and is kept\n  expect:\n    frontend -> backend:8080: "ok:200"\n`).replace('name: fixture', 'name: c'),
    });
    const suites = await Promise.all(['a', 'b', 'c'].map((n) => loadSuite(path.join(dir, `${n}.suite.yaml`))));
    const { backend, applied } = countingBackend([]);
    const before = state(backend);
    const kept = new KeptApps();
    const results = [];
    for (const suite of suites) results.push(await runSuite(suite, backend, await predictSuite(suite), { keptApps: kept }));
    expect(results.map((r) => r.steps[0]!.cells.find((c) => c.from === 'frontend' && c.to === 'backend:8080')?.observed)).toEqual(['refused', 'ok:200', 'ok:200']);
    // a deployed it, b again (a had deleted part of it), c reused b's.
    expect(applied.get('Deployment backend')).toBe(2);
    await kept.release(backend, new LeftBehind());
    expect(state(backend)).toEqual(before);
  });
});
