// StatefulSets, ReplicaSets and DaemonSets: refused as the API server refuses them, their pods named as their
// controllers name them, a StatefulSet pod reachable by its name under a headless Service, and usable in a suite.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/input-error.ts';
import { WORKER_NODES } from '../../src/model/workload-pods.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { runInProcess } from '../support/cli.ts';
import { fixture, REPO, suiteWith } from '../support/fixture.ts';
import { namespace, TestCluster } from '../support/model.ts';

/** A workload of `kind` whose pods run json-mock (a server on 8080) with `labels`, selected by `selector`. */
function workload(kind: string, name: string, opts: { ns?: string; labels?: string; selector?: string; spec?: string } = {}): string {
  return `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${opts.ns ?? 'default'}
spec:
${opts.spec ?? ''}  selector: ${opts.selector ?? `{ matchLabels: { app: ${name} } }`}
  template:
    metadata:
      labels: ${opts.labels ?? `{ app: ${name} }`}
    spec:
      containers:
        - name: c
          image: docker.io/cilium/json-mock:v1.3.8
          ports: [{ containerPort: 8080 }]
`;
}

async function refusal(manifest: string): Promise<InputError> {
  const dir = await fixture({
    'w.yaml': manifest,
    'x.suite.yaml': suiteWith('  - name: a\n    apply: [w.yaml]\n').replace(/manifestDir: .*\n/, `manifestDir: .\n`),
    'apps/demo.yaml': await readFile(path.join(REPO, 'manifests/apps/demo.yaml'), 'utf8'),
  });
  const error = await loadSuite(path.join(dir, 'x.suite.yaml')).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).file).toMatch(/w\.yaml$/);
  return error as InputError;
}

describe('apps/v1 workloads are refused where the API server refuses them (pkg/apis/apps/validation)', () => {
  it('a selector that does not select the template labels, at the template labels, matchExpressions included', async () => {
    const e = await refusal(workload('StatefulSet', 'db', { labels: '{ app: mysql }' }));
    expect([e.line, e.field, e.detail]).toEqual([10, 'spec.template.metadata.labels', '`selector` does not match template `labels`']);
    const byExpression = await refusal(workload('DaemonSet', 'agent', { selector: '{ matchExpressions: [{ key: tier, operator: In, values: [node] }] }' }));
    expect([byExpression.line, byExpression.field]).toEqual([10, 'spec.template.metadata.labels']);
    const deployment = await refusal(workload('Deployment', 'web', { selector: '{ matchLabels: { app: web, tier: front } }' }));
    expect(deployment.detail).toBe('`selector` does not match template `labels`');
  });

  it('an empty selector, in the words of its kind', async () => {
    const e = await refusal(workload('ReplicaSet', 'web', { selector: '{}' }));
    expect([e.line, e.field, e.detail]).toEqual([7, 'spec.selector', 'empty selector is invalid for replicaset']);
  });

  it("a StatefulSet name that is not a DNS label (its pods' host names are NAME-ORDINAL)", async () => {
    const e = await refusal(workload('StatefulSet', 'catalog.mysql'));
    expect([e.line, e.field]).toEqual([4, 'metadata.name']);
  });

  it('exits 2 naming the manifest file and line', async () => {
    const dir = await fixture({ 'apps/db.yaml': workload('StatefulSet', 'db', { labels: '{ app: mysql }' }), 'x.suite.yaml': 'name: x\nmanifestDir: .\napps: [db]\nsteps:\n  - name: a\n    expect:\n      db -> db:8080: ok\n' });
    const { exitCode, stderr } = await runInProcess('run', path.join(dir, 'x.suite.yaml'));
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/apps\/db\.yaml:10\b.*spec\.template\.metadata\.labels/);
  });
});

