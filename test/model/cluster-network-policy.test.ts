// ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2), written from the API's own words
// (sigs.k8s.io/network-policy-api apis/v1alpha2/clusternetworkpolicy_types.go: tiers, priority, Accept/Deny/Pass)
// and Cilium's parser (pkg/k8s/cluster_network_policy.go: precedence priority + index/100, networks as CIDR
// selectors). The expectations are the API's, not the model's.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/input-error.ts';
import { parseManifests } from '../../src/suite/load.ts';
import { BACKEND, cnp, clusterNp, DEFAULT_NAMESPACE, demo, np } from '../support/model.ts';

const fromApp = (app: string) => `[{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: ${app} } } } }]`;
const ingress = (action: string, app: string, extra = '') => `  ingress: [{ action: ${action}, from: ${fromApp(app)}${extra} }]\n`;

describe('ClusterNetworkPolicy tiers', () => {
  it('an Admin Deny drops the flow though no NetworkPolicy exists; other peers are untouched', () => {
    const c = demo().apply(clusterNp('deny-nf', 'Admin', 10, ingress('Deny', 'not-frontend')));
    expect(c.outcome('not-frontend', BACKEND)).toBe('connect-timeout');
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
  });

  it('an Admin Accept wins over a Cilium deny and over default deny ("no further rules are processed")', () => {
    const c = demo().apply(cnp('deny', '  endpointSelector: { matchLabels: { app: backend } }\n  ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: frontend } }] }]\n'), clusterNp('accept', 'Admin', 10, ingress('Accept', 'frontend')));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    const trace = c
      .probe('frontend', BACKEND)
      .trace.map((t) => t.text)
      .join('\n');
    expect(trace).toMatch(/accepted by ClusterNetworkPolicy accept spec\.ingress\[0\] Accept .*\(Admin tier, before any NetworkPolicy or Cilium policy\)/);
  });

  it('Pass skips the rest of the Admin tier: the NetworkPolicies decide', () => {
    const c = demo().apply(
      clusterNp('pass-frontend', 'Admin', 5, ingress('Pass', 'frontend')),
      clusterNp('deny-all', 'Admin', 50, `  ingress: [{ action: Deny, from: [{ namespaces: {} }] }]\n`),
      np('allow-frontend', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ from: [{ podSelector: { matchLabels: { app: frontend } } }] }]'),
    );
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    expect(c.outcome('not-frontend', BACKEND)).toBe('connect-timeout');
  });

  it('lower priority values come first, across policies and by rule order within one', () => {
    const accept10 = clusterNp('a', 'Admin', 10, ingress('Accept', 'frontend'));
    const deny20 = clusterNp('d', 'Admin', 20, ingress('Deny', 'frontend'));
    expect(demo().apply(deny20, accept10).outcome('frontend', BACKEND)).toBe('ok');
    expect(demo().apply(accept10.replace('priority: 10', 'priority: 30'), deny20).outcome('frontend', BACKEND)).toBe('connect-timeout');
    const ordered = clusterNp('o', 'Admin', 10, `  ingress:\n    - { action: Deny, from: ${fromApp('frontend')} }\n    - { action: Accept, from: ${fromApp('frontend')} }\n`);
    expect(demo().apply(ordered).outcome('frontend', BACKEND)).toBe('connect-timeout');
  });

  it('Baseline applies only where no NetworkPolicy isolates the pod', () => {
    const baseline = clusterNp('baseline-deny', 'Baseline', 10, `  ingress: [{ action: Deny, from: [{ namespaces: {} }] }]\n`);
    const c = demo().apply(baseline);
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
    c.apply(np('allow-frontend', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ from: [{ podSelector: { matchLabels: { app: frontend } } }] }]'));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    expect(c.outcome('not-frontend', BACKEND)).toBe('connect-timeout');
    // Baseline Accept does not override an isolating NetworkPolicy either.
    const d = demo().apply(
      clusterNp('baseline-accept', 'Baseline', 10, ingress('Accept', 'not-frontend')),
      np('allow-frontend', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ from: [{ podSelector: { matchLabels: { app: frontend } } }] }]'),
    );
    expect(d.outcome('not-frontend', BACKEND)).toBe('connect-timeout');
  });

  it('protocols narrow a rule: a Deny of TCP 8080 leaves ICMP and other ports alone', () => {
    const c = demo().apply(clusterNp('deny-8080', 'Admin', 10, ingress('Deny', 'frontend', ', protocols: [{ tcp: { destinationPort: { number: 8080 } } }]')));
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
    expect(c.outcome('frontend', `icmp://${c.pod('backend').ip}`)).toBe('ok');
    const range = demo().apply(clusterNp('deny-range', 'Admin', 10, ingress('Deny', 'frontend', ', protocols: [{ tcp: { destinationPort: { range: { start: 8000, end: 8079 } } } }]')));
    expect(range.outcome('frontend', BACKEND)).toBe('ok');
  });

  it('networks match addresses outside the cluster, not pods (Cilium: CIDR selectors; the API would include pod IPs)', () => {
    const c = demo().apply(clusterNp('deny-egress', 'Admin', 10, `  egress: [{ action: Deny, to: [{ networks: [0.0.0.0/0] }] }]\n`));
    expect(c.outcome('frontend', 'https://cilium.io/')).toBe('connect-timeout');
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
  });

  it('domainNames is not simulated: egress it could accept is not predicted', () => {
    const c = demo().apply(clusterNp('fqdn', 'Admin', 10, `  egress: [{ action: Accept, to: [{ domainNames: ["cilium.io"] }] }]\n`));
    expect(c.probe('frontend', 'https://cilium.io/').unpredicted).toMatch(/^to\.domainNames \(ClusterNetworkPolicy fqdn spec\.egress\[0\] Accept\)/);
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
  });

  it('subject pods: only the selected pods are subject to the rules', () => {
    const c = demo().apply(
      clusterNp('nf-out', 'Admin', 10, `  egress: [{ action: Deny, to: [{ namespaces: ${DEFAULT_NAMESPACE} }] }]\n`).replace(
        `subject: { namespaces: ${DEFAULT_NAMESPACE} }`,
        'subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: not-frontend } } } }',
      ),
    );
    expect(c.outcome('not-frontend', BACKEND)).toBe('connect-timeout');
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
  });
});

