// Tutorials written in the styles people write them (test/fixtures/tutorials), each output captured from the real
// client in the client lab: every claim is found, every one holds on the model, and no false finding appears. A
// claim edited to say the opposite is contradicted, so the counts below cannot hold by accident.
import { mkdtemp, readFile, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDocs } from '../support/check-docs.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';

const FIXTURES = path.resolve('test/fixtures/tutorials');

async function check(target: string) {
  const { extraction, suite } = await extractTutorial(target);
  return { extraction, check: await checkDocs(extraction, suite) };
}

/** The fixture copied to a temporary folder with one line replaced. */
async function edited(fixture: string, file: string, from: string, to: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'netpol-e2e-fixture-'));
  await cp(path.join(FIXTURES, fixture), dir, { recursive: true });
  const target = path.join(dir, file);
  const text = await readFile(target, 'utf8');
  expect(text).toContain(from);
  await writeFile(target, text.replace(from, to));
  return target;
}

const STYLES: { style: string; target: string; claims: number; warnings: string[] }[] = [
  // Prose claims too: "A one-shot check works too:" (walkthrough.md:99), "A name nobody serves fails at the lookup:"
  // and "the echo is now dropped:" (ping.md), "The pirates' raider hangs until curl gives up::" (http-policy.rst).
  { style: 'busybox sessions (Kubernetes task page)', target: 'busybox-session/walkthrough.md', claims: 6, warnings: [] },
  { style: 'curl flag forms, GNU wget, netcat, agnhost (recipe collection)', target: 'client-forms/recipes.md', claims: 12, warnings: [] },
  { style: 'kubectl generators, here-documents, exec -it sessions, namespace labels (blog post)', target: 'blog-post/namespaces.md', claims: 5, warnings: [] },
  { style: 'a web page saved as text (sessions at a prompt, test-$RANDOM pods)', target: 'saved-page/five-minutes.txt', claims: 3, warnings: [] },
  { style: 'ping checks with busybox ping (an ICMP policy page)', target: 'icmp-policy/ping.md', claims: 7, warnings: [] },
  { style: 'reStructuredText (Cilium docs)', target: 'rst-docs/http-policy.rst', claims: 7, warnings: [] },
  // The for loop over two pods is unrolled: one probe per pod, one status line each.
  // Hubble's compact lines in the printer's words: `policy-verdict:none INGRESS AUDITED`, then `Policy denied DROPPED`.
  { style: "Cilium's policy audit mode (cilium config set, Hubble AUDITED lines, then enforcing)", target: 'audit-mode/audit.md', claims: 5, warnings: [] },
  { style: 'Hugo site (config/_default, site-root readfile, codenew, k8s.io example URL, a for loop)', target: 'hugo-site/content/en/docs', claims: 4, warnings: [] },
];

