// A suite that switches Cilium's policy audit mode (the step field policyAuditMode): the model follows it, the walk
// switches it off again at the end, and a backend that cannot switch it (the kube backend) runs nothing of such a
// suite and says why, rather than pretend the cells passed or failed.
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ClusterBackend } from '../../src/backends/backend.ts';
import { KubeBackend } from '../../src/backends/kube/kube-backend.ts';
import { ModelBackend } from '../../src/backends/model/model-backend.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { runSuite } from '../../src/runner/run-suite.ts';
import { parseSuite } from '../../src/suite/load.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { suiteYaml } from '../../src/tutorials/extract/suite.ts';
import { REPO } from '../support/fixture.ts';

const SUITE = `name: audit
manifestDir: ${path.join(REPO, 'manifests')}
apps: [demo]
steps:
  - name: deny in audit mode
    policyAuditMode: true
    apply:
      - { apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: { name: deny }, spec: { podSelector: { matchLabels: { app: backend } }, policyTypes: [Ingress] } }
    expect:
      frontend -> http://backend:8080/: ok
  - name: enforced
    policyAuditMode: false
    expect:
      frontend -> http://backend:8080/: connect-timeout
`;

describe('policy audit mode in a suite', () => {
  it('is an action of its step, at the line of the field', async () => {
    const suite = await parseSuite(SUITE, 'audit.suite.yaml');
    expect(suite.steps.map((s) => s.actions[0])).toEqual([
      { kind: 'policy-audit', on: true, what: 'policy audit mode on', line: 6 },
      { kind: 'policy-audit', on: false, what: 'policy audit mode off', line: 12 },
    ]);
  });

  it('the model lets the denied flow through while it is on, and it is off again after the suite', async () => {
    const suite = await parseSuite(SUITE.replace('    policyAuditMode: false\n', ''), 'audit.suite.yaml');
    // Left on by the last step: the walk's cleanup switches it off.
    suite.steps[1]!.cells[0]!.expect = { outcome: 'ok' };
    const backend = new ModelBackend(suite.world);
    const result = await runSuite(suite, backend, await predictSuite(suite));
    expect(result.steps.flatMap((s) => s.cells.map((c) => c.observed))).toEqual(['ok:200', 'ok:200']);
    expect(result.pass).toBe(true);
    expect(backend.cluster.auditing()).toBe(false);
  });

  it('a backend that cannot switch it runs nothing of the suite, and every cell says why', async () => {
    const config = new KubeConfig();
    config.loadFromOptions({ clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    expect('setPolicyAudit' in new KubeBackend(config, { name: 'test' })).toBe(false);
    const suite = await parseSuite(SUITE, 'audit.suite.yaml');
    // The model's datapath with the kube backend's means: no setPolicyAudit.
    const model = new ModelBackend(suite.world);
    const backend: ClusterBackend = Object.assign(Object.create(model) as ModelBackend, { name: 'kube', setPolicyAudit: undefined });
    const result = await runSuite(suite, backend, await predictSuite(suite));
    const cells = result.steps.flatMap((s) => s.cells);
    expect(cells.map((c) => [c.observed, c.notRunnable])).toEqual([
      ['not-runnable', "the suite switches Cilium's policy audit mode on (policy audit mode on, line 6), which the kube backend does not do"],
      ['not-runnable', "the suite switches Cilium's policy audit mode on (policy audit mode on, line 6), which the kube backend does not do"],
    ]);
    expect(model.cluster.pods().filter((p) => p.namespace === 'default')).toEqual([]);
  });

  it('a tutorial that switches it, extracted to a suite file, keeps the switches and passes from the file', async () => {
    // test/fixtures/tutorials/audit-mode/audit.md: `cilium config set policy-audit-mode true`, later `false`.
    const { extraction, suite } = await extractTutorial(path.join(REPO, 'test/fixtures/tutorials/audit-mode/audit.md'));
    const file = path.join(REPO, 'results', 'audit.suite.yaml');
    const reloaded = await parseSuite(suiteYaml(extraction, suite), file);
    expect(reloaded.steps.flatMap((s) => s.actions.filter((a) => a.kind === 'policy-audit').map((a) => a.on))).toEqual([true, false]);
    const result = await runSuite(reloaded, new ModelBackend(reloaded.world), await predictSuite(reloaded));
    expect(result.pass).toBe(true);
  });
});
