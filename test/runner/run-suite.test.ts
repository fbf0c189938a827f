// The runner's rules for real datapaths, exercised on the model backend with the datapath's behaviour altered.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterBackend } from '../../src/backends/backend.ts';
import { ModelBackend } from '../../src/backends/model/model-backend.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { runSuite } from '../../src/runner/run-suite.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { fixture, REPO, suiteWith } from '../support/fixture.ts';

const DENY_ALL_EGRESS = `
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: frontend-no-egress, namespace: default}
    spec:
      podSelector: {matchLabels: {app: frontend}}
      policyTypes: [Egress]`;

const TIMED_OUT = { exitCode: 28, stdout: '', stderr: 'curl: (28) Connection timed out after 2001 milliseconds\n' };

async function suiteFile(steps: string) {
  const dir = await fixture({ 'x.suite.yaml': suiteWith(steps) });
  return loadSuite(path.join(dir, 'x.suite.yaml'));
}

describe('runner', () => {
  it('fails a deny from a source that never connected in the run, and accepts it once that source has connected', async () => {
    const denyOnly = `- name: deny
  apply:${DENY_ALL_EGRESS}
  expect:
    frontend -> backend:8080: denied
`;
    const suite = await suiteFile(denyOnly);
    const unproven = await runSuite(suite, new ModelBackend(suite.world), await predictSuite(suite));
    const cell = unproven.steps[0]!.cells.find((c) => c.from === 'frontend' && c.to === 'backend:8080')!;
    expect(cell.observed).toBe('dns-timeout');
    expect(cell.pass).toBe(false);
    expect(cell.unproven).toMatch(/frontend never connected/);

    const withBaseline = await suiteFile(`- name: baseline
  expect:
    frontend -> backend:8080: ok:200
${denyOnly}`);
    const proven = await runSuite(withBaseline, new ModelBackend(withBaseline.world), await predictSuite(withBaseline));
    const after = proven.steps[1]!.cells.find((c) => c.from === 'frontend' && c.to === 'backend:8080');
    expect(after?.pass).toBe(true);
    expect(after?.unproven).toBeUndefined();
  });

  it('sends one batch per source pod per step', async () => {
    const suite = await loadSuite(path.join(REPO, 'suites/cilium-dns-aware.suite.yaml'));
    const backend = new ModelBackend(suite.world);
    const batches: string[] = [];
    const original = backend.probe.bind(backend);
    backend.probe = async (pod, argvs, timeoutMs) => {
      batches.push(`${pod.namespace}/${pod.name}`);
      return original(pod, argvs, timeoutMs);
    };
    const result = await runSuite(suite, backend, await predictSuite(suite));
    const sourcesPerStep = result.steps.map((s) => new Set(s.cells.map((c) => c.from)).size);
    expect(batches).toHaveLength(sourcesPerStep.reduce((a, b) => a + b, 0));
  });

  it('asks the backend for datapath evidence on failing cells only, naming the source pod and the target host', async () => {
    const suite = await loadSuite(path.join(REPO, 'suites/cilium-dns-aware.suite.yaml'));
    const backend: ModelBackend & Pick<ClusterBackend, 'diagnose'> = new ModelBackend(suite.world);
    const original = backend.probe.bind(backend);
    // The datapath drops backend's HTTPS to kubernetes.io, which every step expects to succeed.
    backend.probe = async (pod, argvs, timeoutMs) => {
      const results = await original(pod, argvs, timeoutMs);
      return results.map((r, i) => (pod.name.startsWith('backend') && argvs[i]!.at(-1) === 'https://kubernetes.io/' ? TIMED_OUT : r));
    };
    const asked: string[] = [];
    backend.diagnose = async (pod, target) => {
      asked.push(`${pod.namespace}/${pod.name} ${target}`);
      return [`flows from ${pod.name}`];
    };
    const result = await runSuite(suite, backend, await predictSuite(suite));
    const failed = result.steps.flatMap((s) => s.cells).filter((c) => !c.pass);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((c) => c.from === 'backend' && c.to === 'https://kubernetes.io' && c.diagnostics?.[0] === 'flows from backend-0')).toBe(true);
    expect(asked).toEqual(failed.map(() => 'default/backend-0 kubernetes.io'));
    expect(result.steps.flatMap((s) => s.cells).filter((c) => c.pass && c.diagnostics)).toEqual([]);
  });

  it('looks each pod up once per step, not once per cell', async () => {
    const suite = await loadSuite(path.join(REPO, 'suites/network-policy-tutorial.suite.yaml'));
    const backend = new ModelBackend(suite.world);
    const lookups: string[] = [];
    const original = backend.pods.bind(backend);
    backend.pods = async (query) => {
      lookups.push(JSON.stringify(query));
      return original(query);
    };
    const result = await runSuite(suite, backend, await predictSuite(suite));
    // Per step: one lookup per distinct source the step names (this suite's targets are names, its one label
    // action a namespace); before, it was one per cell.
    const perStep = suite.steps.map((s) => new Set(s.cells.map((c) => `${c.from.namespace}/${c.from.name}`)).size);
    expect(lookups.length).toBe(perStep.reduce((a, b) => a + b, 0));
    expect(lookups.length).toBeLessThan(result.counts.cells / 2);
  });

  it('probes an unconfirmed step until the matrix settles, and reports how long that took', async () => {
    const suite = await loadSuite(path.join(REPO, 'suites/cilium-dns-aware.suite.yaml'));
    const backend = new ModelBackend(suite.world);
    backend.waitEnforced = async () => 'unconfirmed';
    // The datapath lags: the first two rounds of each batch still time out everywhere.
    const original = backend.probe.bind(backend);
    const rounds = new Map<string, number>();
    backend.probe = async (pod, argvs, timeoutMs) => {
      const key = `${pod.name} ${argvs.join()}`;
      rounds.set(key, (rounds.get(key) ?? 0) + 1);
      if (rounds.get(key)! <= 2) return argvs.map(() => TIMED_OUT);
      return original(pod, argvs, timeoutMs);
    };
    const result = await runSuite(suite, backend, await predictSuite(suite), { settleIntervalMs: 1 });
    expect(result.pass).toBe(true);
    expect(result.steps.every((s) => s.enforcement === 'unconfirmed' && s.convergenceMs > 0)).toBe(true);
    expect(Math.min(...rounds.values())).toBeGreaterThanOrEqual(3);
  });

  it('gives up settling at the deadline and reports the cells that still disagree', async () => {
    const suite = await loadSuite(path.join(REPO, 'suites/cilium-dns-aware.suite.yaml'));
    const backend = new ModelBackend(suite.world);
    backend.waitEnforced = async () => 'unconfirmed';
    let calls = 0;
    backend.probe = async (_pod, argvs) => {
      calls++;
      return argvs.map(() => TIMED_OUT);
    };
    const result = await runSuite(suite, backend, await predictSuite(suite), { settleIntervalMs: 5, settleTimeoutMs: 30 });
    expect(result.pass).toBe(false);
    expect(calls).toBeGreaterThan(result.steps.length);
    expect(result.steps.flatMap((s) => s.cells).filter((c) => c.predicted.startsWith('ok') && !c.agreesWithModel).length).toBeGreaterThan(0);
  });
});
