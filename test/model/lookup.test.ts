// Name lookups (dns://NAME, probed with nslookup) on the model: the search path as each image's nslookup walks it,
// each query judged by policy and the DNS proxy, and the answer classified as a cluster's output would be.
import { describe, expect, it } from 'vitest';
import { classifyProbe } from '../../src/probe/classify.ts';
import { buildProbeArgv } from '../../src/probe/command.ts';
import { parseTarget, probeFor } from '../../src/probe/target.ts';
import { cnp, demo, deployment, np } from '../support/model.ts';

const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.52';

/** The demo app with an agnhost client (bind's nslookup) beside the Alpine ones (busybox's). */
const cluster = () => demo().apply(deployment('agnhost', { image: AGNHOST, labels: { role: 'client' } }));

describe('a name lookup on the model', () => {
  it("resolves a Service by the search path, as bind's nslookup and busybox's both do for a name without a dot", () => {
    const c = cluster();
    const bind = c.probe('agnhost', 'dns://backend');
    expect(bind.observation).toEqual({ outcome: 'ok' });
    expect(bind.resolved?.name).toBe('backend.default.svc.cluster.local');
    expect(bind.exec.stdout).toMatch(/^Name:\tbackend\.default\.svc\.cluster\.local$/m);
    expect(c.outcome('frontend', 'dns://backend')).toBe('ok');
  });

  it('reads what the model printed back as the same outcome (the kube backend classifies real output so)', () => {
    const c = cluster().apply(np('no-egress', '  podSelector: { matchLabels: { app: frontend } }\n  policyTypes: [Egress]'));
    for (const [from, target] of [
      ['agnhost', 'dns://backend'],
      ['agnhost', 'dns://nothing'],
      ['frontend', 'dns://backend'],
      ['frontend', 'dns://backend.default'],
    ]) {
      const simulation = c.probe(from!, target!);
      expect(classifyProbe(['nslookup'], simulation.exec).outcome, `${from} ${target}`).toBe(simulation.observation.outcome);
    }
  });

  it("a dotted name: bind's nslookup walks the search path, busybox's asks for it only as written (NXDOMAIN)", () => {
    const c = cluster();
    expect(c.outcome('agnhost', 'dns://backend.default')).toBe('ok');
    expect(c.outcome('frontend', 'dns://backend.default')).toBe('dns-error');
    expect(c.outcome('frontend', 'dns://backend.default.svc.cluster.local')).toBe('ok');
    // A trailing dot: asked as written by both.
    expect(c.outcome('agnhost', 'dns://backend.default.')).toBe('dns-error');
  });

  it('a name no record has is NXDOMAIN: dns-error', () => {
    expect(cluster().probe('agnhost', 'dns://nothing').exec.stdout).toMatch(/^\*\* server can't find nothing: NXDOMAIN$/m);
    expect(cluster().outcome('frontend', 'dns://nothing')).toBe('dns-error');
  });

  it('egress to kube-dns denied: no server answers, dns-timeout', () => {
    const c = cluster().apply(np('no-egress', '  podSelector: { matchLabels: { role: client } }\n  policyTypes: [Egress]'));
    const simulation = c.probe('agnhost', 'dns://backend');
    expect(simulation.observation.outcome).toBe('dns-timeout');
    expect(simulation.exec.stdout).toMatch(/no servers could be reached/);
  });

  it("the DNS proxy refuses a name no rule allows: bind's nslookup stops at the first REFUSED name, busybox's asks every search name", () => {
    const proxy = (selector: string, pattern: string) =>
      cnp(
        `dns-${selector}`,
        `  endpointSelector: { matchLabels: { app: ${selector} } }
  egress:
    - toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": kube-system, "k8s:k8s-app": kube-dns } }]
      toPorts: [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [{ matchName: "${pattern}" }] } }]`,
      );
    // Only the second search name is allowed: bind's nslookup is refused the first and never asks it.
    const c = cluster().apply(proxy('agnhost', 'backend.svc.cluster.local'), proxy('frontend', 'backend.svc.cluster.local'));
    const bind = c.probe('agnhost', 'dns://backend');
    expect(bind.observation.outcome).toBe('dns-error');
    expect(bind.exec.stdout).toMatch(/^\*\* server can't find backend\.default\.svc\.cluster\.local: REFUSED$/m);
    // busybox asks backend.svc.cluster.local too, which is allowed, and NXDOMAIN there (no such Service namespace).
    expect(c.outcome('frontend', 'dns://backend')).toBe('dns-error');
    // Allowed by name, the full name resolves for both.
    const full = cluster().apply(proxy('agnhost', 'backend.default.svc.cluster.local'), proxy('frontend', 'backend.default.svc.cluster.local'));
    expect([full.outcome('agnhost', 'dns://backend'), full.outcome('frontend', 'dns://backend')]).toEqual(['ok', 'ok']);
  });

  it('runs nslookup with the probe timeout, the name as written', () => {
    expect(buildProbeArgv(probeFor(parseTarget('dns://backend.default.')!, 'backend.default.', 3))).toEqual(['nslookup', '-timeout=3', 'backend.default.']);
  });
});
