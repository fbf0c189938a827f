// Flows a tutorial shows (hubble observe, cilium monitor) as claims about the probes whose flows they are, and flows
// no probe made as claims nothing can check. Wordings from the corpus: tutorials/seeds/003_87bba962e4e6e360.txt:272-279
// (hubble observe after curl from not-frontend to backend) and
// tutorials/corpus/cilium-host-firewall/Documentation/security/host-firewall.rst:130-133 (cilium-dbg monitor).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDocs } from '../support/check-docs.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { fixture } from '../support/fixture.ts';

const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body}\n\`\`\``;
const BIND = ["FRONTEND=$(kubectl get pods -l app=frontend -o jsonpath='{.items[0].metadata.name}')", "NOT_FRONTEND=$(kubectl get pods -l app=not-frontend -o jsonpath='{.items[0].metadata.name}')"].join('\n');
const DENY = fence(
  'yaml',
  ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata:', '  name: backend-ingress-deny', 'spec:', '  podSelector:', '    matchLabels:', '      app: backend', '  policyTypes:', '  - Ingress'].join('\n'),
);
// tutorials/seeds/003_87bba962e4e6e360.txt:272 and :274.
const DNS = 'Jan 13 12:54:46.883: default/not-frontend-8f467ccbd-lh4w4:50802 -> kube-system/coredns-64897985d-7rjfv:53 to-endpoint FORWARDED (UDP)';
const DROP = 'Jan 13 12:54:46.884: default/not-frontend-8f467ccbd-lh4w4:37134 <> default/backend-65f7c794cc-pj2tc:8080 Policy denied DROPPED (TCP Flags: SYN)';

async function checked(body: string[]) {
  const dir = await fixture({ 'netpol-docs.yaml': 'apps: [demo]\n', 'README.md': body.join('\n\n') });
  const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
  const check = await checkDocs(extraction, suite);
  const lineOf = (text: string) =>
    body
      .join('\n\n')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1;
  return { check, lineOf };
}

