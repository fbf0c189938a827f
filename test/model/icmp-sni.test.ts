// ICMP rules and TLS server names, written from Cilium's own connectivity tests (cilium-cli/connectivity/builder,
// vendored in cilium/cilium-cli at vendor/github.com/cilium/cilium/cilium-cli/connectivity) and the policy API
// (pkg/policy/api/icmp.go, l4.go ServerName). The expected outcomes are those tests' expectations, not the model's.
import { describe, expect, it } from 'vitest';
import { ccnp, cnp, deployment, np, service, TestCluster, WORLD } from '../support/model.ts';

const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.52';
/** cilium-cli's clients: client (kind=client) and client2 (kind=client, other=client), and an echo server (json-mock on PORT). */
function clients(): TestCluster {
  return new TestCluster(WORLD).apply(
    deployment('client', { labels: { kind: 'client' }, image: AGNHOST }),
    deployment('client2', { labels: { kind: 'client', other: 'client' }, image: AGNHOST }),
    deployment('echo', { labels: { kind: 'echo' }, image: 'docker.io/cilium/json-mock:1.2', ports: '[{ containerPort: 8080 }]', env: '[{ name: PORT, value: "8080" }]' }),
    service('echo', 8080, 8080),
  );
}
const podIp = (c: TestCluster, app: string) => c.pod(app).ip;

