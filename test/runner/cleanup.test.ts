import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../../src/backends/model/model-backend.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { runSuite } from '../../src/runner/run-suite.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { REPO } from '../support/fixture.ts';

const TUTORIAL = path.join(REPO, 'suites/network-policy-tutorial.suite.yaml');

function snapshot(backend: ModelBackend) {
  const { cluster } = backend;
  return {
    pods: cluster.pods().map((p) => `${p.namespace}/${p.name}`),
    policies: cluster.policies().length,
    kubeSystem: cluster.labelsOf({ kind: 'Namespace', name: 'kube-system' }),
    monitoring: cluster.labelsOf({ kind: 'Namespace', name: 'monitoring' }),
  };
}

describe('cleanup', () => {
  it('leaves the cluster as it found it: objects deleted, kube-system label restored', async () => {
    const suite = await loadSuite(TUTORIAL);
    const backend = new ModelBackend(suite.world);
    const before = snapshot(backend);
    const result = await runSuite(suite, backend, await predictSuite(suite));
    expect(result.pass).toBe(true);
    expect(snapshot(backend)).toEqual(before);
    expect(before.kubeSystem).not.toHaveProperty('contains');
  });

  it('cleans up when interrupted in the middle, and says so', async () => {
    const suite = await loadSuite(TUTORIAL);
    const backend = new ModelBackend(suite.world);
    const before = snapshot(backend);
    const controller = new AbortController();
    const original = backend.probe.bind(backend);
    let probes = 0;
    backend.probe = async (pod, argvs, timeoutMs) => {
      // Interrupt once the suite has labelled kube-system and applied policy 08.
      probes += argvs.length;
      if (probes >= 60) controller.abort(new Error('interrupted'));
      return original(pod, argvs, timeoutMs);
    };
    const result = await runSuite(suite, backend, await predictSuite(suite), { signal: controller.signal });
    expect(result.error).toBe('interrupted');
    expect(result.pass).toBe(false);
    expect(snapshot(backend)).toEqual(before);
  });

  it('retries an exec that never reached the pod, and only that', async () => {
    const suite = await loadSuite(path.join(REPO, 'suites/cilium-dns-aware.suite.yaml'));
    const backend = new ModelBackend(suite.world);
    const { TransportError } = await import('../../src/backends/backend.ts');
    const original = backend.probe.bind(backend);
    let calls = 0;
    let probed = 0;
    backend.probe = async (pod, argvs, timeoutMs) => {
      calls++;
      if (calls % 2 === 1) throw new TransportError('websocket closed');
      probed += argvs.length;
      return original(pod, argvs, timeoutMs);
    };
    const result = await runSuite(suite, backend, await predictSuite(suite));
    expect(result.pass).toBe(true);
    // Every batch failed once in transport and ran once; every cell was probed exactly once.
    expect(probed).toBe(result.counts.cells);
    expect(calls % 2).toBe(0);
  });
});