describe('flows shown as claims of their probes', () => {
  it("a dropped SYN is the claim of the probe from its pod to its Service's pod, not of the latest probe", async () => {
    const { check, lineOf } = await checked([
      '# Deny',
      fence('bash', `${BIND}\nkubectl apply -f - <<EOF\n${DENY.split('\n').slice(1, -1).join('\n')}\nEOF`),
      fence('bash', 'kubectl exec -ti ${NOT_FRONTEND} -- curl -I --connect-timeout 5 backend:8080\nkubectl exec -ti ${FRONTEND} -- curl -I --connect-timeout 5 backend:8080'),
      fence('bash', 'hubble observe --verdict DROPPED'),
      fence('', [DNS, DNS, DROP, DROP].join('\n')),
    ]);
    // One claim for the repeated line; the forwarded DNS query is the probe's lookup and claims nothing.
    expect(check.claims).toHaveLength(1);
    expect(check.claims[0]).toMatchObject({ line: lineOf('Policy denied DROPPED'), commandLine: lineOf('${NOT_FRONTEND} -- curl'), claimed: 'connect-timeout', verdict: 'holds' });
  });

  it('pods without the app label: a bare pod by its name, a Deployment by the name it generated', async () => {
    // The drop of tutorials/seeds/003_87bba962e4e6e360.txt:274, between a `kubectl run` client (run=client) and a
    // Deployment whose pods are labelled role=backend.
    const backend = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: backend}',
      'spec:',
      '  selector: {matchLabels: {role: backend}}',
      '  template:',
      '    metadata: {labels: {role: backend}}',
      '    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: backend}',
      'spec: {selector: {role: backend}, ports: [{port: 80, targetPort: 8080}]}',
      '---',
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: {name: deny}',
      'spec: {podSelector: {matchLabels: {role: backend}}, policyTypes: [Ingress]}',
    ].join('\n');
    const drop = 'Jan 13 12:54:46.884: default/client:37134 <> default/backend-65f7c794cc-pj2tc:8080 Policy denied DROPPED (TCP Flags: SYN)';
    const { check, lineOf } = await checked([
      '# Deny',
      fence('bash', `kubectl apply -f - <<EOF\n${backend}\nEOF\nkubectl run client --image=busybox -- sleep 3600`),
      fence('bash', 'kubectl exec client -- wget -qO- --timeout=2 http://backend'),
      fence('bash', 'hubble observe --to-label role=backend'),
      fence('', drop),
    ]);
    expect(check.claims).toEqual([expect.objectContaining({ line: lineOf('Policy denied'), commandLine: lineOf('kubectl exec client'), claimed: 'connect-timeout', verdict: 'holds' })]);
  });

  it("a flow let through at the client's end and denied at the server's is denied", async () => {
    // The pair of policy-verdict lines hubble shows for one SYN (printer.go: EGRESS at the source, INGRESS at the destination).
    const egress = 'Jan 13 12:54:46.884: default/not-frontend-8f467ccbd-lh4w4:37134 (ID:2615) -> default/backend-65f7c794cc-pj2tc:8080 (ID:9727) policy-verdict:all EGRESS ALLOWED (TCP Flags: SYN)';
    const ingress = 'Jan 13 12:54:46.884: default/not-frontend-8f467ccbd-lh4w4:37134 (ID:2615) <> default/backend-65f7c794cc-pj2tc:8080 (ID:9727) policy-verdict:none INGRESS DENIED (TCP Flags: SYN)';
    const { check, lineOf } = await checked([
      '# Deny',
      fence('bash', `${BIND}\nkubectl apply -f - <<EOF\n${DENY.split('\n').slice(1, -1).join('\n')}\nEOF`),
      fence('bash', 'kubectl exec -ti ${NOT_FRONTEND} -- curl -I --connect-timeout 5 backend:8080'),
      fence('bash', 'hubble observe --pod backend'),
      fence('', [egress, ingress].join('\n')),
    ]);
    expect(check.claims).toEqual([expect.objectContaining({ line: lineOf('INGRESS DENIED'), claimed: 'connect-timeout', verdict: 'holds' })]);
  });

  it('a flow delivered beside one dropped, as before and after a change, is not checkable', async () => {
    // The seed's drop (tutorials/seeds/003_87bba962e4e6e360.txt:274) beside the same pods' SYN delivered earlier.
    const delivered = 'Jan 13 12:50:02.310: default/not-frontend-8f467ccbd-lh4w4:36012 -> default/backend-65f7c794cc-pj2tc:8080 to-endpoint FORWARDED (TCP Flags: SYN)';
    const { check, lineOf } = await checked([
      '# History',
      fence('bash', `${BIND}\nkubectl exec -ti \${NOT_FRONTEND} -- curl -I --connect-timeout 5 backend:8080`),
      fence('bash', 'hubble observe --from-label app=not-frontend'),
      fence('', [delivered, DROP].join('\n')),
    ]);
    expect(check.claims).toEqual([expect.objectContaining({ line: lineOf('to-endpoint FORWARDED'), verdict: 'not-checkable', why: expect.stringMatching(/disagree/) })]);
  });

  // The AUDITED line of a policy audit mode guide (test/tutorials/hubble-lines.test.ts), for the demo's pods.
  const AUDITED = 'Jun  3 06:57:16.456: default/not-frontend-8f467ccbd-lh4w4:35256 (ID:6443) -> default/backend-65f7c794cc-pj2tc:8080 (ID:6942) policy-verdict:none INGRESS AUDITED (TCP Flags: SYN)';

  it('an AUDITED flow holds where the text switched policy audit mode on for every endpoint', async () => {
    const { check, lineOf } = await checked([
      '# Audit',
      fence('bash', `${BIND}\ncilium config set policy-audit-mode true\nkubectl apply -f - <<EOF\n${DENY.split('\n').slice(1, -1).join('\n')}\nEOF`),
      fence('bash', 'kubectl exec -ti ${NOT_FRONTEND} -- curl -I --connect-timeout 5 backend:8080'),
      fence('bash', 'hubble observe --from-label app=not-frontend'),
      fence('', AUDITED),
    ]);
    expect(check.claims).toEqual([expect.objectContaining({ line: lineOf('AUDITED'), claimed: 'ok', verdict: 'holds', why: expect.stringMatching(/the policy would deny it; audit mode lets it through/) })]);
  });

  it('an AUDITED flow where the text switched no audit mode on that the harness follows is not checkable, not contradicted', async () => {
    const { check, lineOf } = await checked([
      '# Audit',
      fence('bash', `${BIND}\nkubectl apply -f - <<EOF\n${DENY.split('\n').slice(1, -1).join('\n')}\nEOF`),
      fence('bash', 'kubectl exec -ti ${NOT_FRONTEND} -- curl -I --connect-timeout 5 backend:8080'),
      fence('bash', 'hubble observe --from-label app=not-frontend'),
      fence('', AUDITED),
    ]);
    expect(check.claims).toEqual([expect.objectContaining({ line: lineOf('AUDITED'), verdict: 'not-checkable', why: expect.stringMatching(/no command of it that switches it on for every endpoint came before/) })]);
  });

  it('reads a JSON flow jq printed over several lines', async () => {
    // hubble observe -o json's fields (as in test/tutorials/hubble-lines.test.ts's flow log) for the seed's drop, through jq.
    const flow = {
      time: '2022-01-13T12:54:46.884Z',
      verdict: 'DROPPED',
      drop_reason_desc: 'POLICY_DENIED',
      IP: { source: '10.0.1.5', destination: '10.0.2.10' },
      l4: { TCP: { source_port: 37134, destination_port: 8080, flags: { SYN: true } } },
      source: { identity: 2615, namespace: 'default', pod_name: 'not-frontend-8f467ccbd-lh4w4' },
      destination: { identity: 9727, namespace: 'default', pod_name: 'backend-65f7c794cc-pj2tc' },
    };
    const { check, lineOf } = await checked([
      '# Deny',
      fence('bash', `${BIND}\nkubectl apply -f - <<EOF\n${DENY.split('\n').slice(1, -1).join('\n')}\nEOF`),
      fence('bash', 'kubectl exec -ti ${NOT_FRONTEND} -- curl -I --connect-timeout 5 backend:8080'),
      fence('bash', 'hubble observe -o json | jq'),
      fence('json', JSON.stringify(flow, null, 2)),
    ]);
    expect(check.claims).toEqual([expect.objectContaining({ line: lineOf('"time"') - 1, claimed: 'connect-timeout', verdict: 'holds' })]);
  });

  it('flows shown right after the probes, with no hubble command between, are still flows', async () => {
    const { check, lineOf } = await checked([
      '# Deny',
      fence('bash', `${BIND}\nkubectl apply -f - <<EOF\n${DENY.split('\n').slice(1, -1).join('\n')}\nEOF`),
      fence('bash', 'kubectl exec -ti ${NOT_FRONTEND} -- curl -I --connect-timeout 5 backend:8080'),
      fence('', DROP),
    ]);
    expect(check.claims).toEqual([expect.objectContaining({ line: lineOf('Policy denied'), verdict: 'holds', claimed: 'connect-timeout' })]);
  });

  it('a flow no probe of the section made is not checkable, with the reason, never contradicted', async () => {
    const { check, lineOf } = await checked([
      '# Before',
      fence('bash', `${BIND}\nkubectl exec -ti \${NOT_FRONTEND} -- curl -I --connect-timeout 5 backend:8080`),
      fence('', 'HTTP/1.1 200 OK'),
      // The probe was in another section, and it went through: a drop shown here is no claim about it.
      '## Observe',
      fence('bash', 'hubble observe'),
      fence('', DROP),
    ]);
    expect(check.claims.map((c) => [c.line, c.verdict])).toEqual([
      [lineOf('HTTP/1.1 200 OK'), 'holds'],
      [lineOf('Policy denied'), 'not-checkable'],
    ]);
    expect(check.claims[1]).toMatchObject({
      commandLine: lineOf('hubble observe'),
      why: expect.stringMatching(/no probe of the text before it in this section goes from default\/not-frontend-8f467ccbd-lh4w4 to default\/backend-65f7c794cc-pj2tc:8080/),
    });
  });

  it("a drop to world whose source is only an identity number is the probe's only if one outside host fits", async () => {
    // tutorials/corpus/azure-acns-fqdn-filtering/articles/aks/how-to-apply-fqdn-filtering-policies.md:206-221: two
    // probes to outside names on port 80, then the drop cilium monitor printed.
    const drop = 'xx drop (Policy denied) flow 0xfddd76f6 to endpoint 0, ifindex 29, file bpf_lxc.c:1274, , identity 48447->world: 192.168.0.149:45830 -> 93.184.215.14:80 tcp SYN';
    const probe = (host: string) => `kubectl exec \${FRONTEND} -- curl -s --connect-timeout 5 http://${host}`;
    const one = await checked(['# Egress', fence('bash', `${BIND}\n${probe('www.example.com')}`), fence('', drop)]);
    expect(one.check.claims).toEqual([expect.objectContaining({ line: one.lineOf('xx drop'), commandLine: one.lineOf('www.example.com'), claimed: 'connect-timeout' })]);
    const two = await checked(['# Egress', fence('bash', `${BIND}\n${probe('www.bing.com')}`), fence('', '<html></html>'), fence('bash', probe('www.example.com')), fence('', drop)]);
    const onDrop = two.check.claims.filter((c) => c.line === two.lineOf('xx drop'));
    expect(onDrop).toEqual([expect.objectContaining({ verdict: 'not-checkable', why: expect.stringMatching(/fits 2 probes .*: which one's it is is not said/) })]);
  });

  it("cilium-dbg monitor's verdicts on traffic from world and other nodes are not checkable", async () => {
    const monitor = '$ kubectl -n $CILIUM_NAMESPACE exec $CILIUM_POD_NAME -- cilium-dbg monitor -t policy-verdict --related-to $HOST_EP_ID';
    const { check, lineOf } = await checked([
      '# Audit',
      fence(
        'shell-session',
        [
          monitor,
          'Policy verdict log: flow 0x0 local EP ID 1687, remote ID 6, proto 1, ingress, action allow, match L3-Only, 192.168.60.12 -> 192.168.60.11 EchoRequest',
          'Policy verdict log: flow 0x0 local EP ID 1687, remote ID 2, proto 6, ingress, action audit, match none, 10.0.2.2:47500 -> 10.0.2.15:6443 tcp SYN',
        ].join('\n'),
      ),
    ]);
    expect(check.claims.map((c) => [c.line, c.commandLine, c.verdict])).toEqual([
      [lineOf('remote ID 6'), lineOf('cilium-dbg monitor'), 'not-checkable'],
      [lineOf('remote ID 2'), lineOf('cilium-dbg monitor'), 'not-checkable'],
    ]);
    expect(check.claims.map((c) => c.why)).toEqual([expect.stringMatching(/^the flow comes from remote-node \(192\.168\.60\.12\)/), expect.stringMatching(/^the flow comes from world \(10\.0\.2\.2\)/)]);
  });
});
