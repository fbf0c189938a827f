// What compiling a policy keeps for explanations and for selection: the file and line of the policy and of each
// rule (for every kind, in `spec` and in `specs` form), the namespace it lives in when metadata leaves it out, the
// Cilium-only note, and the pods it selects. Written from the survivors of a mutation run over src/model/policy.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/model/policy/verdict.ts';
import { compileClusterNetworkPolicy } from '../../src/model/policy/cluster-network-policy.ts';
import type { CompiledPolicy } from '../../src/model/policy/types.ts';
import { parseManifests } from '../../src/suite/load.ts';
import type { ClusterNetworkPolicy } from '../../src/manifest/schemas/cluster-network-policy.ts';
import { BACKEND, cnp, clusterNp as clusterNetworkPolicy, demo, demoWithOtherNamespace, deployment, np, TestCluster } from '../support/model.ts';

/** The compiled policies of a cluster with the demo app and these manifests (one file, test.yaml). */
function compiled(...docs: string[]): readonly CompiledPolicy[] {
  return demo()
    .apply(...docs)
    .cluster.policyIndex().policies;
}
const at = (p: CompiledPolicy) => `${p.source.kind} ${p.source.namespace ?? '-'}/${p.source.name} ${p.source.file}:${p.source.line}`;
const rulesAt = (p: CompiledPolicy) => [...p.ingress.allow, ...p.ingress.deny, ...p.egress.allow, ...p.egress.deny].map((r) => `${r.path}:${r.line}`);