describe('the pods a workload runs', () => {
  it("a StatefulSet's are NAME-0 to NAME-(N-1), from spec.ordinals.start where given", () => {
    const c = new TestCluster().apply(namespace('catalog'), workload('StatefulSet', 'catalog-mysql', { ns: 'catalog', spec: '  replicas: 3\n' }), workload('StatefulSet', 'kafka', { spec: '  replicas: 2\n  ordinals: { start: 1 }\n' }));
    expect(
      c.cluster
        .pods()
        .filter((p) => p.namespace === 'catalog')
        .map((p) => p.name),
    ).toEqual(['catalog-mysql-0', 'catalog-mysql-1', 'catalog-mysql-2']);
    expect(
      c.cluster
        .pods()
        .filter((p) => p.labels.app === 'kafka')
        .map((p) => p.name),
    ).toEqual(['kafka-1', 'kafka-2']);
  });

  it("a ReplicaSet's as many as its replicas, named as the model names a Deployment's", () => {
    const c = new TestCluster().apply(workload('ReplicaSet', 'web', { spec: '  replicas: 2\n' }), workload('Deployment', 'api'));
    expect(
      c.cluster
        .pods()
        .filter((p) => ['web', 'api'].includes(p.labels.app!))
        .map((p) => p.name),
    ).toEqual(['web-0', 'web-1', 'api-0']);
  });

  it("a DaemonSet's one per worker node of the kind cluster cluster:up creates", async () => {
    const kind = await readFile(path.join(REPO, 'cluster/kind.yaml'), 'utf8');
    expect(kind.match(/- role: worker$/gm)).toHaveLength(WORKER_NODES);
    const c = new TestCluster().apply(workload('DaemonSet', 'agent'));
    expect(
      c.cluster
        .pods()
        .filter((p) => p.labels.app === 'agent')
        .map((p) => p.name),
    ).toEqual(['agent-0', 'agent-1']);
  });

  it('a workload pod is a pod like any other to policies', () => {
    const deny = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny, namespace: default }\nspec: { podSelector: { matchLabels: { app: db } }, ingress: [] }\n';
    const c = new TestCluster().apply(workload('StatefulSet', 'db'), workload('DaemonSet', 'agent'), 'apiVersion: v1\nkind: Service\nmetadata: { name: db }\nspec: { selector: { app: db }, ports: [{ port: 8080 }] }\n');
    expect(c.outcome('agent', 'http://db:8080/')).toBe('ok');
    c.apply(deny);
    expect(c.outcome('agent', 'http://db:8080/')).toBe('connect-timeout');
  });
});

describe("a StatefulSet pod's DNS name under its headless Service (kubernetes/dns specification 2.4.1)", () => {
  const headless = (clusterIP: string) => `apiVersion: v1\nkind: Service\nmetadata: { name: kafka-headless, namespace: kafka }\nspec: { clusterIP: ${clusterIP}, selector: { app: kafka }, ports: [{ port: 8080 }] }\n`;
  const cluster = (clusterIP: string) =>
    new TestCluster().apply(namespace('kafka'), headless(clusterIP), workload('StatefulSet', 'kafka', { ns: 'kafka', spec: '  replicas: 2\n  serviceName: kafka-headless\n' }), workload('Deployment', 'client', { ns: 'kafka' }));

  it('resolves POD.SERVICE.NS to that pod', () => {
    const c = cluster('None');
    const probe = c.probe('client', 'http://kafka-1.kafka-headless.kafka:8080/', 'kafka');
    expect(probe.observation.outcome).toBe('ok');
    expect(c.cluster.answer('kafka-1.kafka-headless.kafka.svc.cluster.local')).toBe(c.cluster.pods().find((p) => p.name === 'kafka-1')!.ip);
  });

  it('not under a Service with a cluster IP, nor for an ordinal the set does not have', () => {
    expect(cluster('10.96.5.5').cluster.answer('kafka-0.kafka-headless.kafka.svc.cluster.local')).toBeUndefined();
    expect(cluster('None').cluster.answer('kafka-2.kafka-headless.kafka.svc.cluster.local')).toBeUndefined();
  });
});

describe('a suite may run them', () => {
  it('applies a StatefulSet as an app and predicts probes to and from its pods', async () => {
    const dir = await fixture({
      'apps/db.yaml': `${workload('StatefulSet', 'db')}---\n${workload('DaemonSet', 'agent')}---\napiVersion: v1\nkind: Service\nmetadata: { name: db }\nspec: { selector: { app: db }, ports: [{ port: 8080 }] }\n`,
      'x.suite.yaml': 'name: x\nmanifestDir: .\napps: [db]\nsteps:\n  - name: open\n    expect:\n      agent -> db:8080: ok\n      agent -> pod-ip:db:8080: ok\n',
    });
    const predictions = await predictSuite(await loadSuite(path.join(dir, 'x.suite.yaml')));
    expect([...predictions.get(0)!.cells.values()].map((s) => s.observation.outcome)).toEqual(['ok', 'ok']);
  });
});
