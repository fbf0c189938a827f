// One side's verdict in detail, through `decide` itself: which rules it names (every allow and deny when explaining,
// the first deciding one on the matrix's fast path), what a tier decision records, what the L7 proxies say, and how
// named ports resolve. Written from the survivors of a mutation run over src/model/policy: each case is a behaviour
// a reader of a verdict (the trace, the probe, lint) depends on.
import { describe, expect, it } from 'vitest';
import { decide, type Verdict } from '../../src/model/policy/verdict.ts';
import type { Peer } from '../../src/model/policy/types.ts';
import { cnp, clusterNp, demo, deployment, np, type TestCluster } from '../support/model.ts';

const NO_NAMES = { proxiedNames: () => [] as string[] };
const fromFrontend = `[{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: frontend } } } }]`;

/** The ingress verdict at `to` for a flow from `from` (pods by app), or egress from `from` to a peer. */
function ingress(c: TestCluster, from: string, to: string, port = 8080, protocol: 'TCP' | 'UDP' = 'TCP', explain = true): Verdict {
  return decide(c.cluster.policyIndex(), 'ingress', { source: { kind: 'pod', pod: c.pod(from) }, destination: { kind: 'pod', pod: c.pod(to) }, port, protocol, context: NO_NAMES }, explain);
}
function egress(c: TestCluster, from: string, peer: Peer, port: number, protocol: 'TCP' | 'UDP' = 'TCP', context = NO_NAMES): Verdict {
  return decide(c.cluster.policyIndex(), 'egress', { source: { kind: 'pod', pod: c.pod(from) }, destination: peer, port, protocol, context });
}
const names = (refs: { policy: { name: string }; path: string }[]) => refs.map((r) => `${r.policy.name} ${r.path}`);

describe('ClusterNetworkPolicy decisions in the verdict', () => {
  it('an Admin Deny is a deny by that rule; an Admin Accept an allow by it; each says its tier', () => {
    const denied = ingress(demo().apply(clusterNp('d', 'Admin', 10, `  ingress: [{ action: Deny, from: ${fromFrontend} }]\n`)), 'frontend', 'backend');
    expect([denied.allowed, names(denied.deniedBy), denied.allowedBy, denied.decidedBy]).toEqual([false, ['d spec.ingress[0] Deny'], [], 'Admin']);
    const accepted = ingress(demo().apply(clusterNp('a', 'Admin', 10, `  ingress: [{ action: Accept, from: ${fromFrontend} }]\n`)), 'frontend', 'backend');
    expect([accepted.allowed, names(accepted.allowedBy), accepted.deniedBy, accepted.decidedBy]).toEqual([true, ['a spec.ingress[0] Accept'], [], 'Admin']);
  });

  it('a Baseline Deny or Accept is recorded on its own side only', () => {
    const denied = ingress(demo().apply(clusterNp('bd', 'Baseline', 10, `  ingress: [{ action: Deny, from: ${fromFrontend} }]\n`)), 'frontend', 'backend');
    expect([denied.allowed, names(denied.deniedBy), denied.allowedBy, denied.decidedBy]).toEqual([false, ['bd spec.ingress[0] Deny'], [], 'Baseline']);
    const accepted = ingress(demo().apply(clusterNp('ba', 'Baseline', 10, `  ingress: [{ action: Accept, from: ${fromFrontend} }]\n`)), 'frontend', 'backend');
    expect([accepted.allowed, names(accepted.allowedBy), accepted.deniedBy, accepted.decidedBy]).toEqual([true, ['ba spec.ingress[0] Accept'], [], 'Baseline']);
  });

  it('a Baseline rule the model does not simulate leaves the flow unpredicted, naming it', () => {
    const c = demo().apply(clusterNp('bn', 'Baseline', 10, `  egress: [{ action: Accept, to: [{ domainNames: [kubernetes.io] }] }]\n`));
    const v = egress(c, 'frontend', { kind: 'world', ip: '203.0.113.1' }, 443);
    expect(v.unpredicted).toBe('to.domainNames (ClusterNetworkPolicy bn spec.egress[0] Accept) is not simulated by the model');
    expect(v.decidedBy).toBeUndefined();
  });
});