describe('ICMP (echo request, type 8)', () => {
  // builder/client_ingress_icmp.go with manifests/echo-ingress-icmp.yaml: ICMP from other=client is allowed,
  // anything else into a client is dropped by default deny.
  const ingressIcmp = cnp(
    'client-ingress-from-client2-icmp',
    `  endpointSelector: { matchLabels: { kind: client } }
  ingress:
  - fromEndpoints: [{ matchLabels: { other: client }, matchExpressions: [{ key: io.cilium.k8s.policy.cluster, operator: Exists }] }]
    icmps: [{ fields: [{ family: IPv4, type: 8 }, { family: IPv6, type: 128 }] }]
`,
  );

  it('client-ingress-icmp: client2 pings client; client cannot ping client2; TCP into client is dropped', () => {
    const c = clients().apply(ingressIcmp);
    expect(c.outcome('client2', `icmp://${podIp(c, 'client')}`)).toBe('ok');
    expect(c.outcome('client', `icmp://${podIp(c, 'client2')}`)).toBe('connect-timeout');
    expect(c.outcome('client2', `tcp://${podIp(c, 'client')}:8080`)).toBe('connect-timeout');
  });

  it('type by name is the same type: EchoRequest = 8 (icmp.go icmpIpv4TypeNameToCode)', () => {
    const c = clients().apply(ingressIcmp.replace('type: 8 }', 'type: EchoRequest }'));
    expect(c.outcome('client2', `icmp://${podIp(c, 'client')}`)).toBe('ok');
    const other = clients().apply(ingressIcmp.replace('type: 8 }', 'type: EchoReply }'));
    expect(other.outcome('client2', `icmp://${podIp(other, 'client')}`)).toBe('connect-timeout');
  });

  it('client-ingress-from-other-client-icmp-deny: allow all, deny ICMP from other=client: that ping drops, the rest goes', () => {
    const c = clients().apply(
      cnp('allow-all-egress', `  endpointSelector: {}\n  egress: [{ toEntities: [all] }]\n`),
      cnp('allow-all-ingress', `  endpointSelector: {}\n  ingress: [{ fromEntities: [all] }]\n`),
      cnp(
        'deny-icmp',
        `  endpointSelector: { matchLabels: { kind: client } }
  ingressDeny:
  - fromEndpoints: [{ matchLabels: { other: client }, matchExpressions: [{ key: io.cilium.k8s.policy.cluster, operator: Exists }] }]
    icmps: [{ fields: [{ family: IPv4, type: 8 }, { family: IPv6, type: 128 }] }]
`,
      ),
    );
    expect(c.outcome('client2', `icmp://${podIp(c, 'client')}`)).toBe('connect-timeout');
    expect(c.outcome('client', `icmp://${podIp(c, 'client2')}`)).toBe('ok');
    expect(c.outcome('client2', 'tcp://echo:8080')).toBe('ok');
  });

  it('client-egress-icmp: an egress rule of ICMP types only allows the ping and nothing else', () => {
    const c = clients().apply(cnp('client-egress-icmp', `  endpointSelector: { matchLabels: { kind: client } }\n  egress: [{ icmps: [{ fields: [{ type: 8, family: IPv4 }, { type: 128, family: IPv6 }] }] }]\n`));
    expect(c.outcome('client', `icmp://${podIp(c, 'echo')}`)).toBe('ok');
    expect(c.outcome('client', `tcp://${podIp(c, 'echo')}:8080`)).toBe('connect-timeout');
  });

  it('an L3-only allow admits ICMP; an allow naming TCP ports does not (NetworkPolicy and Cilium alike)', () => {
    const l3 = clients().apply(np('from-client', '  podSelector: { matchLabels: { kind: echo } }\n  ingress: [{ from: [{ podSelector: { matchLabels: { kind: client } } }] }]'));
    expect(l3.outcome('client', `icmp://${podIp(l3, 'echo')}`)).toBe('ok');
    const l4 = clients().apply(np('from-client', '  podSelector: { matchLabels: { kind: echo } }\n  ingress: [{ from: [{ podSelector: { matchLabels: { kind: client } } }], ports: [{ port: 8080 }] }]'));
    expect(l4.outcome('client', `icmp://${podIp(l4, 'echo')}`)).toBe('connect-timeout');
    expect(l4.outcome('client', 'tcp://echo:8080')).toBe('ok');
  });

  it('a ping by name resolves first; busybox says "bad address" for any failed lookup (client lab capture)', () => {
    const c = clients().apply(ccnp('no-dns', `  endpointSelector: { matchLabels: { kind: client } }\n  egress: [{ icmps: [{ fields: [{ type: 8 }] }] }]\n`));
    const probe = c.probe('client', 'icmp://echo');
    expect(probe.observation.outcome).toBe('dns-error');
    expect(probe.exec.stderr).toBe("ping: bad address 'echo'\n");
  });

  it('a ping to a Service address is not predicted: the datapath decides whether a Service address answers an echo', () => {
    expect(clients().probe('client', 'icmp://echo').unpredicted).toMatch(/^ping to Service default\/echo's address/);
  });

  it('a host outside the cluster answers when egress allows it; an address nothing serves does not', () => {
    const c = clients();
    expect(c.outcome('client', 'icmp://203.0.113.2')).toBe('ok');
    expect(c.outcome('client', 'icmp://198.51.100.7')).toBe('connect-timeout');
    c.apply(cnp('world-tcp', `  endpointSelector: { matchLabels: { kind: client } }\n  egress: [{ toEntities: [world], toPorts: [{ ports: [{ port: "443", protocol: TCP }] }] }]\n`));
    expect(c.outcome('client', 'icmp://203.0.113.2')).toBe('connect-timeout');
  });
});

describe('TLS server names (SNI)', () => {
  // manifests/client-egress-only-dns.yaml: DNS to kube-dns with a DNS proxy that allows every name.
  const onlyDns = cnp(
    'client-egress-only-dns',
    `  endpointSelector: { matchLabels: { kind: client } }
  egress:
  - toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": kube-system, "k8s:k8s-app": kube-dns } }]
    toPorts: [{ ports: [{ port: "53", protocol: UDP }, { port: "53", protocol: TCP }], rules: { dns: [{ matchPattern: "*" }] } }]
`,
  );
  const sni = (names: string) =>
    cnp(
      'client-egress-tls-sni',
      `  endpointSelector: { matchLabels: { kind: client } }
  egress:
  - toPorts: [{ ports: [{ port: "443", protocol: TCP }], serverNames: [${names}] }]
`,
    );

  it('client-egress-tls-sni: the allowed name passes on 443; port 80 is dropped by default deny', () => {
    const c = clients().apply(onlyDns, sni('"cilium.io"'));
    expect(c.outcome('client', 'https://cilium.io/')).toBe('ok');
    expect(c.outcome('client', 'http://kubernetes.io/')).toBe('connect-timeout');
  });

  it('client-egress-tls-sni-denied: another name on 443 ends in a TLS error (ResultCurlSSLError, exit 35)', () => {
    const c = clients().apply(onlyDns, sni('"cilium.io"'));
    const probe = c.probe('client', 'https://kubernetes.io/');
    expect(probe.observation.outcome).toBe('tls-error');
    expect(probe.exec.exitCode).toBe(35);
  });

  it('wildcards (l4.go ServerName): *. one label, ** prefix many, * inside a label', () => {
    const world = [...WORLD, { name: 'www.docs.cilium.io', ip: '203.0.113.3', ports: { 443: 200 } }];
    const at = (names: string) => new TestCluster(world).apply(deployment('client', { labels: { kind: 'client' }, image: AGNHOST }), onlyDns, sni(names));
    expect(at('"*.cilium.io"').outcome('client', 'https://www.docs.cilium.io/')).toBe('tls-error');
    expect(at('"*.cilium.io"').outcome('client', 'https://cilium.io/')).toBe('tls-error');
    expect(at('"**.cilium.io"').outcome('client', 'https://www.docs.cilium.io/')).toBe('ok');
    expect(at('"**.cilium.io"').outcome('client', 'https://cilium.io/')).toBe('tls-error');
    expect(at('"*cilium.io"').outcome('client', 'https://cilium.io/')).toBe('ok');
    expect(at('"www.*.cilium.io"').outcome('client', 'https://www.docs.cilium.io/')).toBe('ok');
    expect(at('"*"').outcome('client', 'https://kubernetes.io/')).toBe('ok');
  });

  it('curl sends no server name to an address, so an SNI rule refuses it', () => {
    expect(clients().apply(onlyDns, sni('"cilium.io"')).outcome('client', 'https://203.0.113.2/')).toBe('tls-error');
  });

  it('a plain HTTP request to a port with serverNames is not predicted', () => {
    const c = clients().apply(onlyDns, cnp('sni80', `  endpointSelector: { matchLabels: { kind: client } }\n  egress: [{ toPorts: [{ ports: [{ port: "80", protocol: TCP }], serverNames: ["kubernetes.io"] }] }]\n`));
    expect(c.probe('client', 'http://kubernetes.io/').unpredicted).toMatch(/^toPorts\.serverNames on 80\/TCP meets a plain-text HTTP request/);
  });

  it('TLS interception (terminatingTLS with a Secret) is not simulated: those requests are not predicted', () => {
    const c = clients().apply(
      onlyDns,
      cnp(
        'l7-tls',
        `  endpointSelector: { matchLabels: { kind: client } }
  egress:
  - toPorts:
    - ports: [{ port: "443", protocol: TCP }]
      serverNames: ["cilium.io"]
      terminatingTLS: { secret: { namespace: default, name: externaltarget-tls } }
      originatingTLS: { secret: { namespace: kube-system, name: cabundle } }
      rules: { http: [{ method: GET, path: "/", headers: ["X-Very-Secret-Token: 42"] }] }
`,
      ),
    );
    expect(c.probe('client', 'https://cilium.io/').unpredicted).toMatch(/^toPorts\.terminatingTLS\/originatingTLS/);
  });
});