describe('tutorials in the styles people write', () => {
  for (const { style, target, claims, warnings } of STYLES) {
    it(`${style}: every claim found and holding, no false finding`, async () => {
      const { check: c } = await check(path.join(FIXTURES, target));
      expect(c.claims.filter((x) => x.verdict !== 'holds').map((x) => [x.line, x.verdict, x.why])).toEqual([]);
      expect(c.claims).toHaveLength(claims);
      expect(c.findings.filter((f) => f.severity !== 'warning')).toEqual([]);
      expect([...new Set(c.findings.map((f) => f.rule))].sort()).toEqual(warnings);
      expect(c.pass).toBe(true);
    });
  }

  it('busybox: a session claim that says the opposite is contradicted, in busybox wget words', async () => {
    const target = await edited('busybox-session', 'walkthrough.md', '/ # wget -qO- --timeout=2 http://web\nwget: download timed out', '/ # wget -qO- --timeout=2 http://web\nremote file exists');
    const { check: c } = await check(target);
    // The edited claim is now read as ok (busybox spider wording) where the policy drops the pod.
    const contradicted = c.claims.filter((x) => x.verdict === 'contradicted');
    expect(contradicted.map((x) => x.line)).toEqual([76]);
    expect(contradicted[0]!.why).toMatch(/observed connect-timeout; busybox-wget would print "wget: download timed out"/);
  });

  it('ping: a reply claimed where the policy drops the echo is contradicted, in busybox ping words', async () => {
    const target = await edited(
      'icmp-policy',
      'ping.md',
      '$NOT_FRONTEND -- ping -c 1 -W 2 $BACKEND_IP\nPING 10.244.1.23 (10.244.1.23): 56 data bytes\n\n--- 10.244.1.23 ping statistics ---\n1 packets transmitted, 0 packets received, 100% packet loss\ncommand terminated with exit code 1',
      '$NOT_FRONTEND -- ping -c 1 -W 2 $BACKEND_IP\nPING 10.244.1.23 (10.244.1.23): 56 data bytes\n64 bytes from 10.244.1.23: seq=0 ttl=63 time=0.190 ms\n\n--- 10.244.1.23 ping statistics ---\n1 packets transmitted, 1 packets received, 0% packet loss',
    );
    const { check: c } = await check(target);
    const contradicted = c.claims.filter((x) => x.verdict === 'contradicted');
    expect(contradicted.map((x) => x.line)).toEqual([107]);
    expect(contradicted[0]!.why).toMatch(/observed connect-timeout; busybox-ping would print "1 packets transmitted, 0 packets received, 100% packet loss"/);
  });

  it('busybox: without the label the one-shot probe is dropped', async () => {
    const target = await edited('busybox-session', 'walkthrough.md', '--labels=allowed=yes -- wget', '--labels=allowed=no -- wget');
    const { check: c } = await check(target);
    // The output (106) and the sentence before the probe, "A one-shot check works too:" (99).
    expect(c.claims.filter((x) => x.verdict === 'contradicted').map((x) => [x.line, x.observed])).toEqual([
      [99, 'connect-timeout'],
      [106, 'connect-timeout'],
    ]);
  });

  it('recipes: a POST shown as answered 200 is contradicted by the GET-only rule', async () => {
    const target = await edited('client-forms', 'recipes.md', 'curl: (22) The requested URL returned error: 403', 'curl: (22) The requested URL returned error: 500');
    const { check: c } = await check(target);
    expect(c.claims.filter((x) => x.verdict === 'contradicted').map((x) => [x.claimed, x.observed])).toEqual([['ok:500', 'ok:403']]);
  });

  it('rst: steps are named by section titles, and a substitution the config lacks is said', async () => {
    const { extraction } = await extractTutorial(path.join(FIXTURES, 'rst-docs/http-policy.rst'));
    expect(extraction.steps.map((s) => s.name.split(':')[0])).toEqual(['Deploy the demo', 'Apply an L3/L4 policy', 'Apply an L7 policy', 'Clean up']);
    const target = await edited('rst-docs', 'netpol-docs.yaml', 'SCM_WEB:', 'SCM_WEB_OLD:');
    const { extraction: x } = await extractTutorial(path.join(path.dirname(target), 'http-policy.rst'));
    expect(x.findings.filter((f) => f.rule === 'substitution-unknown').map((f) => f.line)).toEqual([16, 38, 64, 78]);
  });

  it('Hugo: the policy from codenew is what the k8s.io URL applies; a readfile of a script is not read as a manifest', async () => {
    const { extraction, check: c } = await check(path.join(FIXTURES, 'hugo-site/content/en/docs'));
    expect(extraction.tutorial.chapters.map((ch) => path.basename(ch.file))).toEqual(['_index.md', '01-apps.md', '02-ingress.md', '03-recap.md']);
    expect(c.claims.find((x) => x.line === 22)).toMatchObject({ verdict: 'holds', claimed: 'connect-timeout' });
    // The recap names a policy defined in an earlier chapter: no policy-name lint.
    expect(extraction.findings).toEqual([]);
    // The namespace comes from config/_default/config.toml's params.
    expect(extraction.prose.some((p) => p.text.includes('the `shop` namespace'))).toBe(true);
  });

  it('blog post: without the namespace label the prod probe is dropped; a scaled-down deployment answers nothing', async () => {
    const unlabelled = await edited('blog-post', 'namespaces.md', 'kubectl label namespace/prod env=prod\n', '');
    expect((await check(unlabelled)).check.claims.filter((x) => x.verdict === 'contradicted').map((x) => [x.line, x.observed])).toEqual([
      [69, 'connect-timeout'],
      [81, 'connect-timeout'],
    ]);
    const scaled = await edited('blog-post', 'namespaces.md', '-- wget -qO- -T 2 http://api-2\n', '-- wget -qO- -T 2 http://api\n');
    expect((await check(scaled)).check.claims.filter((x) => x.verdict === 'contradicted').map((x) => x.line)).toEqual([82]);
  });

  it('saved page: without the policy applied, the timeout it shows is contradicted', async () => {
    const target = await edited('saved-page', 'five-minutes.txt', 'kubectl apply -f web-deny-all.yaml', 'kubectl get pods');
    const { check: c } = await check(target);
    expect(c.claims.map((x) => [x.line, x.verdict, x.observed])).toEqual([
      [17, 'holds', 'ok:200'],
      [44, 'contradicted', 'ok:200'],
      [51, 'contradicted', 'ok:200'],
    ]);
  });

  it('recipes: a body curl --fail shows where the proxy answers 403 is contradicted (with --fail, a body is an answer below 400)', async () => {
    const target = await edited('client-forms', 'recipes.md', 'curl -s --data \'{"a":1}\' http://backend:8080/\nAccess denied', 'curl -sf --data \'{"a":1}\' http://backend:8080/\n{"status":"created"}');
    const { check: c } = await check(target);
    expect(c.claims.filter((x) => x.verdict === 'contradicted').map((x) => [x.claimed, x.observed])).toEqual([['ok:<400', 'ok:403']]);
  });

  it('audit mode: left off, the answer and the forwarded SYN shown are contradicted', async () => {
    const target = await edited('audit-mode', 'audit.md', 'cilium config set policy-audit-mode true', 'cilium config set policy-audit-mode false');
    const { check: c } = await check(target);
    // The AUDITED line itself claims nothing the enforcing model could judge; the to-endpoint FORWARDED beside it does.
    expect(c.claims.filter((x) => x.verdict !== 'holds').map((x) => [x.line, x.verdict])).toEqual([
      [41, 'contradicted'],
      [50, 'contradicted'],
    ]);
  });

  it('recipes: responses separated by blank lines belong to the probes in order', async () => {
    const { check: c } = await check(path.join(FIXTURES, 'client-forms/recipes.md'));
    expect(c.claims.slice(0, 3).map((x) => [x.commandLine, x.line, x.claimed])).toEqual([
      [16, 19, 'ok:200'],
      [17, 22, 'ok:200'],
      [18, 24, 'ok:201'],
    ]);
  });
});
