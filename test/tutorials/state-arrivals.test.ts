// State that reaches the cluster other than by a manifest shown and applied by name: a URL (fetched as kubectl does,
// cached, or read from the cache only with --offline), a folder, several -f, a file edited and applied again,
// Cilium's policy audit mode, and objects the model does not simulate (Calico's policies, other CRDs).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkDocs } from '../support/check-docs.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { fixture } from '../support/fixture.ts';

const POLICY = (name: string, rules = '') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name} }
spec: { podSelector: { matchLabels: { app: backend } }, ${rules}policyTypes: [Ingress] }
`;
const BIND = "FRONTEND=$(kubectl get pods -l app=frontend -o jsonpath='{.items[0].metadata.name}')";
const PROBE = 'kubectl exec -ti $FRONTEND -- curl -I --connect-timeout 5 backend:8080 | head -1';
const TIMED_OUT = 'curl: (28) Connection timed out after 5001 milliseconds\ncommand terminated with exit code 28';
const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body}\n\`\`\``;

/** A README on the demo app: the blocks given, then the frontend's probe of the backend and the output shown. */
async function check(blocks: string[], output: string, files: Record<string, string> = {}, offline = false) {
  const dir = await fixture({ 'README.md': [fence('bash', BIND), ...blocks, fence('bash', `${PROBE}\n${output}`)].join('\n\n'), 'netpol-docs.yaml': 'apps: [demo]\n', ...files });
  const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'), undefined, offline);
  const result = await checkDocs(extraction, suite);
  return { findings: extraction.findings, claims: result.claims.map((c) => ({ verdict: c.verdict, why: c.why ?? '' })) };
}

