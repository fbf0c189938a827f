// Verdicts people can trust: no claim found is no pass, what was skipped is said with its line, a claim belongs to a
// probe of its own section, and the report names the docs config it used.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDocs } from '../support/check-docs.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { runInProcess } from '../support/cli.ts';
import { fixture, REPO } from '../support/fixture.ts';

const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body}\n\`\`\``;
const BIND = "FRONTEND=$(kubectl get pods -l app=frontend -o jsonpath='{.items[0].metadata.name}')";

describe('verdicts', () => {
  it('a tutorial where no claim was found fails, says so, and passes only with --allow-no-claims', async () => {
    const dir = await fixture({ 'notes.md': `# Notes\n\n${fence('bash', 'kubectl get pods\nping -c 1 10.0.0.1')}\n` });
    const file = path.join(dir, 'notes.md');
    const failing = await runInProcess('docs', 'check', file);
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).toMatch(/no claim found: nothing in this tutorial was checked/);
    expect(failing.stdout).toMatch(/notes\.md:5: warning probe-not-read: ping -c 1 10\.0\.0\.1: ping runs on the reader's machine/);
    const allowed = await runInProcess('docs', 'check', '--allow-no-claims', file);
    expect(allowed.exitCode, allowed.stdout).toBe(0);
  });

  it('an output after a later heading or in a later chapter belongs to no probe before it', async () => {
    const dir = await fixture({
      'netpol-docs.yaml': 'apps: [demo]\n',
      'README.md': ['# Scoping', fence('bash', `${BIND}\nkubectl exec $FRONTEND -- curl -sI backend:8080`), '## Another section', 'This output is about something else:', fence('', 'HTTP/1.1 500 Internal Server Error')].join('\n\n'),
    });
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    const check = await checkDocs(extraction, suite);
    expect(check.claims).toEqual([]);
    expect(check.unclaimed.map((u) => u.line)).toEqual([5]);
  });

  it('names the docs config used and the files of both claim and probe; the config search stops at the repository root', async () => {
    const dir = await fixture({
      'netpol-docs.yaml': 'apps: [nonexistent-app-above-the-repository]\n',
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
      'repo/docs/page.md': ['# Page', fence('bash', `${BIND}\nkubectl exec $FRONTEND -- wget -qO- -T 2 http://backend:8080`), fence('', '{"status":"ok"}')].join('\n\n'),
    });
    const json = path.join(dir, 'out.json');
    // Above the repository's root lies a config that would fail (no such app): it must not be found.
    const run = await runInProcess('docs', 'check', '--json', json, path.join(dir, 'repo/docs/page.md'));
    expect(run.stdout).toMatch(/no docs config/);
    const report = JSON.parse(await readFile(json, 'utf8')) as { tutorials: { config: string | null }[]; claims: { file: string; commandFile: string; verdict: string }[] };
    expect(report.tutorials[0]!.config).toBeNull();
    expect(report.claims[0]).toMatchObject({ file: expect.stringMatching(/page\.md$/), commandFile: expect.stringMatching(/page\.md$/) });
  });

  it('a policy defined only in a file applied with -f counts as defined for the policy-name lint', async () => {
    const dir = await fixture({
      'netpol-docs.yaml': 'apps: [demo]\n',
      'deny.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: backend-deny-all\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n',
      'README.md': ['# Deny', fence('bash', 'kubectl apply -f deny.yaml'), 'The policy `backend-deny-all` isolates every pod; the `backend-deny-al` policy does not exist.'].join('\n\n'),
    });
    const { extraction } = await extractTutorial(path.join(dir, 'README.md'));
    expect(extraction.findings.filter((f) => f.rule === 'policy-name-undefined').map((f) => f.message)).toEqual(['the text names policy "backend-deny-al", which no manifest in the tutorial defines (did it mean "backend-deny-all"?)']);
  });

  // Sentences of real tutorials (tutorials/corpus): each named a word "policy" before, and none is a policy name.
  it('names as an undefined policy only a code span the sentence calls a policy', async () => {
    const real = [
      // cilium-kafka, Documentation/security/kafka.rst:216 (cilium/cilium 9f764f97): a pod, in prose.
      'As an example, a policy could limit containers with label *app=empire-outpost* to only be able to consume\ntopic *empire-announce*, but would block any attempt by a compromised container (e.g., empire-outpost-9999)\nfrom producing to *empire-announce* or consuming from *deathstar-plans*.',
      // calico-windows-demo, demo.mdx:10 (tigera/docs f2a27624): a compound word.
      'This guide provides a simple demo to illustrate basic pod-to-pod connectivity and the application of network policy.',
      // course-container-training-netpol, slides/k8s/netpol.md:424 (jpetazzo/container.training 56563629): a link label.
      '- a repository of [ready-to-use recipes](https://github.com/ahmetb/kubernetes-network-policy-recipes) for network policies',
      // The same words in code spans that are not called policies: a namespace and a pod.
      'The policy applies in namespace `tenant-a-prod` to pod `web-5d9c-x2`.',
    ];
    const dir = await fixture({
      'deny.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: backend-deny-all\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n',
      'README.md': ['# Deny', ...real, fence('bash', 'kubectl apply -f deny.yaml'), 'Now the `backend-deny-al` policy is in place, and NetworkPolicy `allow-from-nowhere` too.'].join('\n\n'),
    });
    const { extraction } = await extractTutorial(path.join(dir, 'README.md'));
    expect(extraction.findings.filter((f) => f.rule === 'policy-name-undefined').map((f) => f.message)).toEqual([
      'the text names policy "backend-deny-al", which no manifest in the tutorial defines (did it mean "backend-deny-all"?)',
      'the text names policy "allow-from-nowhere", which no manifest in the tutorial defines',
    ]);
  });

  it("a policy of another engine the text showed is defined: Calico's GlobalNetworkPolicy named in prose is no typo", async () => {
    // calico-quickstart, quickstart.mdx:310 and 358 (tigera/docs f2a27624): the policy shown, then named.
    const dir = await fixture({
      'README.md': [
        '# Deny',
        fence(
          'yaml',
          "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: default-deny\nspec:\n  selector: projectcalico.org/namespace not in {'kube-system', 'calico-system'}\n  types:\n  - Ingress\n  - Egress",
        ),
        'The `default-deny` policy blocks all ingress and egress traffic for pods not in system namespaces, including our `access` (BusyBox) and `nginx` pods in the `quickstart` namespace.',
        'The `default-dney` policy does not exist.',
      ].join('\n\n'),
    });
    const { extraction } = await extractTutorial(path.join(dir, 'README.md'));
    expect(extraction.findings.filter((f) => f.rule === 'policy-name-undefined').map((f) => f.message)).toEqual(['the text names policy "default-dney", which no manifest in the tutorial defines']);
  });

  it('a manifest shown as one part of the file applied is no difference; a part the file holds otherwise is', async () => {
    // course-container-training-netpol, slides/k8s/netpol.md:328-350 (jpetazzo/container.training 56563629): the
    // slide shows allow-webui, then "Both network policies are declared in the file" and applies the file of two.
    const corpus = path.join(REPO, 'tutorials/corpus/course-container-training-netpol');
    const file = await readFile(path.join(corpus, 'k8s/netpol-dockercoins.yaml'), 'utf8');
    const shown = file.split('---\n')[1]!;
    const page = (yaml: string) => ['# Dockercoins', fence('yaml', yaml), '- Both network policies are declared in the file netpol-dockercoins.yaml', fence('bash', 'kubectl apply -f netpol-dockercoins.yaml')].join('\n\n');
    const same = await fixture({ 'netpol-dockercoins.yaml': file, 'README.md': page(shown) });
    expect((await extractTutorial(path.join(same, 'README.md'))).extraction.findings.map((f) => f.rule)).not.toContain('inline-differs-from-file');
    const other = await fixture({ 'netpol-dockercoins.yaml': file, 'README.md': page(shown.replace('app: webui', 'app: webuii')) });
    expect((await extractTutorial(path.join(other, 'README.md'))).extraction.findings.filter((f) => f.rule === 'inline-differs-from-file').map((f) => f.message)).toEqual([
      expect.stringContaining('(NetworkPolicy allow-webui: spec.podSelector.matchLabels.app: "webuii" in the text, "webui" in the file)'),
    ]);
  });

  it('an image the catalog does not know: a body holds whatever it answers, its status is not checkable, and a port its Service lacks still times out', async () => {
    // tutorials/corpus/aws-eks-workshop-netpol (aws-samples/eks-workshop-v2 bb1b3000): setup.md:15-17, and the
    // base application's catalog and checkout (retail-store-sample images, which no catalog entry reads).
    const base = path.join(REPO, 'tutorials/corpus/aws-eks-workshop-netpol/manifests/base-application');
    const files: Record<string, string> = {};
    for (const app of ['catalog', 'checkout']) for (const f of ['namespace.yaml', 'deployment.yaml', 'service.yaml']) files[`${app}/${f}`] = await readFile(path.join(base, app, f), 'utf8');
    const dir = await fixture({
      ...files,
      'README.md': [
        '# Lab setup',
        fence('bash', 'kubectl apply -f catalog/namespace.yaml -f checkout/namespace.yaml\nkubectl apply -n catalog -f catalog/\nkubectl apply -n checkout -f checkout/'),
        fence('bash', '$ kubectl exec deployment/catalog -n catalog -- curl -s http://checkout.checkout/health\n{"status":"ok","info":{},"error":{},"details":{}}'),
        fence('bash', '$ kubectl exec deployment/catalog -n catalog -- curl -sI http://checkout.checkout/health\nHTTP/1.1 200 OK'),
        fence('bash', '$ kubectl exec deployment/catalog -n catalog -- curl -s http://checkout.checkout:8080/health\n{"status":"ok"}'),
      ].join('\n\n'),
    });
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    const claims = (await checkDocs(extraction, suite)).claims;
    expect(
      claims.map((c) => [c.verdict, c.observed]),
      JSON.stringify(claims.map((c) => c.why)),
    ).toEqual([
      ['holds', 'ok'],
      ['not-checkable', 'ok:200'],
      // The Service has no port 8080: that is the Service's, not the image's, and times out.
      ['contradicted', 'connect-timeout'],
    ]);
    expect(claims[1]!.why).toMatch(/retail-store-sample-checkout:1\.2\.1 is not in the image catalog/);
  });

  it('an unknown image with no declared port is taken to listen on the targetPort of the Service that leads to it', async () => {
    const app = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers:\n      - name: web\n        image: example.org/unknown-server:1',
      'apiVersion: v1\nkind: Pod\nmetadata: { name: client, labels: { app: client } }\nspec:\n  containers:\n  - { name: c, image: curlimages/curl, command: [sleep, infinity] }',
      'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  selector: { app: web }\n  ports: [{ port: 80, targetPort: 8080 }]',
    ].join('\n---\n');
    const dir = await fixture({ 'app.yaml': app, 'README.md': ['# Web', fence('bash', 'kubectl apply -f app.yaml\nkubectl exec client -- curl -s web'), fence('', 'hello')].join('\n\n') });
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    expect((await checkDocs(extraction, suite)).claims.map((c) => [c.verdict, c.why])).toEqual([['holds', expect.stringContaining('it is taken to listen on 8080/TCP, the targetPort of Service default/web')]]);
  });

  it('a pod IP bound with jq and curled without a port is port 80, as curl takes it', async () => {
    // tutorials/corpus/course-container-training-netpol/slides/k8s/netpol.md:132-233 (jpetazzo/container.training 56563629).
    const k8s = path.join(REPO, 'tutorials/corpus/course-container-training-netpol/k8s');
    const dir = await fixture({
      'deny.yaml': await readFile(path.join(k8s, 'netpol-deny-all-for-testweb.yaml'), 'utf8'),
      'allow.yaml': await readFile(path.join(k8s, 'netpol-allow-testcurl-for-testweb.yaml'), 'utf8'),
      'README.md': [
        '# Testing the network policy',
        fence('bash', 'kubectl create deployment testweb --image=nginx\nIP=$(kubectl get pods -l app=testweb -o json | jq -r .items[0].status.podIP)'),
        fence('bash', 'kubectl apply -f deny.yaml\nkubectl apply -f allow.yaml'),
        '- Try to connect to testweb from a pod with the `run=testcurl` label:',
        fence('bash', 'kubectl run testcurl --rm -i --image=centos -- curl -m3 $IP'),
        '- Try to connect to testweb with a different label:',
        fence('bash', 'kubectl run testkurl --rm -i --image=centos -- curl -m3 $IP'),
        'The first command will work (and show the "Welcome to nginx!" page).',
        'The second command will fail and time out after 3 seconds.',
      ].join('\n\n'),
    });
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    expect(extraction.probes.map((p) => p.cell?.to)).toEqual([expect.objectContaining({ host: { kind: 'pod-ip', pod: { namespace: 'default', name: 'testweb' } }, port: 80 }), expect.objectContaining({ port: 80 })]);
    expect((await checkDocs(extraction, suite)).claims.map((c) => c.verdict)).toEqual(['holds', 'holds']);
  });

  it("echo around a probe prints the text's own words: the output after it is still the probe's", async () => {
    // tutorials/corpus/workshop-aks-labs-acns/docs/networking/acns-lab.md:708-717 (Azure-Samples/aks-labs d1487a72).
    const dir = await fixture({
      'README.md': [
        '# L7',
        fence('bash', 'kubectl create deployment product-service --image=nginx\nkubectl expose deployment product-service --port=3002 --target-port=80\nkubectl create deployment store-front --image=busybox -- sleep 3600'),
        fence(
          'bash',
          `echo "Testing L7 HTTP POST to product-service (should be blocked)..."\nkubectl exec -it $(kubectl get po -l app=store-front -ojsonpath='{.items[0].metadata.name}') -- sh -c 'wget --timeout=2 --post-data="" http://product-service:3002/' || echo "Request blocked by L7 policy"`,
        ),
        '**Expected Result:**',
        fence('text', 'Connecting to product-service:3002 (10.0.96.101:3002)\nwget: server returned error: HTTP/1.1 403 Forbidden\nRequest blocked by L7 policy'),
      ].join('\n\n'),
    });
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    const claims = (await checkDocs(extraction, suite)).claims;
    expect(claims.map((c) => [c.line, c.claimed])).toEqual([[17, 'ok:403']]);
  });

  it('an output of `...` alone leaves the output out: it claims nothing', async () => {
    // tutorials/corpus/cilium-elasticsearch/Documentation/security/elasticsearch.rst:181-188 (cilium/cilium 9f764f97).
    const dir = await fixture({
      'netpol-docs.yaml': 'apps: [demo]\n',
      'README.md': ['# Again', fence('shell-session', `${BIND}\n$ kubectl exec $FRONTEND -- curl -sI backend:8080\n...\n$ kubectl exec $FRONTEND -- curl -sI backend:8080\nHTTP/1.1 200 OK`)].join('\n\n'),
    });
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    expect((await checkDocs(extraction, suite)).claims.map((c) => [c.line, c.verdict])).toEqual([[8, 'holds']]);
  });

  it('a NodePort Service is a Service: pods reach it at its cluster IP, and it is no error of the text', async () => {
    // The stars demo's management UI, as Tigera's docs apply it (tutorials/corpus/calico-stars-demo, tigera/docs f2a27624).
    const ui = await readFile(path.join(REPO, 'tutorials/corpus/calico-stars-demo/files/01-management-ui.yaml'), 'utf8');
    const dir = await fixture({
      'ui.yaml': ui.replace(/image: calico\/star-collect:\S+/, 'image: nginx').replaceAll('9001', '80'),
      'README.md': ['# UI', fence('bash', 'kubectl apply -f ui.yaml\nkubectl run probe --rm -i --restart=Never --image=curlimages/curl -- curl -sI management-ui.management-ui'), fence('', 'HTTP/1.1 200 OK')].join('\n\n'),
    });
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    expect(extraction.findings.filter((f) => f.severity !== 'warning')).toEqual([]);
    expect((await checkDocs(extraction, suite)).claims.map((c) => c.verdict)).toEqual(['holds']);
  });

  // The deathstar answers PUT /v1/exhaust-port with 503 and its panic as the body (cilium/starwars-docker v2.3,
  // restapi/configure_deathstar.go): plain curl prints that body as it prints "Ship landed".
  it("a body plain curl prints is an answer of any status: a server's 503 is not contradicted", async () => {
    const dir = await fixture({
      'README.md': [
        '# Exhaust port',
        fence(
          'bash',
          'kubectl create deployment deathstar --image=docker.io/cilium/starwars:v2.3\nkubectl expose deployment deathstar --port=80\nkubectl run ship --image=curlimages/curl --command -- sleep infinity\nkubectl exec ship -- curl -s -XPUT deathstar/v1/exhaust-port',
        ),
        fence('', 'Panic: deathstar exploded\n\ngoroutine 1 [running]:\nmain.HandleGarbage(0x2080c3f50, 0x2, 0x4, 0x425c0, 0x5, 0xa)'),
        fence('bash', 'kubectl exec ship -- curl -s -XPOST deathstar/v1/request-landing'),
        fence('', 'Ship landed'),
      ].join('\n\n'),
    });
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    expect((await checkDocs(extraction, suite)).claims.map((c) => [c.verdict, c.observed])).toEqual([
      ['holds', 'ok:503'],
      ['holds', 'ok:200'],
    ]);
  });

  it('a throwaway pod started again after --rm deleted it undoes nothing the text did', async () => {
    const once = 'kubectl run t --rm -i --restart=Never --image=busybox -- wget -qO- -T 2 http://web';
    const dir = await fixture({
      'README.md': ['# Twice', fence('sh', `kubectl create deployment web --image=nginx\nkubectl expose deployment web --port=80\n${once}`), fence('', '<html>'), fence('sh', once), fence('', '<html>')].join('\n\n'),
    });
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    expect(extraction.findings).toEqual([]);
    expect((await checkDocs(extraction, suite)).claims.map((c) => c.verdict)).toEqual(['holds', 'holds']);
  });

  it("curl's -H headers go with the probe, so that an L7 header rule judges them", async () => {
    const policy =
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: token }\nspec:\n  endpointSelector: { matchLabels: { app: backend } }\n  ingress:\n  - toPorts: [{ ports: [{ port: "8080" }], rules: { http: [{ headers: ["X-Token: abc"] }] } }]';
    const dir = await fixture({
      'netpol-docs.yaml': 'apps: [demo]\n',
      'README.md': [
        '# Tokens',
        fence('yaml', policy),
        fence('sh', `kubectl apply -f token.yaml\n${BIND}\nkubectl exec $FRONTEND -- curl -s -o /dev/null -w '%{http_code}' -H 'X-Token: abc' backend:8080`),
        fence('', '200'),
        fence('sh', 'kubectl exec $FRONTEND -- curl -s backend:8080'),
        fence('', 'Access denied'),
      ].join('\n\n'),
    });
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    const check = await checkDocs(extraction, suite);
    expect(check.claims.map((c) => [c.claimed, c.observed, c.verdict])).toEqual([
      ['ok:200', 'ok:200', 'holds'],
      ['ok:403', 'ok:403', 'holds'],
    ]);
  });

  it('a command other than kubectl that changes the cluster is a warning, or follows the docs config', async () => {
    const body = ['# Setup', fence('bash', 'cilium connectivity test\nkubectl delete namespace cilium-test')].join('\n\n');
    const bare = await fixture({ 'README.md': body });
    const { extraction: x1 } = await extractTutorial(path.join(bare, 'README.md'));
    expect(x1.findings.map((f) => [f.rule, f.line])).toEqual([
      ['not-modelled', 4],
      ['delete-never-created', 5],
    ]);
    const configured = await fixture({ 'README.md': body, 'netpol-docs.yaml': 'commands:\n  - match: cilium connectivity test\n    creates: [namespace/cilium-test]\n' });
    const { extraction: x2 } = await extractTutorial(path.join(configured, 'README.md'));
    expect(x2.findings).toEqual([]);
    expect(x2.steps.flatMap((s) => s.actions.map((a) => a.action.kind))).toEqual(['apply', 'delete']);
  });
});
