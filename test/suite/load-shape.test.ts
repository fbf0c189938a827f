// What a loaded suite holds, as the runner and the reports use it: each action's wording (shown in progress lines,
// results and explanations) and line, what each delete resolves to, each cell's key, target, expectation, claim
// and line, matrix cells as optional and overridden by a step's own expectation, and truth-table cells as the
// probes they stand for. Written as a suite author writes one, in this process (so mutation testing sees it).
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadSuite } from '../../src/suite/load.ts';
import type { Suite } from '../../src/suite/types.ts';
import { fixture, REPO } from '../support/fixture.ts';

const SUITE = `name: shape
manifestDir: ${path.join(REPO, 'manifests')}
apps:
  - demo
  - monitoring
external:
  kubernetes.io: { "443": 200 }
matrix:
  from:
    - frontend
    - monitoring/monitoring
  to: [backend:8080, https://kubernetes.io/]
steps:
  - name: label both ways
    label:
      - namespace: kube-system
        set: { contains: coredns }
      - pod: monitoring/monitoring
        set: { team: ops, old: null }
    expect:
      frontend -> backend:8080: "ok:200"
      "frontend -> http://backend:8080/healthz -H 'X-Token: 1'": { outcome: "ok:200", claim: seeds/x.txt:3, note: why }
  - name: apply a file and one inline, delete three ways
    apply:
      - policies/network-policy-tutorial/01-backend-ingress-deny.yaml
      - apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: inline-deny, namespace: default }
        spec: { podSelector: {}, policyTypes: [Egress] }
    delete:
      - policies/network-policy-tutorial/01-backend-ingress-deny.yaml
      - default/networkpolicy/inline-deny
      - cnp/gone
    reachability:
      - port: 8080
        table: |
          -        frontend backend
          frontend -        .
          backend  X        -
      - port: 80
        protocol: UDP
        via: service-ip
        table: |
          -        backend
          frontend X
`;

let suite: Suite;
const objects = (a: { objects?: { kind: string; metadata: { name: string } }[] }) => a.objects?.map((o) => `${o.kind}/${o.metadata.name}`);

describe('a loaded suite', async () => {
  const dir = await fixture({ 'shape.suite.yaml': SUITE });
  // Loaded in each test, not once for all: mutation testing credits a mutant only to the tests that ran its code.
  beforeEach(async () => {
    suite = await loadSuite(path.join(dir, 'shape.suite.yaml'));
  });

  it('deploys each app, at the line that names it', () => {
    expect(suite.setup.map((a) => [a.what, a.line, objects(a as never)])).toEqual([
      ['deploy app demo', 4, ['Deployment/frontend', 'Deployment/not-frontend', 'Deployment/backend', 'Service/backend']],
      ['deploy app monitoring', 5, ['Namespace/monitoring', 'Deployment/monitoring']],
    ]);
  });

  it('labels a namespace and a pod, a null value removing the label, each at its line', () => {
    expect(suite.steps[0]!.actions).toEqual([
      { kind: 'label', target: { namespace: 'kube-system' }, set: { contains: 'coredns' }, what: 'label namespace kube-system contains=coredns', line: 16 },
      { kind: 'label', target: { pod: { namespace: 'monitoring', name: 'monitoring' } }, set: { team: 'ops', old: null }, what: 'label pod monitoring/monitoring team=ops old-', line: 18 },
    ]);
  });

  it('applies a file and an inline manifest, and deletes by file, namespace/kind/name and short kind/name', () => {
    const actions = suite.steps[1]!.actions;
    expect(actions.map((a) => [a.kind, a.what, a.line])).toEqual([
      ['apply', 'apply policies/network-policy-tutorial/01-backend-ingress-deny.yaml', 25],
      ['apply', 'apply NetworkPolicy inline-deny (inline)', 26],
      ['delete', 'delete policies/network-policy-tutorial/01-backend-ingress-deny.yaml', 31],
      ['delete', 'delete default/networkpolicy/inline-deny', 32],
      ['delete', 'delete cnp/gone', 33],
    ]);
    expect(actions.slice(0, 2).map((a) => objects(a as never))).toEqual([['NetworkPolicy/backend-ingress-deny'], ['NetworkPolicy/inline-deny']]);
    expect(actions.slice(2).map((a) => (a as { refs: unknown }).refs)).toEqual([
      [{ kind: 'NetworkPolicy', namespace: 'default', name: 'backend-ingress-deny' }],
      [{ kind: 'NetworkPolicy', namespace: 'default', name: 'inline-deny' }],
      [{ kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'gone' }],
    ]);
  });

  it("probes the matrix at every step as optional cells at their source's line, unless the step expects the cell itself", () => {
    const cells = (i: number) => suite.steps[i]!.cells.map((c) => [c.key, c.line, c.optional ?? false, c.expect ?? null, c.claim ?? null]);
    expect(cells(0)).toEqual([
      ['frontend -> backend:8080', 21, false, { outcome: 'ok', status: 200 }, null],
      ['frontend -> https://kubernetes.io/', 10, true, null, null],
      ['monitoring/monitoring -> backend:8080', 11, true, null, null],
      ['monitoring/monitoring -> https://kubernetes.io/', 11, true, null, null],
      ["frontend -> http://backend:8080/healthz -H 'X-Token: 1'", 22, false, { outcome: 'ok', status: 200 }, 'seeds/x.txt:3'],
    ]);
    expect(suite.steps[0]!.cells.at(-1)!.to).toEqual({ host: { kind: 'name', name: 'backend' }, scheme: 'http', port: 8080, path: '/healthz', method: 'GET', headers: ['X-Token: 1'] });
    expect(
      cells(1)
        .slice(0, 4)
        .map(([key, line, optional]) => [key, line, optional]),
    ).toEqual([
      ['frontend -> backend:8080', 10, true],
      ['frontend -> https://kubernetes.io/', 10, true],
      ['monitoring/monitoring -> backend:8080', 11, true],
      ['monitoring/monitoring -> https://kubernetes.io/', 11, true],
    ]);
  });

  it("reads a truth table as pod-to-pod probes at the row's line: . connects, X is denied, - is not asserted", () => {
    expect(suite.steps[1]!.cells.slice(4).map((c) => [c.key, c.line, c.expect])).toEqual([
      ['frontend -> tcp://pod-ip:backend:8080', 38, { outcome: 'ok' }],
      ['backend -> tcp://pod-ip:frontend:8080', 39, { outcome: 'denied' }],
      ['frontend -> udp://service-ip:default/s-backend:80', 45, { outcome: 'denied' }],
    ]);
  });
});