describe('kubectl apply -f URL', () => {
  let server: Server;
  let base: string;
  const served: string[] = [];
  beforeAll(async () => {
    // Loopback only: tests never reach the internet.
    server = createServer((req, res) => {
      served.push(req.url ?? '');
      if (req.url === '/moved.yaml') res.writeHead(302, { location: '/deny.yaml' }).end();
      else if (req.url === '/endless.yaml') {
        // A server that never stops sending: written while the socket takes it, until the reader hangs up.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const line = Buffer.alloc(64 * 1024, '# padding\n');
        const more = () => {
          while (!res.destroyed && res.write(line));
        };
        res.on('drain', more);
        more();
      } else if (req.url === '/deny.yaml') res.writeHead(200, { 'content-type': 'text/plain' }).end(POLICY('backend-ingress-deny'));
      else res.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(async () => {
    vi.stubEnv('XDG_CACHE_HOME', await fixture({}));
    served.length = 0;
  });

  // The wording of tutorials/corpus/aws-eks-stars-demo/latest/ug/networking/network-policy-stars-demo.adoc:122
  // (`kubectl apply -f https://eksworkshop.com/.../allow-ui.yaml`), served from loopback.
  it('fetches it, following a redirect, and keeps it in the cache that --offline then reads', async () => {
    const online = await check([fence('bash', `kubectl apply -f ${base}/moved.yaml`)], TIMED_OUT);
    expect(online.claims).toEqual([{ verdict: 'holds', why: expect.stringContaining('timed out') }]);
    expect(served).toEqual(['/moved.yaml', '/deny.yaml']);
    const offline = await check([fence('bash', `kubectl apply -f ${base}/moved.yaml`)], TIMED_OUT, {}, true);
    expect(offline.claims).toEqual([{ verdict: 'holds', why: expect.stringContaining('timed out') }]);
    expect(served).toHaveLength(2);
  });

  it('offline and not cached, or not 200 OK: the claims after it are not checkable, and say why', async () => {
    const offline = await check([fence('bash', `kubectl apply -f ${base}/deny.yaml`)], TIMED_OUT, {}, true);
    expect(offline.claims).toEqual([{ verdict: 'not-checkable', why: expect.stringContaining('--offline forbids fetching it') }]);
    expect(served).toEqual([]);
    const missing = await check([fence('bash', `kubectl apply -f ${base}/gone.yaml`)], TIMED_OUT);
    expect(missing.claims).toEqual([{ verdict: 'not-checkable', why: expect.stringContaining('status code=404') }]);
  });

  it('an endless body stops being read at the cap: not checkable, naming the size', async () => {
    const r = await check([fence('bash', `kubectl apply -f ${base}/endless.yaml`)], TIMED_OUT);
    expect(r.claims).toEqual([{ verdict: 'not-checkable', why: expect.stringContaining('larger than 16 MiB') }]);
  });

  it("the docs config's files still win over the URL", async () => {
    const url = `${base}/deny.yaml`;
    const r = await check([fence('bash', `kubectl apply -f ${url}`)], 'HTTP/1.1 200 OK', { 'netpol-docs.yaml': `apps: [demo]\nfiles:\n  ${url}: allow.yaml\n`, 'allow.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: other }\n' });
    expect(r.claims).toEqual([{ verdict: 'holds', why: expect.any(String) }]);
    expect(served).toEqual([]);
  });

  // tutorials/corpus/workshop-hackfest-otomi-netpols/labs/paas/otomi/4_netpols/README.md:10, as written: offline, so
  // that the test makes no request, and not cached.
  it("a real tutorial's URL, offline: not checkable, naming the URL", async () => {
    const line = 'kubectl apply -f https://raw.githubusercontent.com/redkubes/workshops/main/netpol/manifests/guestbook.yaml -n team-demo';
    const r = await check([fence('bash', line)], TIMED_OUT, {}, true);
    expect(r.claims).toEqual([{ verdict: 'not-checkable', why: expect.stringContaining('guestbook.yaml: not in the cache') }]);
  });
});

describe('kubectl apply -f DIR, several -f', () => {
  const files = { 'policies/deny.yaml': POLICY('backend-ingress-deny'), 'policies/notes.txt': 'not a manifest', 'policies/extra/ns.yml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: extra }\n' };

  it('a folder: its .json, .yaml and .yml files, subfolders only with -R (as kubectl walks it)', async () => {
    const flat = await extractTutorial(path.join(await fixture({ 'README.md': fence('bash', 'kubectl apply -f policies/'), ...files }), 'README.md'));
    expect(flat.suite.steps.flatMap((s) => s.actions.flatMap((a) => (a.kind === 'apply' ? a.objects.map((o) => o.metadata.name) : [])))).toEqual(['backend-ingress-deny']);
    const deep = await extractTutorial(path.join(await fixture({ 'README.md': fence('bash', 'kubectl apply -R -f policies'), ...files }), 'README.md'));
    expect(deep.suite.steps.flatMap((s) => s.actions.flatMap((a) => (a.kind === 'apply' ? a.objects.map((o) => o.metadata.name) : [])))).toEqual(['backend-ingress-deny', 'extra']);
  });

  it('-f a,b and -f a -f b apply both', async () => {
    for (const line of ['kubectl apply -f deny.yaml,ns.yaml', 'kubectl apply -f deny.yaml -f ns.yaml']) {
      const dir = await fixture({ 'README.md': fence('bash', line), 'deny.yaml': POLICY('backend-ingress-deny'), 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: extra }\n' });
      const { suite } = await extractTutorial(path.join(dir, 'README.md'));
      expect(suite.steps.flatMap((s) => s.actions.flatMap((a) => (a.kind === 'apply' ? a.objects.map((o) => o.metadata.name) : [])))).toEqual(['backend-ingress-deny', 'extra']);
    }
  });
});

describe('a file edited and applied again', () => {
  // tutorials/corpus/calico-threatfeed-block/calico-enterprise/threat/suspicious-ips.mdx:269-292: "Edit the
  // feodo-tracker.yaml to include ...", the changed YAML, then "Reapply the new YAML" with the same -f.
  it('applies the changed manifest as the edit, with a warning that says so', async () => {
    const allowAll = POLICY('backend-ingress', 'ingress: [{}], ');
    const r = await check(
      [
        fence('yaml', allowAll),
        fence('bash', 'kubectl apply -f backend-ingress.yaml'),
        'Edit the backend-ingress.yaml to deny all ingress:',
        fence('yaml', POLICY('backend-ingress')),
        'Reapply the new YAML.',
        fence('bash', 'kubectl apply -f backend-ingress.yaml'),
      ],
      TIMED_OUT,
    );
    expect(r.claims).toEqual([{ verdict: 'holds', why: expect.any(String) }]);
    expect(r.findings).toEqual([expect.objectContaining({ severity: 'warning', rule: 'applied-as-edit', message: expect.stringContaining('NetworkPolicy default/backend-ingress changed since line') })]);
  });

  it('the file in the tree is the one first applied; the changed manifest shown after it is the edit, not a difference', async () => {
    const r = await check(
      [fence('bash', 'kubectl apply -f backend-ingress.yaml'), 'Edit the backend-ingress.yaml to deny all ingress:', fence('yaml', POLICY('backend-ingress')), 'Reapply the new YAML.', fence('bash', 'kubectl apply -f backend-ingress.yaml')],
      TIMED_OUT,
      { 'backend-ingress.yaml': POLICY('backend-ingress', 'ingress: [{}], ') },
    );
    expect(r.claims).toEqual([{ verdict: 'holds', why: expect.any(String) }]);
    expect(r.findings.map((f) => [f.severity, f.rule])).toEqual([['warning', 'applied-as-edit']]);
  });
});

describe("Cilium's policy audit mode", () => {
  const DENY = { 'deny.yaml': POLICY('backend-ingress-deny') };
  const apply = fence('bash', 'kubectl apply -f deny.yaml');

  it('the cilium CLI sets it for every endpoint and restarts the agents: a denied flow gets through', async () => {
    const on = await check([apply, fence('bash', 'cilium config set policy-audit-mode true')], 'HTTP/1.1 200 OK', DENY);
    expect(on.claims).toEqual([{ verdict: 'holds', why: expect.any(String) }]);
    // What the enforcing cluster would show is now contradicted: nothing policy denies is dropped.
    const dropped = await check([apply, fence('bash', 'cilium config set policy-audit-mode true')], TIMED_OUT, DENY);
    expect(dropped.claims).toEqual([{ verdict: 'contradicted', why: expect.stringContaining('the probe observed ok') }]);
    const off = await check([apply, fence('bash', 'cilium config set policy-audit-mode true'), fence('bash', 'cilium config set policy-audit-mode false')], TIMED_OUT, DENY);
    expect(off.claims).toEqual([{ verdict: 'holds', why: expect.any(String) }]);
  });

  it('helm changes cilium-config only: not checkable until the agents restart, then followed', async () => {
    const helm = fence('bash', 'helm upgrade cilium cilium/cilium --namespace kube-system --reuse-values --set policyAuditMode=true');
    const pending = await check([apply, helm], 'HTTP/1.1 200 OK', DENY);
    expect(pending.claims).toEqual([{ verdict: 'not-checkable', why: expect.stringMatching(/policy audit mode .*the agents read it only when they start/) }]);
    const restarted = await check([apply, helm, fence('bash', 'kubectl -n kube-system rollout restart ds/cilium')], 'HTTP/1.1 200 OK', DENY);
    expect(restarted.claims).toEqual([{ verdict: 'holds', why: expect.any(String) }]);
    // Switched on and off again before any restart: the agents never ran with it.
    const undone = await check([apply, helm, fence('bash', 'helm upgrade cilium cilium/cilium --namespace kube-system --reuse-values --set policyAuditMode=false')], TIMED_OUT, DENY);
    expect(undone.claims).toEqual([{ verdict: 'holds', why: expect.any(String) }]);
  });

  it("a patch of cilium-config that sets only the mode waits for the agents' restart; a patch of other keys is not followed", async () => {
    const patch = (data: string) => fence('bash', `kubectl patch -n kube-system configmap cilium-config --type merge --patch '{"data":{${data}}}'`);
    const restart = fence('bash', 'kubectl -n kube-system rollout restart ds/cilium\nkubectl -n kube-system rollout status ds/cilium');
    const followed = await check([apply, patch('"policy-audit-mode":"true"'), restart], 'HTTP/1.1 200 OK', DENY);
    expect(followed.claims).toEqual([{ verdict: 'holds', why: expect.any(String) }]);
    expect(followed.findings).toEqual([]);
    const other = await check([apply, patch('"policy-audit-mode":"true","enable-policy":"never"'), restart], 'HTTP/1.1 200 OK', DENY);
    expect(other.claims).toEqual([{ verdict: 'not-checkable', why: expect.stringContaining('kubectl patch changes the cluster in a way the harness does not follow') }]);
  });

  // tutorials/corpus/cilium-host-firewall/Documentation/security/host-firewall.rst:75 and :160.
  it('one endpoint (cilium-dbg endpoint config ID): which pod it is, is not known, so claims are not checked until it is off', async () => {
    const on = 'kubectl -n $CILIUM_NAMESPACE exec $CILIUM_POD_NAME -- cilium-dbg endpoint config $HOST_EP_ID PolicyAuditMode=Enabled';
    const off = 'kubectl -n $CILIUM_NAMESPACE exec $CILIUM_POD_NAME -- cilium-dbg endpoint config $HOST_EP_ID PolicyAuditMode=Disabled';
    const r = await check([apply, fence('bash', on)], 'HTTP/1.1 200 OK', DENY);
    expect(r.claims).toEqual([{ verdict: 'not-checkable', why: expect.stringContaining('policy audit mode is on for one endpoint') }]);
    expect(r.findings.map((f) => [f.severity, f.rule])).toContainEqual(['warning', 'audit-mode']);
    const again = await check([apply, fence('bash', on), fence('bash', off)], TIMED_OUT, DENY);
    expect(again.claims).toEqual([{ verdict: 'holds', why: expect.any(String) }]);
  });
});

describe('objects the model does not simulate', () => {
  // tutorials/corpus/calico-quickstart/calico/getting-started/kubernetes/quickstart.mdx:306-316.
  const GLOBAL = `kubectl create -f - <<EOF
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: default-deny
spec:
  selector: projectcalico.org/namespace not in {'kube-system', 'calico-system', 'calico-apiserver'}
  types:
    - Ingress
    - Egress
EOF`;
  // A Calico NetworkPolicy: the kind name of Kubernetes' own, another API group.
  const CALICO = (namespace: string) => `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: allow-nothing
  namespace: ${namespace}
spec:
  selector: all()
  ingress:
    - action: Deny
`;

  it('a cluster-wide Calico policy: every claim after it is not checkable, with the reason; no finding that the text is wrong', async () => {
    const r = await check([fence('bash', GLOBAL)], 'HTTP/1.1 200 OK');
    expect(r.claims).toEqual([{ verdict: 'not-checkable', why: expect.stringContaining('GlobalNetworkPolicy default-deny (projectcalico.org/v3') }]);
    expect(r.findings.map((f) => [f.severity, f.rule])).toEqual([['warning', 'not-simulated']]);
  });

  it('a Calico NetworkPolicy is keyed on its apiVersion: not read as a Kubernetes one; only claims in its namespace are lost', async () => {
    const here = await check([fence('bash', `kubectl apply -f - <<EOF\n${CALICO('default')}EOF`)], 'HTTP/1.1 200 OK');
    expect(here.claims).toEqual([{ verdict: 'not-checkable', why: expect.stringContaining('NetworkPolicy allow-nothing (projectcalico.org/v3') }]);
    expect(here.findings.map((f) => f.rule)).toEqual(['not-simulated']);
    // tutorials/corpus/workshop-aks-hackfest-calico/labs/networking/calico-lab-exercise/modules/calicooss/
    // using-security-controls.md:107 (`calicoctl --allow-version-mismatch create -f ...`).
    const elsewhere = await check([fence('yaml', CALICO('other')), fence('bash', 'calicoctl --allow-version-mismatch create -f allow-nothing.yaml')], 'HTTP/1.1 200 OK');
    expect(elsewhere.claims).toEqual([{ verdict: 'holds', why: expect.any(String) }]);
    expect(elsewhere.findings.map((f) => f.rule)).toEqual(['not-simulated']);
  });

  it('an unknown CRD loses every later claim; a ConfigMap is inert; a shown block that never parses is a warning', async () => {
    const feed = 'apiVersion: projectcalico.org/v3\nkind: GlobalThreatFeed\nmetadata:\n  name: feodo-tracker\nspec:\n  content: IPSet\n';
    const crd = await check([fence('bash', `kubectl apply -f - <<EOF\n${feed}EOF`)], 'HTTP/1.1 200 OK');
    expect(crd.claims).toEqual([{ verdict: 'not-checkable', why: expect.stringContaining('whose effect on traffic is unknown') }]);
    const inert = await check([fence('bash', 'kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\nEOF'), fence('yaml', 'kind: Sketch\nspec: [unclosed')], 'HTTP/1.1 200 OK');
    expect(inert.claims).toEqual([{ verdict: 'holds', why: expect.any(String) }]);
    expect(inert.findings.map((f) => [f.severity, f.rule])).toEqual([['warning', 'bad-yaml']]);
  });
});
