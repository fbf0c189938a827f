// CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy semantics beyond the seed tutorials (semantics.md).
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/input-error.ts';
import { parseManifests } from '../../src/suite/load.ts';
import { BACKEND, ccnp, cnp, demo, demoWithOtherNamespace, deployment, GLIBC_IMAGE, np, service, TestCluster } from '../support/model.ts';

const FRONTEND = '  endpointSelector: { matchLabels: { app: frontend } }\n';
const BACKEND_SEL = '  endpointSelector: { matchLabels: { app: backend } }\n';
const DNS = `    - toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": kube-system, k8s-app: kube-dns } }]
      toPorts: [{ ports: [{ port: "53", protocol: ANY }] }]\n`;

describe('entities', () => {
  it('world is everything outside the cluster; cluster is every pod', () => {
    const c = demo().apply(cnp('p', `${FRONTEND}  egress:\n${DNS}    - toEntities: [world]\n`));
    expect(c.outcome('frontend', 'https://cilium.io/')).toBe('ok');
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
    c.apply(cnp('q', `${FRONTEND}  egress: [{ toEntities: [cluster] }]\n`));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
  });

  it('the API server is reached through kube-apiserver (or all), not through world or an ipBlock', () => {
    const c = demo().apply(cnp('p', `${FRONTEND}  egress:\n${DNS}    - toEntities: [world]\n`));
    expect(c.outcome('frontend', 'https://kubernetes.default:443/')).toBe('connect-timeout');
    c.apply(np('n', '  podSelector: { matchLabels: { app: frontend } }\n  egress: [{ to: [{ ipBlock: { cidr: 0.0.0.0/0 } }] }]'));
    expect(c.outcome('frontend', 'https://kubernetes.default:443/')).toBe('connect-timeout');
    c.apply(cnp('q', `${FRONTEND}  egress: [{ toEntities: [kube-apiserver] }]\n`));
    expect(c.outcome('frontend', 'https://kubernetes.default:443/')).toBe('ok');
    expect(c.outcome('not-frontend', 'https://kubernetes.default:443/')).toBe('ok');
  });

  it('fromEntities: [all] admits every pod; [world] admits none of them', () => {
    const c = demo().apply(cnp('p', `${BACKEND_SEL}  ingress: [{ fromEntities: [world] }]\n`));
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
    c.apply(cnp('p', `${BACKEND_SEL}  ingress: [{ fromEntities: [all] }]\n`));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
  });
});

describe('CIDR rules', () => {
  it('toCIDRSet with except matches outside addresses, never pods', () => {
    const c = demo().apply(cnp('p', `${FRONTEND}  egress:\n${DNS}    - toCIDRSet: [{ cidr: 203.0.113.0/24, except: [203.0.113.2/32] }]\n    - toCIDR: [10.244.0.0/16]\n`));
    expect(c.outcome('frontend', 'https://kubernetes.io/')).toBe('ok');
    expect(c.outcome('frontend', 'https://cilium.io/')).toBe('connect-timeout');
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
  });
});

describe('deny rules', () => {
  it('egressDeny beats allows from every policy kind, and only for the ports it names', () => {
    const c = demo().apply(
      np('allow', '  podSelector: { matchLabels: { app: frontend } }\n  egress: [{}]'),
      cnp('allow-too', `${FRONTEND}  egress: [{ toEntities: [all] }]\n`),
      cnp('deny', `${FRONTEND}  egressDeny: [{ toEndpoints: [{ matchLabels: { app: backend } }], toPorts: [{ ports: [{ port: "8080" }] }] }]\n`),
    );
    const denied = c.probe('frontend', BACKEND);
    expect(denied.observation.outcome).toBe('connect-timeout');
    expect(denied.trace.some((t) => /denied by CiliumNetworkPolicy default\/deny spec\.egressDeny\[0\].*beats every allow/.test(t.text))).toBe(true);
    expect(c.outcome('frontend', 'https://cilium.io/')).toBe('ok');
  });

  it('ingressDeny alone puts the pod into default deny; with an allow-all it denies just its peers', () => {
    const c = demo().apply(cnp('deny', `${BACKEND_SEL}  ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: not-frontend } }] }]\n`));
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
    c.apply(cnp('allow', `${BACKEND_SEL}  ingress: [{ fromEntities: [all] }]\n`));
    expect([c.outcome('frontend', BACKEND), c.outcome('not-frontend', BACKEND)]).toEqual(['ok', 'connect-timeout']);
  });

  it('enableDefaultDeny: false adds rules without isolating; deny rules still apply', () => {
    const c = demo().apply(cnp('p', `${FRONTEND}  enableDefaultDeny: { egress: false }\n  egress: [{ toEndpoints: [{ matchLabels: { app: backend } }] }]\n  egressDeny: [{ toEntities: [world] }]\n`));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    expect(c.outcome('frontend', 'https://cilium.io/')).toBe('connect-timeout');
  });
});

