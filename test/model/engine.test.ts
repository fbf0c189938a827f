import { describe, expect, it } from 'vitest';
import { BACKEND, cnp, demo, demoWithOtherNamespace, deployment, GLIBC_IMAGE, namespace, np, service, TestCluster } from '../support/model.ts';

describe('Kubernetes NetworkPolicy', () => {
  it('allows everything when no policy selects a pod', () => {
    expect(demo().outcome('frontend', BACKEND)).toBe('ok');
  });

  it('policyTypes defaults to Ingress only when there are no egress rules', () => {
    const c = demo().apply(np('p', '  podSelector: { matchLabels: { app: frontend } }\n  ingress: []'));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    expect(c.outcome('backend', 'http://frontend-x:80/')).toBe('dns-error');
  });

  it('egress rules in the spec make the policy isolate egress as well', () => {
    const c = demo().apply(np('p', '  podSelector: { matchLabels: { app: frontend } }\n  egress: [{ to: [{ podSelector: { matchLabels: { app: backend } } }] }]'));
    expect(c.outcome('frontend', BACKEND)).toBe('dns-timeout');
  });

  it('ingress: [] denies all; a rule {} allows all', () => {
    const denied = demo().apply(np('deny', '  podSelector: { matchLabels: { app: backend } }\n  ingress: []'));
    expect(denied.outcome('frontend', BACKEND)).toBe('connect-timeout');
    denied.apply(np('all', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{}]'));
    expect(denied.outcome('frontend', BACKEND)).toBe('ok');
  });

  it('namespaceSelector and podSelector in one peer are ANDed, in two peers ORed', () => {
    const and = `  podSelector: { matchLabels: { app: backend } }
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: a } }, podSelector: { matchLabels: { app: client } } }] }]`;
    const or = `  podSelector: { matchLabels: { app: backend } }
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: a } } }, { podSelector: { matchLabels: { app: client } } }] }]`;
    const setup = () => demo().apply(namespace('a', { team: 'a' }), deployment('client', { namespace: 'a' }), deployment('other', { namespace: 'a' }), deployment('client'));
    const target = 'http://backend.default.svc.cluster.local:8080/';
    const withAnd = setup().apply(np('p', and));
    expect([withAnd.outcome('client', target, 'a'), withAnd.outcome('other', target, 'a'), withAnd.outcome('client', target)]).toEqual(['ok', 'connect-timeout', 'connect-timeout']);
    const withOr = setup().apply(np('p', or));
    expect([withOr.outcome('client', target, 'a'), withOr.outcome('other', target, 'a'), withOr.outcome('client', target)]).toEqual(['ok', 'ok', 'ok']);
  });

  it('a podSelector peer alone means pods of the policy namespace only', () => {
    const c = demoWithOtherNamespace().apply(np('p', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ from: [{ podSelector: { matchLabels: { app: frontend } } }] }]'));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    expect(c.outcome('frontend', 'http://backend.default:8080/', 'other')).toBe('connect-timeout');
  });

  it('selects namespaces by their kubernetes.io/metadata.name label', () => {
    const c = demo()
      .apply(namespace('mon'), deployment('m', { namespace: 'mon' }))
      .apply(np('p', '  podSelector: {}\n  ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: mon } } }] }]'));
    expect(c.outcome('m', 'http://backend.default:8080/', 'mon')).toBe('ok');
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
  });

  it('judges a Service connection after DNAT: the target port and the backend pod', () => {
    const c = new TestCluster()
      .apply(deployment('frontend'), deployment('api', { image: 'x', ports: '[{ containerPort: 9090, name: web }]' }), service('api', 80, 'web'))
      .apply(np('p', '  podSelector: { matchLabels: { app: api } }\n  ingress: [{ ports: [{ port: 9090 }] }]'));
    expect(c.outcome('frontend', 'http://api/')).toBe('ok');
    c.apply(np('p', '  podSelector: { matchLabels: { app: api } }\n  ingress: [{ ports: [{ port: 80 }] }]'));
    expect(c.outcome('frontend', 'http://api/')).toBe('connect-timeout');
  });

  it('named ports resolve against the destination pod; protocol defaults to TCP; endPort is a range', () => {
    const base = () => demo();
    const named = base().apply(np('p', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ ports: [{ port: http }] }]'));
    expect(named.outcome('frontend', BACKEND)).toBe('ok');
    const udp = base().apply(np('p', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ ports: [{ port: 8080, protocol: UDP }] }]'));
    expect(udp.outcome('frontend', BACKEND)).toBe('connect-timeout');
    const range = base().apply(np('p', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ ports: [{ port: 8000, endPort: 8080 }] }]'));
    expect(range.outcome('frontend', BACKEND)).toBe('ok');
    const below = base().apply(np('p', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ ports: [{ port: 8000, endPort: 8079 }] }]'));
    expect(below.outcome('frontend', BACKEND)).toBe('connect-timeout');
  });

  it('needs both the client egress and the server ingress', () => {
    const c = demo().apply(
      np('dns', '  podSelector: {}\n  egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { k8s-app: kube-dns } } }] }]'),
      np('in', '  podSelector: { matchLabels: { app: backend } }\n  ingress: [{ from: [{ podSelector: { matchLabels: { app: frontend } } }] }]'),
    );
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
    c.apply(np('out', '  podSelector: { matchLabels: { app: frontend } }\n  egress: [{ to: [{ podSelector: { matchLabels: { app: backend } } }] }]'));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
  });

  it('ipBlock with except matches outside addresses, never pods', () => {
    const policy = (cidr: string, except: string) =>
      np('p', `  podSelector: { matchLabels: { app: frontend } }\n  egress:\n    - to: [{ namespaceSelector: {}, podSelector: { matchLabels: { k8s-app: kube-dns } } }]\n    - to: [{ ipBlock: { cidr: ${cidr}, except: [${except}] } }]`);
    const c = demo().apply(policy('0.0.0.0/0', '203.0.113.2/32'));
    expect(c.outcome('frontend', 'https://kubernetes.io/')).toBe('ok');
    expect(c.outcome('frontend', 'https://cilium.io/')).toBe('connect-timeout');
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
  });

  it('replies of an allowed connection pass an ingress default deny (stateful)', () => {
    const c = demo().apply(np('p', '  podSelector: { matchLabels: { app: backend } }\n  policyTypes: [Ingress]'));
    expect(c.probe('backend', 'http://kubernetes.io/').observation).toEqual({ outcome: 'ok', status: 301 });
  });

  it('refuses where nothing listens or a Service has no endpoints', () => {
    const c = demo().apply(service('nobody', 80, 80));
    expect(c.outcome('frontend', `http://${c.cluster.pods().find((p) => p.labels.app === 'backend')!.ip}:9999/`)).toBe('refused');
    expect(c.outcome('frontend', 'http://nobody/')).toBe('refused');
  });
});

describe('CiliumNetworkPolicy', () => {
  it('peer selectors without a namespace key stay in the policy namespace', () => {
    const c = demoWithOtherNamespace().apply(cnp('p', '  endpointSelector: { matchLabels: { app: backend } }\n  ingress: [{ fromEndpoints: [{ matchLabels: { app: frontend } }] }]'));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    expect(c.outcome('frontend', 'http://backend.default:8080/', 'other')).toBe('connect-timeout');
    c.apply(cnp('p2', '  endpointSelector: { matchLabels: { app: backend } }\n  ingress: [{ fromEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: other } }] }]'));
    expect(c.outcome('frontend', 'http://backend.default:8080/', 'other')).toBe('ok');
  });

  it('egress: [{}] switches to default deny and allows nothing', () => {
    const c = demo().apply(cnp('p', '  endpointSelector: { matchLabels: { app: frontend } }\n  egress: [{}]'));
    expect(c.outcome('frontend', BACKEND)).toBe('dns-timeout');
    expect(c.outcome('not-frontend', BACKEND)).toBe('ok');
  });

  it('a rule with only toPorts applies to every peer; protocol ANY covers UDP DNS', () => {
    const c = demo().apply(cnp('p', '  endpointSelector: { matchLabels: { app: frontend } }\n  egress: [{ toPorts: [{ ports: [{ port: "53" }, { port: "8080", protocol: TCP }] }] }]'));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    expect(c.outcome('frontend', 'https://kubernetes.io/')).toBe('connect-timeout');
  });

  const fqdnPolicy = (dnsRules: string, selector = 'app: backend') =>
    cnp(
      'fqdn',
      `  endpointSelector: { matchLabels: { ${selector} } }
  egress:
    - toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": kube-system, "k8s:k8s-app": kube-dns } }]
      toPorts: [{ ports: [{ port: "53", protocol: ANY }]${dnsRules} }]
    - toFQDNs: [{ matchName: kubernetes.io }]`,
    );

  it('toFQDNs allows the addresses the DNS proxy saw for matching names', () => {
    const c = demo().apply(fqdnPolicy(', rules: { dns: [{ matchPattern: "*" }] }'));
    expect(c.probe('backend', 'https://kubernetes.io/').observation).toEqual({ outcome: 'ok', status: 200 });
    expect(c.outcome('backend', 'https://cilium.io/')).toBe('connect-timeout');
  });

  it('port 53 allowed without rules.dns: names resolve, toFQDNs learns nothing', () => {
    const c = demo().apply(fqdnPolicy(''));
    expect(c.outcome('backend', 'https://kubernetes.io/')).toBe('connect-timeout');
  });

  it('a name no DNS rule allows is REFUSED: musl clients time out, glibc clients fail at once', () => {
    const c = demo()
      .apply(deployment('musl', { labels: { role: 'client' } }), deployment('glibc', { image: GLIBC_IMAGE, labels: { role: 'client' } }))
      .apply(fqdnPolicy(', rules: { dns: [{ matchPattern: "*.svc.cluster.local" }, { matchPattern: "*.cluster.local" }, { matchName: kubernetes.io }] }', 'role: client'));
    const musl = c.probe('musl', 'https://cilium.io/');
    expect(musl.observation.outcome).toBe('dns-timeout');
    expect(musl.trace.some((t) => t.side === 'dns proxy' && t.text.includes('REFUSED'))).toBe(true);
    expect(c.outcome('glibc', 'https://cilium.io/')).toBe('dns-error');
    // The first search-path query, kubernetes.io.default.svc.cluster.local, crosses dots no * can: REFUSED.
    expect(c.outcome('glibc', 'https://kubernetes.io/')).toBe('dns-error');
    // An absolute name skips the search path and is asked as it is.
    expect(c.probe('glibc', 'https://kubernetes.io./').observation).toEqual({ outcome: 'ok', status: 200 });
  });

  it('the musl search path stops at the first REFUSED name', () => {
    const c = demo().apply(fqdnPolicy(', rules: { dns: [{ matchName: kubernetes.io }] }', 'app: frontend'));
    // kubernetes.io.default.svc.cluster.local is asked first and refused, so kubernetes.io never resolves.
    expect(c.outcome('frontend', 'https://kubernetes.io/')).toBe('dns-timeout');
  });

  it('allows from NetworkPolicy and CiliumNetworkPolicy add up', () => {
    const c = demo().apply(
      np('deny', '  podSelector: { matchLabels: { app: backend } }\n  ingress: []'),
      cnp('allow', '  endpointSelector: { matchLabels: { app: backend } }\n  ingress: [{ fromEndpoints: [{ matchLabels: { app: frontend } }] }]'),
    );
    expect([c.outcome('frontend', BACKEND), c.outcome('not-frontend', BACKEND)]).toEqual(['ok', 'connect-timeout']);
  });
});
