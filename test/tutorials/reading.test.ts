// Tutorials written for these tests as real files: a Hugo content tree, and READMEs with mistakes in them.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDocs } from '../support/check-docs.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { InputError } from '../../src/input/input-error.ts';
import { fixture, REPO } from '../support/fixture.ts';

const POLICY = (name: string, app = 'backend') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
spec:
  podSelector:
    matchLabels:
      app: ${app}
  policyTypes: [Ingress]
`;
const CONFIG = `apps: [demo]\n`;
const BIND = "FRONTEND=$(kubectl get pods -l app=frontend -o jsonpath='{.items[0].metadata.name}')";
const PROBE = 'kubectl exec -ti $FRONTEND -- curl -I --connect-timeout 5 backend:8080 | head -1';
const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body}\n\`\`\``;

describe('a Hugo content tree', () => {
  it('reads chapters by weight then path, with params from the site config and readfile from the site root', async () => {
    const site = await fixture({
      'hugo.toml': `[params]\nlab = "Lab"\n`,
      'netpol-docs.yaml': CONFIG,
      'content/en/docs/_index.md': '---\ntitle: docs\nweight: 1\n---\n',
      // Chapter 2 comes first in the file system, second on the site.
      'content/en/docs/a-deny/index.md': `---\ntitle: "Deny"\nweight: 20\n---\n\n## {{% param lab %}} deny\n\n{{< highlight yaml >}}{{< readfile file="content/en/docs/a-deny/deny.yaml" >}}{{< /highlight >}}\n\n${fence('bash', 'kubectl apply -f deny.yaml')}\n\n${fence('bash', PROBE)}\n\n${fence('', 'curl: (28) Connection timed out after 5001 milliseconds\ncommand terminated with exit code 28')}\n`,
      'content/en/docs/a-deny/deny.yaml': POLICY('backend-ingress-deny'),
      'content/en/docs/b-start/index.md': `---\ntitle: "Start"\nweight: 10\n---\n\n${fence('bash', BIND)}\n\n${fence('bash', PROBE)}\n\n${fence('', 'HTTP/1.1 200 OK')}\n\n{{< figure src="x.png" >}}\n`,
    });
    const docs = path.join(site, 'content');
    const { extraction, suite } = await extractTutorial(docs);
    expect(extraction.tutorial.chapters.map((c) => c.title)).toEqual(['docs', 'Start', 'Deny']);
    expect(extraction.steps.map((s) => s.name)).toEqual(['Start: before any change', 'Lab deny: kubectl apply -f deny.yaml']);
    expect(suite.steps[1]!.actions[0]).toMatchObject({ kind: 'apply', objects: [{ metadata: { name: 'backend-ingress-deny' } }] });
    expect(extraction.findings).toEqual([expect.objectContaining({ severity: 'warning', rule: 'shortcode-ignored', message: expect.stringContaining('"figure"') })]);
    const check = await checkDocs(extraction, suite);
    expect(check.claims.map((c) => [path.basename(path.dirname(c.file)), c.line, c.verdict])).toEqual(
      [
        ['b-start', 15],
        ['a-deny', 19],
      ].map(([d, l]) => [d, l, 'holds']),
    );
    expect(check.pass).toBe(true);
  });
});

describe('chapter weights as Hugo reads them', () => {
  const chapter = (title: string, weight: string) => `---\ntitle: ${title}\n${weight}---\n\n${fence('bash', BIND)}\n`;
  const titles = async (files: Record<string, string>) => (await extractTutorial(path.join(await fixture(files), 'content'))).extraction.tutorial.chapters.map((c) => c.title);

  it('a weight of 0 is unset, after the weighted chapters (DefaultPageSort)', async () => {
    expect(await titles({ 'content/a.md': chapter('zero', 'weight: 0\n'), 'content/b.md': chapter('two', 'weight: 2\n'), 'content/c.md': chapter('one', 'weight: 1\n') })).toEqual(['one', 'two', 'zero']);
  });

  it('a weight of .nan or 1.5 is refused at its file and line, not left to scramble the order', async () => {
    for (const weight of ['.nan', '1.5', '.inf']) {
      const dir = await fixture({ 'content/a.md': chapter('a', 'weight: 1\n'), 'content/b.md': chapter('b', `draft: false\nweight: ${weight}\n`), 'content/c.md': chapter('c', 'weight: 3\n') });
      const e = await extractTutorial(path.join(dir, 'content')).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).message).toBe(
        `${path.join(dir, 'content/b.md')}:4: weight: weight ${{ '.nan': 'NaN', '1.5': '1.5', '.inf': 'Infinity' }[weight]} is not an integer: Hugo orders pages by integer weights (0 or none: after the weighted ones)`,
      );
    }
  });
});