describe('deny rules', () => {
  it('deny only the ports they name (the other ports fall to the default deny the section brings)', () => {
    const c = demo().apply(cnp('deny-80', `  endpointSelector: { matchLabels: { app: backend } }\n  ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: frontend } }], toPorts: [{ ports: [{ port: "80" }] }] }]\n`));
    expect(ingress(c, 'frontend', 'backend', 8080)).toMatchObject({ allowed: false, deniedBy: [], isolatedBy: [{ name: 'deny-80' }] });
    expect(names(ingress(c, 'frontend', 'backend', 80).deniedBy)).toEqual(['deny-80 spec.ingressDeny[0]']);
  });

  it('are all named when explaining; the fast path stops at the first', () => {
    const rule = `  endpointSelector: { matchLabels: { app: backend } }\n  ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: frontend } }] }]\n`;
    const c = demo().apply(cnp('deny-a', rule), cnp('deny-b', rule));
    expect(names(ingress(c, 'frontend', 'backend').deniedBy)).toEqual(['deny-a spec.ingressDeny[0]', 'deny-b spec.ingressDeny[0]']);
    expect(ingress(c, 'frontend', 'backend', 8080, 'TCP', false)).toMatchObject({ allowed: false, deniedBy: [{ policy: { name: 'deny-a' } }] });
  });
});

describe('allow rules and the HTTP proxy', () => {
  const httpOnly = cnp('get-public', `  endpointSelector: { matchLabels: { app: backend } }\n  ingress: [{ toPorts: [{ ports: [{ port: "8080" }], rules: { http: [{ method: GET, path: /public }, { method: GET, path: /health }] } }] }]\n`);
  const plain = np('plain', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ ports: [{ port: 8080 }] }]');
  const request = (path: string) => ({ method: 'GET', path, host: 'backend:8080', headers: {} });

  it('are all named when explaining; the fast path still finds a later plain allow, which opens the proxy', () => {
    const c = demo().apply(httpOnly, plain);
    expect(names(ingress(c, 'frontend', 'backend').allowedBy)).toEqual(['get-public spec.ingress[0]', 'plain spec.ingress[0]']);
    for (const explain of [true, false]) {
      expect(ingress(c, 'frontend', 'backend', 8080, 'TCP', explain).httpProxy!.allows(request('/private'))).toEqual({ allowed: true, because: 'plain spec.ingress[0] allows the port with no http rules' });
    }
  });

  it('say which rule let a request through, and list every rule when none did', () => {
    const proxy = ingress(demo().apply(httpOnly), 'frontend', 'backend').httpProxy!;
    expect(proxy.allows(request('/health'))).toEqual({ allowed: true, because: 'method GET path /health in get-public spec.ingress[0]' });
    expect(proxy.allows(request('/private'))).toEqual({ allowed: false, because: 'no rules.http entry allows GET /private (method GET path /public, method GET path /health)' });
  });

  it('describe a rule by each of its fields, lists as JSON', () => {
    const c = demo().apply(cnp('headers', `  endpointSelector: { matchLabels: { app: backend } }\n  ingress: [{ toPorts: [{ ports: [{ port: "8080" }], rules: { http: [{ method: GET, headers: ["X-Token: 1"] }] } }] }]\n`));
    expect(ingress(c, 'frontend', 'backend').httpProxy!.allows(request('/'))).toEqual({ allowed: false, because: 'no rules.http entry allows GET / (method GET headers ["X-Token: 1"])' });
  });

  it('a denied flow carries no proxy', () => {
    const c = demo().apply(httpOnly, cnp('deny', `  endpointSelector: { matchLabels: { app: backend } }\n  ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: frontend } }] }]\n`));
    const v = ingress(c, 'frontend', 'backend');
    expect(v.allowed).toBe(false);
    expect([v.httpProxy, v.dnsProxy, v.sniProxy]).toEqual([undefined, undefined, undefined]);
  });
});

describe('explanations of flows out of the cluster', () => {
  it('name every policy that allows the flow', () => {
    const allow = (name: string) => cnp(name, '  endpointSelector: { matchLabels: { app: frontend } }\n  egress: [{ toCIDR: [203.0.113.1/32] }]\n');
    const trace = demo()
      .apply(allow('first'), allow('second'))
      .probe('frontend', 'http://203.0.113.1/')
      .trace.map((t) => t.text)
      .join('\n');
    expect(trace).toMatch(/allowed by CiliumNetworkPolicy default\/first spec\.egress\[0\] \(test\.yaml:\d+\); CiliumNetworkPolicy default\/second spec\.egress\[0\]/);
  });
});