describe('ClusterNetworkPolicy validation (the CRD schema and CEL rules)', () => {
  const invalid = (yaml: string) => {
    try {
      parseManifests(yaml, 'p.yaml');
    } catch (e) {
      if (e instanceof InputError) return e.detail;
      throw e;
    }
    return undefined;
  };
  it.each([
    [clusterNp('p', 'Admin', 1001, ingress('Deny', 'x')), /^Too big: expected number to be <=1000/],
    [clusterNp('p', 'Normal', 1, ingress('Deny', 'x')), /^Invalid option: expected one of "Admin"\|"Baseline"/],
    [clusterNp('p', 'Admin', 1, `  egress: [{ action: Deny, to: [{ domainNames: ["cilium.io"] }] }]\n`), /^domainNames is only supported for Accept rules/],
    [clusterNp('p', 'Admin', 1, `  ingress: [{ action: Deny, from: [{ namespaces: {}, pods: { namespaceSelector: {}, podSelector: {} } }] }]\n`), /^a peer takes exactly one of namespaces and pods/],
    [clusterNp('p', 'Admin', 1, `  egress: [{ action: Deny, to: [{ networks: [10.0.0.0/8] }], protocols: [{ destinationNamedPort: http }] }]\n`), /^networks\/nodes\/domainNames peer cannot be set with namedPorts/],
    [clusterNp('p', 'Admin', 1, ingress('Deny', 'x', ', protocols: [{ tcp: { destinationPort: { range: { start: 90, end: 80 } } } }]')), /^Start port must be less than End port/],
    [clusterNp('p', 'Admin', 1, ingress('Deny', 'x', ', protocols: [{ tcp: {} }]')), /destinationPort/],
    [clusterNp('p', 'Admin', 1, ingress('Allow', 'x')), /^Invalid option: expected one of "Accept"\|"Deny"\|"Pass"/],
    [clusterNp('p', 'Admin', 1, ingress('Deny', 'x')).replace('metadata: { name: p }', 'metadata: { name: p, namespace: default }'), /^a ClusterNetworkPolicy is cluster-scoped/],
  ])('refuses %#', (yaml, message) => {
    expect(invalid(yaml)).toMatch(message);
  });
});