describe('a README with mistakes', () => {
  const readme = (body: string) => fixture({ 'README.md': body, 'netpol-docs.yaml': CONFIG, 'policies/deny.yaml': POLICY('backend-ingress-deny') });

  it('reports a contradicted claim with what the probe observed and why the model predicts it', async () => {
    const dir = await readme([fence('bash', BIND), fence('bash', `kubectl apply -f policies/deny.yaml\n${PROBE}\nHTTP/1.1 200 OK`)].join('\n\n'));
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    const [claim] = (await checkDocs(extraction, suite)).claims;
    expect(claim).toMatchObject({ line: 8, verdict: 'contradicted', claimed: 'ok:200', observed: 'connect-timeout', predicted: 'connect-timeout' });
    expect(claim!.why).toBe('the text shows HTTP 200, the probe observed connect-timeout');
    expect(claim!.explanation!.join('\n')).toMatch(/backend-ingress-deny/);
  });

  it('reports unparseable YAML and an unclosed fence with file:line, and checks the rest', async () => {
    const dir = await readme([fence('yaml', 'kind: NetworkPolicy\nmetadata: [unclosed'), fence('bash', BIND), fence('bash', `${PROBE}\nHTTP/1.1 200 OK`), '```bash\nkubectl apply -f policies/deny.yaml'].join('\n\n'));
    const file = path.join(dir, 'README.md');
    const { extraction, suite } = await extractTutorial(file);
    expect(extraction.findings.map((f) => [f.severity, f.rule, f.line])).toEqual([
      ['error', 'unclosed-fence', 15],
      ['warning', 'bad-yaml', 3],
    ]);
    const check = await checkDocs(extraction, suite);
    expect(check.claims.map((c) => [c.line, c.verdict])).toEqual([[12, 'holds']]);
    expect(check.pass).toBe(false);
  });

  it('finds an inline policy that differs from the file applied, a delete of a name never created, a probe from an unknown pod', async () => {
    const dir = await readme(
      [
        'The policy ([deny.yaml](https://example.com/deny.yaml)):',
        fence('yaml', POLICY('backend-ingress-deny', 'frontend')),
        fence('bash', `kubectl apply -f policies/deny.yaml\nkubectl delete netpol backend-ingres-deny\n${BIND}`),
        fence('bash', `${PROBE}\nkubectl exec -ti $NOBODY -- curl -I backend:8080`),
        fence('', '# Frontend\ncurl: (28) Connection timed out after 5001 milliseconds\n# Nobody\nHTTP/1.1 200 OK'),
      ].join('\n\n'),
    );
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    expect(extraction.findings.map((f) => [f.rule, f.line])).toEqual([
      ['inline-differs-from-file', 17],
      ['delete-never-created', 18],
    ]);
    expect(extraction.findings[0]!.message).toMatch(/differs from the manifest shown at .*README.md:4 \(NetworkPolicy backend-ingress-deny: spec\.podSelector\.matchLabels\.app: "frontend" in the text, "backend" in the file\)/);
    expect(extraction.findings[1]!.message).toMatch(/no earlier step creates NetworkPolicy default\/backend-ingres-deny \(created so far: .*backend-ingress-deny/);
    const check = await checkDocs(extraction, suite);
    expect(check.claims.map((c) => [c.line, c.verdict, c.why])).toEqual([
      [29, 'holds', 'curl: (28) Connection timed out after 5001 milliseconds'],
      [31, 'not-checkable', '$NOBODY is never set before this line'],
    ]);
  });

  it("reads a CiliumNetworkPolicy whose rules are a list (specs), as Cilium's own examples write it", async () => {
    // tutorials/corpus/cilium-istio/examples/kubernetes-istio/l4-policy.yaml (cilium/cilium 9f764f97): no spec, only specs.
    const l4 = await readFile(path.join(REPO, 'tutorials/corpus/cilium-istio/examples/kubernetes-istio/l4-policy.yaml'), 'utf8');
    const dir = await fixture({ 'l4-policy.yaml': l4, 'README.md': fence('bash', 'kubectl create namespace blue\nkubectl -n blue apply -f l4-policy.yaml') });
    const { extraction, suite } = await extractTutorial(path.join(dir, 'README.md'));
    expect(extraction.findings).toEqual([]);
    const applied = suite.steps.flatMap((s) => s.actions.flatMap((a) => (a.kind === 'apply' ? a.objects : [])));
    expect(applied.map((o) => [o.kind, o.metadata.namespace, o.metadata.name])).toContainEqual(['CiliumNetworkPolicy', 'blue', 'default']);
  });

  it('reads rendered text line by line: commands, their outputs, and an inline manifest', async () => {
    const dir = await fixture({
      'page.txt': [BIND, '', 'The policy:', '', '---', POLICY('backend-ingress-deny').trim(), '', 'kubectl apply -f backend-ingress-deny.yaml', '', PROBE, 'curl: (28) Connection timed out after 5001 milliseconds'].join('\n'),
      'page.netpol-docs.yaml': CONFIG,
    });
    const { extraction, suite } = await extractTutorial(path.join(dir, 'page.txt'));
    expect(extraction.tutorial.chapters[0]!.mode).toBe('text');
    const check = await checkDocs(extraction, suite);
    expect(check.claims.map((c) => [c.line, c.claimed, c.verdict])).toEqual([[19, 'connect-timeout', 'holds']]);
  });
});