describe('the DNS and SNI proxies explain a refusal by the name asked', () => {
  it('DNS: the name, and every matcher of the rule', () => {
    const c = demo().apply(
      cnp(
        'dns',
        `  endpointSelector: { matchLabels: { app: frontend } }\n  egress: [{ toEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns } }], toPorts: [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [{ matchName: cilium.io }, { matchPattern: "*.cilium.io" }] } }] }]\n`,
      ),
    );
    const dns = c.cluster.pods().find((p) => p.labels['k8s-app'] === 'kube-dns')!;
    const proxy = egress(c, 'frontend', { kind: 'pod', pod: dns }, 53, 'UDP').dnsProxy!;
    expect(proxy.allows('evil.com')).toMatchObject({ allowed: false, because: expect.stringMatching(/^no rules\.dns entry allows evil\.com \(.*cilium\.io.*, .*\*\.cilium\.io.*\)$/) });
    expect(proxy.allows('docs.cilium.io')).toMatchObject({ allowed: true });
  });

  it('SNI: the server name, or "(none)" when curl sent none', () => {
    const c = demo().apply(cnp('sni', `  endpointSelector: { matchLabels: { app: frontend } }\n  egress: [{ toCIDR: [203.0.113.0/24], toPorts: [{ ports: [{ port: "443" }], serverNames: [cilium.io] }] }]\n`));
    const proxy = egress(c, 'frontend', { kind: 'world', ip: '203.0.113.2' }, 443).sniProxy!;
    expect(proxy.allows('')).toEqual({ allowed: false, because: 'no rules.sni entry allows server name (none) (serverName cilium.io)' });
    expect(proxy.allows('kubernetes.io')).toEqual({ allowed: false, because: 'no rules.sni entry allows server name kubernetes.io (serverName cilium.io)' });
    expect(proxy.allows('cilium.io')).toEqual({ allowed: true, because: 'serverName cilium.io in sni spec.egress[0]' });
  });
});

describe('named ports', () => {
  it('resolve to a container port of that name, number and protocol on the destination', () => {
    const c = demo().apply(
      deployment('dns-server', { ports: '[{ containerPort: 53, name: dns, protocol: UDP }, { containerPort: 8053, name: web }, { containerPort: 9000, name: api }]' }),
      np('named', '  podSelector: { matchLabels: { app: dns-server } }\n  ingress: [{ ports: [{ port: dns, protocol: TCP }, { port: web }] }]'),
    );
    // "dns" is a UDP port: a TCP rule on it matches no TCP flow.
    expect(ingress(c, 'frontend', 'dns-server', 53, 'TCP').allowed).toBe(false);
    // "web" is 8053: another port of the pod is not it.
    expect(ingress(c, 'frontend', 'dns-server', 8053, 'TCP').allowed).toBe(true);
    expect(ingress(c, 'frontend', 'dns-server', 8080, 'TCP').allowed).toBe(false);
    // Another named port of the pod is not "web" either.
    expect(ingress(c, 'frontend', 'dns-server', 9000, 'TCP').allowed).toBe(false);
  });

  it('match nothing outside the cluster, where no pod names its ports', () => {
    const c = demo().apply(np('named-egress', '  podSelector: { matchLabels: { app: frontend } }\n  egress: [{ to: [{ ipBlock: { cidr: 0.0.0.0/0 } }], ports: [{ port: http }] }]'));
    expect(egress(c, 'frontend', { kind: 'world', ip: '203.0.113.1' }, 80).allowed).toBe(false);
  });
});

describe('one flow judged at both ends', () => {
  it('egress at its source and ingress at its destination, named ports resolved on the destination either way', () => {
    const c = demo().apply(
      deployment('web-server', { ports: '[{ containerPort: 8053, name: web }]' }),
      np('out', '  podSelector: { matchLabels: { app: frontend } }\n  egress: [{ ports: [{ port: web }] }]'),
      np('in', '  podSelector: { matchLabels: { app: web-server } }\n  ingress: [{ from: [{ podSelector: { matchLabels: { app: frontend } } }] }]'),
    );
    const index = c.cluster.policyIndex();
    const flow = (from: string, to: string, port: number) => ({ source: { kind: 'pod' as const, pod: c.pod(from) }, destination: { kind: 'pod' as const, pod: c.pod(to) }, port, protocol: 'TCP' as const, context: NO_NAMES });
    expect([decide(index, 'egress', flow('frontend', 'web-server', 8053)).allowed, decide(index, 'egress', flow('frontend', 'web-server', 8080)).allowed]).toEqual([true, false]);
    expect([decide(index, 'ingress', flow('frontend', 'web-server', 8053)).allowed, decide(index, 'ingress', flow('backend', 'web-server', 8053)).allowed]).toEqual([true, false]);
  });

  it('refuses ingress at a destination that is not a pod', () => {
    const c = demo();
    const toWorld = { source: { kind: 'pod' as const, pod: c.pod('frontend') }, destination: { kind: 'world' as const, ip: '203.0.113.1' }, port: 80, protocol: 'TCP' as const, context: NO_NAMES };
    expect(() => decide(c.cluster.policyIndex(), 'ingress', toWorld)).toThrow('ingress is judged at a pod, not at world 203.0.113.1');
  });
});