describe('where a compiled policy and its rules come from', () => {
  it('a NetworkPolicy: the line of metadata.name, and of each rule, written as users write them', () => {
    const [policy] = compiled(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  namespace: default
  labels: { team: web }
  name: web-allow
spec:
  podSelector:
    matchLabels: { app: backend }
  ingress:
  - from:
    - podSelector: { matchLabels: { app: frontend } }
  - ports:
    - port: 8080
  egress:
  - {}
`);
    expect(at(policy!)).toBe('NetworkPolicy default/web-allow test.yaml:6');
    expect(rulesAt(policy!)).toEqual(['spec.ingress[0]:11', 'spec.ingress[1]:13', 'spec.egress[0]:16']);
  });

  it('a CiliumNetworkPolicy in spec and in specs form, and a clusterwide one without a namespace', () => {
    const policies = compiled(
      cnp('one', '  endpointSelector: {}\n  ingress:\n    - fromEntities: [world]\n  egressDeny:\n    - toEntities: [world]\n'),
      `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: many
specs:
  - endpointSelector: {}
    ingress:
      - fromEntities: [cluster]
  - endpointSelector: {}
    egress:
      - toEntities: [cluster]
      - toEntities: [world]
`,
    );
    expect(policies.map(at)).toEqual(['CiliumNetworkPolicy default/one test.yaml:3', 'CiliumClusterwideNetworkPolicy -/many test.yaml:15', 'CiliumClusterwideNetworkPolicy -/many test.yaml:15']);
    expect(policies.map(rulesAt)).toEqual([['spec.ingress[0]:7', 'spec.egressDeny[0]:9'], ['specs[0].ingress[0]:19'], ['specs[1].egress[0]:22', 'specs[1].egress[1]:23']]);
  });

  it('a ClusterNetworkPolicy, with its tier and priority; and without a file (built, not read) it still compiles', () => {
    const text = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: tiered
spec:
  tier: Admin
  priority: 20
  subject: { namespaces: {} }
  ingress:
    - action: Pass
      from: [{ namespaces: {} }]
`;
    const [policy] = compiled(text);
    expect(at(policy!)).toBe('ClusterNetworkPolicy -/tiered test.yaml:4');
    expect(rulesAt(policy!)).toEqual(['spec.ingress[0] Pass:10']);
    const bare = compileClusterNetworkPolicy(parseManifests(text, 'x.yaml')[0] as ClusterNetworkPolicy, undefined);
    expect([bare.source.file, bare.source.line, bare.ingress.allow[0]!.line]).toEqual([undefined, undefined, undefined]);
  });
});

describe('the namespace a policy lives in', () => {
  const frontendOnly = '  podSelector: { matchLabels: { app: frontend } }\n  policyTypes: [Egress]';
  it('is "default" when a NetworkPolicy or CiliumNetworkPolicy leaves it out, and the one named otherwise', () => {
    for (const [docs, isolated] of [
      [[np('no-ns', frontendOnly).replace(', namespace: default', '')], 'default'],
      [[np('in-other', frontendOnly, 'other')], 'other'],
      [[cnp('no-ns', '  endpointSelector: { matchLabels: { app: frontend } }\n  egress: [{ toEntities: [host] }]\n').replace(', namespace: default', '')], 'default'],
      [[cnp('in-other', '  endpointSelector: { matchLabels: { app: frontend } }\n  egress: [{ toEntities: [host] }]\n', 'other')], 'other'],
    ] as const) {
      const c = demoWithOtherNamespace().apply(...docs);
      const index = c.cluster.policyIndex();
      expect(index.selectedBy(index.policies[0]!).map((p) => p.namespace)).toEqual([isolated]);
      expect(index.policies[0]!.source.namespace).toBe(isolated);
    }
  });

  it('a clusterwide policy selects in every namespace', () => {
    const c = demoWithOtherNamespace().apply(
      `apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: all-frontends }\nspec:\n  endpointSelector: { matchLabels: { app: frontend } }\n  egress: [{ toEntities: [host] }]\n`,
    );
    const index = c.cluster.policyIndex();
    expect(
      index
        .selectedBy(index.policies[0]!)
        .map((p) => `${p.namespace}/${p.labels.app}`)
        .sort(),
    ).toEqual(['default/frontend', 'other/frontend']);
  });

  it('a host policy (nodeSelector) selects no pod', () => {
    const c = demo().apply(`apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: host }\nspec:\n  nodeSelector: {}\n  ingress: [{ fromEntities: [world] }]\n`);
    const index = c.cluster.policyIndex();
    expect(index.selectedBy(index.policies[0]!)).toEqual([]);
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
  });
});

describe('the note on a NetworkPolicy whose pod selectors only Cilium can match', () => {
  const noteOf = (spec: string) => compiled(np('p', spec))[0]!.source.note;
  it("names every identity-only key, from the policy's own selector and from its peers in either direction", () => {
    expect(noteOf('  podSelector: { matchLabels: { io.cilium.k8s.policy.cluster: default } }\n  policyTypes: [Ingress]')).toMatch(/identity labels \(io\.cilium\.k8s\.policy\.cluster\)/);
    expect(noteOf('  podSelector: {}\n  ingress: [{ from: [{ podSelector: { matchLabels: { io.cilium.k8s.policy.serviceaccount: sa } } }] }]')).toMatch(/identity labels \(io\.cilium\.k8s\.policy\.serviceaccount\)/);
    expect(noteOf('  podSelector: { matchLabels: { io.cilium.k8s.policy.cluster: default } }\n  egress: [{ to: [{ podSelector: { matchLabels: { io.cilium.k8s.policy.serviceaccount: sa } } }] }]')).toMatch(
      /identity labels \(io\.cilium\.k8s\.policy\.cluster, io\.cilium\.k8s\.policy\.serviceaccount\), which a Kubernetes pod does not carry/,
    );
    expect(noteOf('  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ from: [{ namespaceSelector: {} }] }]')).toBeUndefined();
  });
});

describe('Cilium port rules', () => {
  const backendIngress = (toPorts: string) => cnp('ports', `  endpointSelector: { matchLabels: { app: backend } }\n  ingress: [{ toPorts: [${toPorts}] }]\n`);
  it('a protocol other than ANY limits the port to it', () => {
    expect(demo().apply(backendIngress('{ ports: [{ port: "8080", protocol: UDP }] }')).outcome('frontend', BACKEND)).toBe('connect-timeout');
    expect(demo().apply(backendIngress('{ ports: [{ port: "8080", protocol: TCP }] }')).outcome('frontend', BACKEND)).toBe('ok');
    expect(demo().apply(backendIngress('{ ports: [{ port: "8080" }] }')).outcome('frontend', BACKEND)).toBe('ok');
  });

  it('port "0" is every port', () => {
    expect(demo().apply(backendIngress('{ ports: [{ port: "0", protocol: TCP }] }')).outcome('frontend', BACKEND)).toBe('ok');
    expect(demo().apply(backendIngress('{ ports: [{ port: "0", protocol: UDP }] }')).outcome('frontend', BACKEND)).toBe('connect-timeout');
  });

  it('a port name with digits is a name, wherever the digits are', () => {
    for (const name of ['web2', '8080-web']) {
      const c = new TestCluster().apply(
        deployment('frontend'),
        deployment('backend', { image: 'docker.io/cilium/json-mock:1.2', ports: `[{ containerPort: 8080, name: ${name} }]`, env: '[{ name: PORT, value: "8080" }]' }),
        `apiVersion: v1\nkind: Service\nmetadata: { name: backend }\nspec:\n  selector: { app: backend }\n  ports: [{ port: 8080 }]\n`,
        backendIngress(`{ ports: [{ port: "${name}" }] }`),
      );
      expect(c.outcome('frontend', BACKEND), name).toBe('ok');
    }
  });

  it('an empty HTTP rule lets any request through, and says so', () => {
    const c = demo().apply(backendIngress('{ ports: [{ port: "8080" }], rules: { http: [{}] } }'));
    // Through the proxy to json-server, which has no collection "anything" (404, where a denial would be 403).
    expect(c.outcome('frontend', 'http://backend:8080/anything')).toBe('ok:404');
    expect(
      c
        .probe('frontend', 'http://backend:8080/anything')
        .trace.map((t) => t.text)
        .join('\n'),
    ).toMatch(/any request in ports spec\.ingress\[0\]/);
  });

  it('an entry without ports applies its rules on every port', () => {
    const c = demo().apply(backendIngress('{ rules: { http: [{ method: GET }] } }'));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    expect(c.outcome('frontend', `POST ${BACKEND}`)).toBe('ok:403');
    expect(
      c
        .probe('frontend', BACKEND)
        .trace.map((t) => t.text)
        .join('\n'),
    ).toMatch(/method GET in ports spec\.ingress\[0\]/);
  });

  it('generic L7 rules (l7, with or without l7proto) are named as not simulated', () => {
    expect(demo().apply(backendIngress('{ ports: [{ port: "8080" }], rules: { l7: [{ cmd: READ }] } }')).probe('frontend', BACKEND).unpredicted).toMatch(/^toPorts\.rules\.l7 /);
    expect(demo().apply(backendIngress('{ ports: [{ port: "8080" }], rules: { l7proto: r2d2, l7: [{ cmd: READ }] } }')).probe('frontend', BACKEND).unpredicted).toMatch(/^toPorts\.rules\.l7proto /);
  });

  it('egress toCIDR admits the block named and nothing else', () => {
    const c = demo().apply(cnp('cidr', '  endpointSelector: { matchLabels: { app: frontend } }\n  egress: [{ toCIDR: [203.0.113.1/32] }]\n'));
    expect(c.outcome('frontend', 'http://203.0.113.1/')).toBe('ok:301');
    expect(c.outcome('frontend', 'https://203.0.113.2/')).toBe('connect-timeout');
  });
});

describe('ICMP rules', () => {
  // To the pod's own address: whether a Service address answers a ping is not predicted.
  const pingFrom = (icmps: string) => {
    const c = demo().apply(cnp('icmp', `  endpointSelector: { matchLabels: { app: backend } }\n  ingress: [{ icmps: [${icmps}] }]\n`));
    return c.outcome('frontend', `icmp://${c.pod('backend').ip}`);
  };
  it("a type with no family is IPv4; an IPv6 type of the same number is not IPv4's", () => {
    expect(pingFrom('{ fields: [{ type: 8 }] }')).toBe('ok');
    expect(pingFrom('{ fields: [{ type: 8, family: IPv4 }] }')).toBe('ok');
    expect(pingFrom('{ fields: [{ type: 8, family: IPv6 }] }')).toBe('connect-timeout');
  });

  it('an entry without fields admits no ICMP type', () => {
    expect(pingFrom('{}')).toBe('connect-timeout');
  });
});

describe('TLS server names with a ** prefix', () => {
  it('match one or more labels in front of the rest, never the rest alone', () => {
    const c = demo().apply(cnp('sni', `  endpointSelector: { matchLabels: { app: frontend } }\n  egress: [{ toCIDR: [203.0.113.0/24], toPorts: [{ ports: [{ port: "443" }], serverNames: ["**.example.org"] }] }]\n`));
    const proxy = decide(c.cluster.policyIndex(), 'egress', { source: { kind: 'pod', pod: c.pod('frontend') }, destination: { kind: 'world', ip: '203.0.113.1' }, port: 443, protocol: 'TCP', context: { proxiedNames: () => [] } }).sniProxy!;
    const matches = (name: string) => proxy.allows(name).allowed;
    expect(['docs.example.org', 'a.b.example.org', 'x.y.z.example.org'].map(matches)).toEqual([true, true, true]);
    expect(['example.org', 'docs.example.com', 'org'].map(matches)).toEqual([false, false, false]);
  });
});

describe('ClusterNetworkPolicy peers and ports', () => {
  const clusterNp = (body: string) => clusterNetworkPolicy('t', 'Admin', 10, body);
  it('a peer list with nodes or domainNames among others is not simulated for any of its peers', () => {
    const withNodes = demo().apply(clusterNp(`  egress: [{ action: Deny, to: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: backend } } } }, { nodes: {} }] }]\n`));
    expect(withNodes.probe('frontend', BACKEND).unpredicted).toMatch(/^to\.nodes \(ClusterNetworkPolicy t spec\.egress\[0\] Deny\)/);
    const withNames = demo().apply(clusterNp(`  egress: [{ action: Accept, to: [{ networks: [203.0.113.1/32] }, { domainNames: [cilium.io] }] }]\n`));
    // Any outside address, not only the networks listed beside them.
    expect(withNames.probe('frontend', 'https://203.0.113.2/').unpredicted).toMatch(/^to\.domainNames /);
  });

  it('pods and networks peers match only their own: no other outside address', () => {
    const toPods = demo().apply(clusterNp(`  egress: [{ action: Deny, to: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: backend } } } }] }]\n`));
    expect(toPods.outcome('frontend', BACKEND)).toBe('connect-timeout');
    expect(toPods.outcome('frontend', 'http://203.0.113.1/')).toBe('ok:301');
    const toNetwork = demo().apply(clusterNp(`  egress: [{ action: Deny, to: [{ networks: [203.0.113.1/32] }] }]\n`));
    expect(toNetwork.outcome('frontend', 'http://203.0.113.1/')).toBe('connect-timeout');
    expect(toNetwork.outcome('frontend', 'https://203.0.113.2/')).toBe('ok');
  });

  it('a port range admits the ports inside it, of its protocol', () => {
    const range = (protocol: string) => demo().apply(clusterNp(`  ingress: [{ action: Deny, from: [{ namespaces: {} }], protocols: [{ ${protocol}: { destinationPort: { range: { start: 8000, end: 8100 } } } }] }]\n`));
    expect(range('tcp').outcome('frontend', BACKEND)).toBe('connect-timeout');
    expect(range('udp').outcome('frontend', BACKEND)).toBe('ok');
  });
});

describe('a NetworkPolicy rule without peers', () => {
  it('admits every peer: other namespaces and outside addresses too', () => {
    const c = demoWithOtherNamespace().apply(
      np('ports-only', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ ports: [{ port: 8080 }] }]'),
      np('egress-any', '  podSelector: { matchLabels: { app: frontend } }\n  egress: [{ ports: [{ port: 80 }, { port: 8080 }, { port: 53, protocol: UDP }] }]', 'other'),
    );
    expect(c.outcome('frontend', 'http://backend.default:8080/', 'other')).toBe('ok');
    expect(c.outcome('frontend', 'http://kubernetes.io/', 'other')).toBe('ok:301');
  });
});

describe('a NetworkPolicy peer list of several ipBlocks', () => {
  it('admits each block', () => {
    const c = demo().apply(np('blocks', '  podSelector: { matchLabels: { app: frontend } }\n  egress: [{ to: [{ ipBlock: { cidr: 203.0.113.1/32 } }, { ipBlock: { cidr: 203.0.113.2/32 } }] }]'));
    expect(c.outcome('frontend', 'http://203.0.113.1/')).toBe('ok:301');
    expect(c.outcome('frontend', 'https://203.0.113.2/')).toBe('ok');
  });
});