describe('ports', () => {
  it('named ports resolve against the destination pod; endPort is an inclusive range', () => {
    const c = demo().apply(cnp('p', `${BACKEND_SEL}  ingress: [{ toPorts: [{ ports: [{ port: http, protocol: TCP }] }] }]\n`));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    c.apply(cnp('p', `${BACKEND_SEL}  ingress: [{ toPorts: [{ ports: [{ port: "8000", endPort: 8079 }] }] }]\n`));
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
    c.apply(cnp('p', `${BACKEND_SEL}  ingress: [{ toPorts: [{ ports: [{ port: "8000", endPort: 8080 }] }] }]\n`));
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
  });

  it('UDP and SCTP are judged and served per protocol', () => {
    const c = new TestCluster().apply(deployment('client'), deployment('server', { ports: '[{ containerPort: 80, protocol: UDP, name: serve-80-udp }, { containerPort: 81, protocol: SCTP }]' }));
    const ip = c.pod('server').ip;
    expect(c.outcome('client', `udp://${ip}:80`)).toBe('ok');
    expect(c.outcome('client', `tcp://${ip}:80`)).toBe('refused');
    expect(c.outcome('client', `sctp://${ip}:81`)).toBe('ok');
    c.apply(np('p', '  podSelector: { matchLabels: { app: server } }\n  ingress: [{ ports: [{ port: serve-80-udp, protocol: UDP }] }]'));
    expect([c.outcome('client', `udp://${ip}:80`), c.outcome('client', `sctp://${ip}:81`)]).toEqual(['ok', 'connect-timeout']);
    expect(c.probe('client', `udp://${ip}:81`).exec.stderr).toMatch(/^TIMEOUT: read udp .*: i\/o timeout/);
  });
});

describe('L7 HTTP rules', () => {
  const http = (rules: string) => cnp('l7', `${BACKEND_SEL}  ingress: [{ toPorts: [{ ports: [{ port: "8080", protocol: TCP }], rules: { http: [${rules}] } }] }]\n`);

  it('answers 403 Access denied for requests no rule allows, matching method and path as whole-string regexes', () => {
    const c = demo().apply(http('{ method: GET, path: "/public(/.*)?" }'));
    expect(c.outcome('frontend', 'http://backend:8080/public')).toBe('ok');
    // The proxy lets it through; json-server has no item "x" (404).
    expect(c.outcome('frontend', 'http://backend:8080/public/x')).toBe('ok:404');
    expect(c.outcome('frontend', 'http://backend:8080/publicity')).toBe('ok:403');
    expect(c.outcome('frontend', 'POST http://backend:8080/public')).toBe('ok:403');
    const denied = c.probe('frontend', 'http://backend:8080/private');
    expect(denied.exec.stdout).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(denied.trace.find((t) => t.side === 'http proxy')?.text).toMatch(/GET \/private answered 403 Access denied, no rules\.http entry allows GET \/private \(method GET path \/public\(\/\.\*\)\?\)/);
  });

  it('an L4-only allow of the same port lets every request through; TLS through HTTP rules is reset', () => {
    const c = demo().apply(http('{ method: GET }'));
    expect(c.outcome('frontend', 'https://backend:8080/')).toBe('tls-error');
    c.apply(cnp('l4', `${BACKEND_SEL}  ingress: [{ toPorts: [{ ports: [{ port: "8080" }] }] }]\n`));
    // Through the proxy to json-server, which creates nothing at / (404).
    expect(c.outcome('frontend', 'POST http://backend:8080/')).toBe('ok:404');
  });
});

describe('CiliumClusterwideNetworkPolicy', () => {
  const other = () => demoWithOtherNamespace().apply(deployment('backend', { namespace: 'other', ports: '[{ containerPort: 8080 }]' }), service('backend', 8080, 8080, 'other'));

  it('selects pods of every namespace, unless its selector names one', () => {
    const c = other().apply(ccnp('p', '  endpointSelector: { matchLabels: { app: backend } }\n  ingress: [{ fromEndpoints: [{ matchLabels: { app: frontend } }] }]\n'));
    // The peer selector has no namespace key: frontends of every namespace match.
    expect(c.outcome('frontend', 'http://backend.other:8080/')).toBe('ok');
    expect(c.outcome('not-frontend', 'http://backend.other:8080/')).toBe('connect-timeout');
    expect(c.outcome('not-frontend', BACKEND)).toBe('connect-timeout');
    c.apply(ccnp('p', '  endpointSelector: { matchLabels: { app: backend, "k8s:io.kubernetes.pod.namespace": other } }\n  ingress: [{ fromEndpoints: [{ matchLabels: { app: frontend } }] }]\n'));
    expect(c.outcome('not-frontend', BACKEND)).toBe('ok');
    expect(c.outcome('not-frontend', 'http://backend.other:8080/')).toBe('connect-timeout');
  });
});