// Written to kill what mutation testing showed no test could tell apart (npm run mutation, src/model/policy).
describe('ClusterNetworkPolicy, the finer points', () => {
  const trace = (c: ReturnType<typeof demo>, from: string, to: string) =>
    c
      .probe(from, to)
      .trace.map((t) => t.text)
      .join('\n');

  it('within the Baseline tier too, the first match decides: an Accept before a Deny', () => {
    const c = demo().apply(clusterNp('b-accept', 'Baseline', 5, ingress('Accept', 'frontend')), clusterNp('b-deny', 'Baseline', 10, `  ingress: [{ action: Deny, from: [{ namespaces: {} }] }]\n`));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    expect(c.outcome('not-frontend', BACKEND)).toBe('connect-timeout');
    expect(trace(c, 'frontend', BACKEND)).toContain('accepted by ClusterNetworkPolicy b-accept spec.ingress[0] Accept (test.yaml:8) [Baseline tier, priority 5] (Baseline tier, as no NetworkPolicy or Cilium policy decided)');
    expect(trace(c, 'not-frontend', BACKEND)).toContain('denied by ClusterNetworkPolicy b-deny spec.ingress[0] Deny (test.yaml:18) [Baseline tier, priority 10] (Baseline tier, as no NetworkPolicy or Cilium policy decided)');
  });

  it('explanations name the rule by its name, its action, file and line, and the tier', () => {
    const c = demo().apply(clusterNp('named', 'Admin', 7, `  ingress:\n    - { name: let-frontend-in, action: Accept, from: ${fromApp('frontend')} }\n`));
    expect(trace(c, 'frontend', BACKEND)).toContain('accepted by ClusterNetworkPolicy named spec.ingress[0] (let-frontend-in) Accept (test.yaml:9) [Admin tier, priority 7] (Admin tier, before any NetworkPolicy or Cilium policy)');
  });

  it("a rule's precedence is priority + index/100: the second rule of a priority-10 policy comes before a priority-50 policy", () => {
    const c = demo().apply(
      clusterNp('first', 'Admin', 10, `  ingress:\n    - { action: Pass, from: ${fromApp('not-frontend')} }\n    - { action: Deny, from: ${fromApp('frontend')} }\n`),
      clusterNp('later', 'Admin', 50, ingress('Accept', 'frontend')),
    );
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
  });

  it('a named destination port, and a rule with several peers or networks matching any of them', () => {
    const named = demo().apply(clusterNp('n', 'Admin', 1, ingress('Deny', 'frontend', ', protocols: [{ destinationNamedPort: http }]')));
    expect(named.outcome('frontend', BACKEND)).toBe('connect-timeout');
    expect(named.outcome('frontend', `icmp://${named.pod('backend').ip}`)).toBe('ok');
    const peers = demo().apply(clusterNp('p', 'Admin', 1, `  ingress: [{ action: Deny, from: [{ pods: { podSelector: { matchLabels: { app: nobody } } } }, { pods: { podSelector: { matchLabels: { app: frontend } } } }] }]\n`));
    expect(peers.outcome('frontend', BACKEND)).toBe('connect-timeout');
    const networks = demo().apply(clusterNp('w', 'Admin', 1, `  egress: [{ action: Deny, to: [{ networks: [192.0.2.0/24, 203.0.113.0/24] }] }]\n`));
    expect(networks.outcome('frontend', 'https://cilium.io/')).toBe('connect-timeout');
  });

  it('a nodes peer is not simulated: a probe to the API server is not predicted, one to a pod is', () => {
    const c = demo().apply(clusterNp('nodes', 'Admin', 1, `  egress: [{ action: Deny, to: [{ nodes: { matchLabels: { role: control-plane } } }] }]\n`));
    expect(c.probe('frontend', 'https://kubernetes.default:443/').unpredicted).toMatch(/^to\.nodes \(ClusterNetworkPolicy nodes spec\.egress\[0\] Deny\)/);
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
  });

  it('a pods peer without a namespace selector matches pods of every namespace', () => {
    const c = demo().apply(clusterNp('any-ns', 'Admin', 1, `  ingress: [{ action: Deny, from: [{ pods: { podSelector: { matchLabels: { app: frontend } } } }] }]\n`));
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
    expect(c.outcome('not-frontend', BACKEND)).toBe('ok');
  });
});
