// "Unmodelled is not invalid" (issue 14): a valid field the model does not simulate loads; the cells it could change
// are unpredicted, naming the field; every other cell is predicted as before. On the model such a cell fails as not
// predicted; on a cluster it is judged by the suite's expectation alone.
import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../../src/backends/model/model-backend.ts';
import { contradictions, predictSuite } from '../../src/runner/predict.ts';
import { runSuite } from '../../src/runner/run-suite.ts';
import { parseSuite } from '../../src/suite/load.ts';
import { runInProcess } from '../support/cli.ts';
import { fixture } from '../support/fixture.ts';
import { BACKEND, cnp, demo } from '../support/model.ts';

const FRONTEND = '  endpointSelector: { matchLabels: { app: frontend } }\n';
const BACKEND_SEL = '  endpointSelector: { matchLabels: { app: backend } }\n';

describe('the model names what it does not simulate', () => {
  it('toServices: egress of the selected pod is not predicted; other pods are', () => {
    const c = demo().apply(cnp('p', `${FRONTEND}  egress: [{ toServices: [{ k8sService: { serviceName: backend, namespace: default } }] }]\n`));
    const probe = c.probe('frontend', BACKEND);
    expect(probe.observation.outcome).toBe('unpredicted');
    expect(probe.unpredicted).toBe('toServices (CiliumNetworkPolicy default/p spec.egress[0]) is not simulated by the model');
    expect(c.outcome('not-frontend', BACKEND)).toBe('ok');
  });

  it('a certain deny stands: an unsimulated allow cannot undo an ingressDeny', () => {
    const c = demo().apply(cnp('d', `${BACKEND_SEL}  ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: frontend } }] }]\n`), cnp('a', `${BACKEND_SEL}  ingress: [{ fromNodes: [{ matchLabels: { role: worker } }] }]\n`));
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
    // not-frontend is neither denied nor allowed by a simulated rule: the node rule could be what admits it.
    expect(c.probe('not-frontend', BACKEND).unpredicted).toMatch(/^fromNodes \(CiliumNetworkPolicy default\/a spec.ingress\[0\]\)/);
  });

  it('a certain plain allow stands against an unsimulated allow, but not against an unsimulated deny', () => {
    const allow = cnp('a', `${BACKEND_SEL}  ingress: [{ fromEndpoints: [{ matchLabels: { app: frontend } }] }, { fromRequires: [{ matchLabels: { env: prod } }] }]\n`);
    expect(demo().apply(allow).outcome('frontend', BACKEND)).toBe('ok');
    const c = demo().apply(allow, cnp('d', `${BACKEND_SEL}  ingressDeny: [{ fromGroups: [{ aws: { securityGroupsIds: [sg-1] } }] }]\n`));
    expect(c.probe('frontend', BACKEND).unpredicted).toMatch(/^fromGroups/);
  });

  it('authentication keeps its peers: only flows from those peers are in doubt', () => {
    const c = demo().apply(cnp('p', `${BACKEND_SEL}  ingress: [{ fromEndpoints: [{ matchLabels: { app: frontend } }], authentication: { mode: required } }]\n`));
    expect(c.probe('frontend', BACKEND).unpredicted).toMatch(/^authentication/);
    expect(c.outcome('not-frontend', BACKEND)).toBe('connect-timeout');
  });

  it('an HTTP header value from a Secret: requests to that port are not predicted (the model cannot read Secrets)', () => {
    const c = demo().apply(cnp('p', `${BACKEND_SEL}  ingress: [{ toPorts: [{ ports: [{ port: "8080" }], rules: { http: [{ headerMatches: [{ name: X-Token, secret: { name: token, namespace: default } }] }] } }] }]\n`));
    expect(c.probe('frontend', BACKEND).unpredicted).toMatch(/^rules\.http\.headerMatches\.secret \(the model cannot read Secrets\)/);
    expect(c.outcome('frontend', 'tcp://backend:9090')).toBe('connect-timeout');
  });

  it('a host policy (nodeSelector) selects no pod; probes to a node are not predicted', () => {
    const c = demo().apply(`apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: host-fw }\nspec:\n  nodeSelector: {}\n  ingress: [{ fromEntities: [cluster] }]\n`);
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    expect(c.probe('frontend', 'https://kubernetes.default:443/').unpredicted).toMatch(/^nodeSelector \(a host policy/);
  });

  it('a lookup that an unsimulated rule could block is not predicted either', () => {
    const c = demo().apply(cnp('p', `${FRONTEND}  egress: [{ toServices: [{ k8sService: { serviceName: kube-dns, namespace: kube-system } }] }]\n`));
    expect(c.probe('frontend', 'http://cilium.io/').unpredicted).toMatch(/^toServices/);
  });
});

const SUITE = `name: unmodelled
manifestDir: ${process.cwd()}/manifests
apps: [demo]
steps:
  - name: toServices on frontend
    apply:
      - apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: { name: svc, namespace: default }
        spec:
          endpointSelector: { matchLabels: { app: frontend } }
          egress: [{ toServices: [{ k8sService: { serviceName: backend, namespace: default } }] }]
    expect:
      frontend -> backend:8080: ok
      not-frontend -> backend:8080: ok
`;

describe('unpredicted cells in a run', () => {
  it('load, contradict nothing, and on the model fail as not predicted while the rest passes', async () => {
    const suite = await parseSuite(SUITE, 'unmodelled.suite.yaml');
    const predictions = await predictSuite(suite);
    expect(contradictions(suite, predictions)).toEqual([]);
    const result = await runSuite(suite, new ModelBackend(suite.world), predictions);
    const cells = result.steps[0]!.cells;
    expect(cells.map((c) => [c.from, c.observed, c.pass])).toEqual([
      ['frontend', 'unpredicted', false],
      ['not-frontend', 'ok:200', true],
    ]);
    expect(cells[0]!.unpredicted).toMatch(/^toServices/);
    expect(result.counts).toMatchObject({ unpredicted: 1, failed: 1 });
    expect(result.pass).toBe(false);
  });

  it('on a cluster, an unpredicted cell is judged by its expectation alone', async () => {
    const suite = await parseSuite(SUITE, 'unmodelled.suite.yaml');
    // A backend that probes for real: the model's probe command answers, but it does not stand in for the oracle.
    const cluster = Object.assign(new ModelBackend(suite.world), { observesPredictions: false, name: 'cluster' });
    const result = await runSuite(suite, cluster, await predictSuite(suite));
    const cell = result.steps[0]!.cells[0]!;
    expect([cell.predicted, cell.agreesWithModel, cell.unpredicted !== undefined]).toEqual(['unpredicted', true, true]);
    // The stand-in's own probe prints "not predicted" and exits -1: a real cluster's curl would answer; here the cell
    // is an exec error, so it fails, and for that reason only.
    expect([cell.observed, cell.pass]).toEqual(['exec-error', false]);
  });

  it('the CLI runs the suite (exit 1, not 2) and says which field was not predicted', async () => {
    const dir = await fixture({ 'u.suite.yaml': SUITE });
    const run = await runInProcess('run', `${dir}/u.suite.yaml`);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('? frontend -> backend:8080 (line 14): not predicted: toServices (CiliumNetworkPolicy default/svc spec.egress[0]) is not simulated by the model');
    expect(run.stdout).toMatch(/1 not predicted by the model/);
  });
});

// Each field the model does not simulate is named as itself (npm run mutation showed no test told them apart).
describe('every port-level field the model does not simulate, by name', () => {
  const port = (extra: string) => cnp('p', `${BACKEND_SEL}  ingress: [{ toPorts: [{ ports: [{ port: "8080" }]${extra} }] }]\n`);
  it.each([
    [', terminatingTLS: { secret: { name: t } }', 'toPorts.terminatingTLS/originatingTLS (TLS interception)'],
    [', originatingTLS: { secret: { name: o } }', 'toPorts.terminatingTLS/originatingTLS (TLS interception)'],
    [', listener: { envoyConfig: { kind: CiliumEnvoyConfig, name: e }, name: l }', 'toPorts.listener (a CiliumEnvoyConfig listener)'],
    [', rules: { kafka: [{ topic: t }] }', 'toPorts.rules.kafka'],
    [', rules: { l7proto: x, l7: [{ a: b }] }', 'toPorts.rules.l7proto'],
    [', rules: { http: [{ path: "/" }, { headerMatches: [{ name: A, value: b }, { name: X-Token, secret: { name: token } }] }] }', 'rules.http.headerMatches.secret (the model cannot read Secrets)'],
    [', serverNames: ["backend"], rules: { http: [{ path: "/" }] }', 'toPorts.serverNames with rules.http but no TLS interception'],
  ])('%s', (extra, field) => {
    expect(demo().apply(port(extra)).probe('frontend', BACKEND).unpredicted).toBe(`${field} (CiliumNetworkPolicy default/p spec.ingress[0]) is not simulated by the model`);
  });
});

describe('Cilium port and ICMP details', () => {
  it('an IPv6 ICMP type allows no IPv4 ping; a rule without ports but with rules is every port', () => {
    const v6 = demo().apply(cnp('p', `${BACKEND_SEL}  ingress: [{ icmps: [{ fields: [{ type: 128, family: IPv6 }] }] }]\n`));
    expect(v6.outcome('frontend', `icmp://${v6.pod('backend').ip}`)).toBe('connect-timeout');
    const any = demo().apply(cnp('p', `${BACKEND_SEL}  ingress: [{ toPorts: [{ rules: { http: [{ method: GET }] } }] }]\n`));
    expect(any.outcome('frontend', BACKEND)).toBe('ok');
    expect(any.outcome('frontend', `POST ${BACKEND}`)).toBe('ok:403');
  });

  it("a named port in toPorts is the destination pod's container port of that name, on egress too", () => {
    const c = demo().apply(cnp('e', `  endpointSelector: { matchLabels: { app: frontend } }\n  egress:\n    - toPorts: [{ ports: [{ port: "53", protocol: ANY }] }]\n    - toPorts: [{ ports: [{ port: http, protocol: TCP }] }]\n`));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    expect(c.outcome('frontend', 'tcp://backend:9090')).toBe('connect-timeout');
  });

  it('two toFQDNs matchers: a name either one matches; two endpoint selectors: a pod either one selects', () => {
    const c = demo().apply(
      cnp(
        'f',
        `  endpointSelector: { matchLabels: { app: frontend } }\n  egress:\n    - toPorts: [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [{ matchPattern: "*" }] } }]\n    - toFQDNs: [{ matchName: nothing.example }, { matchName: cilium.io }]\n    - toEndpoints: [{ matchLabels: { app: nobody } }, { matchLabels: { app: backend } }]\n`,
      ),
    );
    expect(c.outcome('frontend', 'https://cilium.io/')).toBe('ok');
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    expect(c.outcome('frontend', 'https://kubernetes.io/')).toBe('connect-timeout');
  });

  it('a header rule "Name:  value" (colon, then the value after the first space) and a lone name', () => {
    const c = demo().apply(cnp('h', `${BACKEND_SEL}  ingress: [{ toPorts: [{ ports: [{ port: "8080" }], rules: { http: [{ headers: ["X-Token: abc"] }, { headers: ["X-Flag"] }] } }] }]\n`));
    expect(c.outcome('frontend', `${BACKEND} -H 'X-Token: abc'`)).toBe('ok');
    expect(c.outcome('frontend', `${BACKEND} -H 'X-Token: abd'`)).toBe('ok:403');
    expect(c.outcome('frontend', `${BACKEND} -H 'X-Flag: anything'`)).toBe('ok');
  });
});
