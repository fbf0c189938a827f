// Cilium's policy audit mode on the model, as the datapath does it (bpf/lib/policy.h policy_can_ingress/egress under
// POLICY_AUDIT_MODE): what policy would drop, for want of an allow or by a deny rule, is forwarded and reported as
// audited; what policy allows into a proxy still meets the L7 rules (Envoy's and the DNS proxy's policy do not read
// the audit option).
import { describe, expect, it } from 'vitest';
import { podMatrix, CONNECTS, DENIED } from '../../src/model/matrix.ts';
import { BACKEND, cnp, demo, np } from '../support/model.ts';

const BACKEND_SEL = '  endpointSelector: { matchLabels: { app: backend } }\n';
const FRONTEND_SEL = '  endpointSelector: { matchLabels: { app: frontend } }\n';
const DENY_ALL = np('deny', '  podSelector: { matchLabels: { app: backend } }\n  policyTypes: [Ingress]');

describe('policy audit mode', () => {
  it('forwards a flow no rule allows, and the trace says it was audited, not dropped', () => {
    const c = demo().apply(DENY_ALL);
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
    c.cluster.setPolicyAudit(true);
    const audited = c.probe('frontend', BACKEND);
    expect(audited.observation.outcome).toBe('ok');
    const step = audited.trace.find((t) => t.phase === 'connect' && t.side === 'server ingress')!;
    expect(step.verdict).toBe('allow');
    expect(step.text).toMatch(/denied, default deny by NetworkPolicy default\/deny .*; AUDITED: policy audit mode is on for this endpoint, so the flow is forwarded, not dropped/);
    c.cluster.setPolicyAudit(false);
    expect(c.outcome('frontend', BACKEND)).toBe('connect-timeout');
  });

  it('forwards what a deny rule denies too (DROP_POLICY_DENY is audited like DROP_POLICY)', () => {
    const c = demo().apply(cnp('deny', `${BACKEND_SEL}  ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: frontend } }] }]\n`));
    c.cluster.setPolicyAudit(true);
    expect(c.outcome('frontend', BACKEND)).toBe('ok');
    expect(c.probe('frontend', BACKEND).trace.find((t) => t.phase === 'connect' && t.side === 'server ingress')!.text).toMatch(/denied by CiliumNetworkPolicy default\/deny spec\.ingressDeny\[0\].*AUDITED/);
  });

  it('changes the cluster fingerprint, so that switching it is a change of state', () => {
    const c = demo();
    const before = c.cluster.fingerprint();
    c.cluster.setPolicyAudit(true);
    expect(c.cluster.fingerprint()).not.toBe(before);
    c.cluster.setPolicyAudit(false);
    expect(c.cluster.fingerprint()).toBe(before);
  });

  it('the matrix fast path sees it as the probes do', () => {
    const c = demo().apply(DENY_ALL);
    const at = (from: string, to: string) => {
      const pods = c.cluster.pods();
      const row = pods.findIndex((p) => p.labels.app === from);
      return podMatrix(c.cluster, 8080, 'TCP')[row * pods.length + pods.findIndex((p) => p.labels.app === to)];
    };
    expect(at('frontend', 'backend')).toBe(DENIED);
    c.cluster.setPolicyAudit(true);
    expect(at('frontend', 'backend')).toBe(CONNECTS);
  });

  it('the HTTP proxy still answers 403 to a request no rule allows on a port policy allows', () => {
    const c = demo().apply(cnp('l7', `${BACKEND_SEL}  ingress: [{ fromEndpoints: [{ matchLabels: { app: frontend } }], toPorts: [{ ports: [{ port: "8080", protocol: TCP }], rules: { http: [{ method: GET, path: "/public" }] } }] }]\n`));
    c.cluster.setPolicyAudit(true);
    expect(c.outcome('frontend', 'http://backend:8080/public')).toBe('ok');
    expect(c.outcome('frontend', 'http://backend:8080/private')).toBe('ok:403');
  });

  it('a flow from a peer the L7 rule does not name is audited past the proxy: no L7 rule applies to it', () => {
    const c = demo().apply(cnp('l7', `${BACKEND_SEL}  ingress: [{ fromEndpoints: [{ matchLabels: { app: nobody } }], toPorts: [{ ports: [{ port: "8080", protocol: TCP }], rules: { http: [{ method: GET, path: "/public" }] } }] }]\n`));
    expect(c.outcome('frontend', 'http://backend:8080/private')).toBe('connect-timeout');
    c.cluster.setPolicyAudit(true);
    // The server's own answer, not the proxy's 403.
    expect(c.outcome('frontend', 'http://backend:8080/private')).toBe('ok');
  });

  it('the DNS proxy still refuses a name no rules.dns entry allows', () => {
    const c = demo().apply(
      cnp(
        'dns',
        `${FRONTEND_SEL}  egress:
    - toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": kube-system, k8s-app: kube-dns } }]
      toPorts: [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [{ matchName: kubernetes.io }] } }]
`,
      ),
    );
    const refused = c.probe('frontend', 'https://cilium.io/');
    expect(refused.trace.map((t) => t.text)).toContainEqual(expect.stringMatching(/REFUSED, no rules\.dns entry allows/));
    expect(c.outcome('frontend', 'https://kubernetes.io./')).toBe('connect-timeout');
    c.cluster.setPolicyAudit(true);
    expect(c.probe('frontend', 'https://cilium.io/').observation).toEqual(refused.observation);
    // The connection policy would drop (no toFQDNs, no world allowed) is audited once the name resolves.
    expect(c.outcome('frontend', 'https://kubernetes.io./')).toBe('ok');
  });
});