describe('specs', () => {
  it('each rule of specs selects and allows on its own, with its own lines', () => {
    const c = demo().apply(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: two }
specs:
  - endpointSelector: { matchLabels: { app: backend } }
    ingress: [{ fromEndpoints: [{ matchLabels: { app: frontend } }] }]
  - endpointSelector: { matchLabels: { app: frontend } }
    egress: [{ toEndpoints: [{ matchLabels: { app: backend } }] }]
`);
    expect([c.outcome('frontend', 'http://10.96.0.11:8080/'), c.outcome('not-frontend', BACKEND)]).toEqual(['ok', 'connect-timeout']);
    const allowed = c.probe('frontend', 'http://10.96.0.11:8080/');
    expect(allowed.trace.map((t) => t.text)).toContainEqual(expect.stringMatching(/allowed by CiliumNetworkPolicy default\/two specs\[1\]\.egress\[0\] \(test\.yaml:8\)/));
  });
});

describe('DNS proxy and resolvers', () => {
  it("Go's resolver moves past a REFUSED search-list name where musl and glibc stop", () => {
    const c = demo().apply(
      deployment('go', { image: 'registry.k8s.io/e2e-test-images/agnhost:2.52', labels: { role: 'client' } }),
      deployment('glibc', { image: GLIBC_IMAGE, labels: { role: 'client' } }),
      cnp(
        'p',
        `  endpointSelector: { matchLabels: { role: client } }
  egress:
    - toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": kube-system, k8s-app: kube-dns } }]
      toPorts: [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [{ matchName: kubernetes.io }] } }]
    - toFQDNs: [{ matchName: kubernetes.io }]
`,
      ),
    );
    expect(c.outcome('go', 'tcp://kubernetes.io:443')).toBe('ok');
    expect(c.outcome('glibc', 'https://kubernetes.io/')).toBe('dns-error');
    expect(c.probe('go', 'tcp://cilium.io:443').exec.stderr).toMatch(/^DNS: lookup cilium\.io/);
  });
});

describe('validation', () => {
  const invalid = (yaml: string) => {
    try {
      parseManifests(yaml, 'p.yaml');
    } catch (e) {
      if (e instanceof InputError) return [e.line, e.detail];
      throw e;
    }
    throw new Error('accepted');
  };

  it.each([
    [cnp('p', `${FRONTEND}  egress: [{ toEndpoints: [{}], toCIDR: [10.0.0.0/8] }]\n`), 'combining toEndpoints and toCIDR in one rule is not supported by Cilium'],
    [cnp('p', `${FRONTEND}  egressDeny: [{ toFQDNs: [{ matchName: x.io }] }]\n`), 'Cilium does not allow toFQDNs in egressDeny'],
    [cnp('p', `${FRONTEND}  egress: [{ icmps: [{ fields: [{ type: 8 }] }], toPorts: [{ ports: [{ port: "80" }] }] }]\n`), 'the icmps block may only be present without toPorts: define a separate rule to use toPorts'],
    [cnp('p', `${FRONTEND}  egress: [{ icmps: [{ fields: [{ type: EchoRequest, family: IPv6 }, { type: NeighborSolicitation }] }] }]\n`), expect.stringMatching(/^must be an ICMP type 0-255 or a name of its family/)],
    [cnp('p', `${FRONTEND}  egress: [{ toPorts: [{ ports: [{ port: "443" }], serverNames: ["cilium io"] }] }]\n`), 'must be a DNS name, with * as a wildcard'],
    [cnp('p', `  endpointSelector: {}\n  nodeSelector: {}\n  ingress: [{}]\n`), 'give exactly one of endpointSelector and nodeSelector'],
    [cnp('p', `${FRONTEND}  egress: [{ toEntities: [internet] }]\n`), expect.stringMatching(/^Invalid option: expected one of "world"/)],
    [`apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: p, namespace: default }\nspec:\n${FRONTEND}`, 'a CiliumClusterwideNetworkPolicy is cluster-scoped: remove metadata.namespace'],
  ])('refuses %#', (yaml, detail) => {
    expect(invalid(yaml)[1]).toEqual(detail);
  });
});
