// `netpol-e2e docs` as a user runs it: the command line in-process (the binary where its process is what is tested),
// the seed tutorials, real files written and read back.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, runInProcess } from '../support/cli.ts';
import { fixture } from '../support/fixture.ts';

const SEED_004 = 'tutorials/seeds/004_12ab6aaadef4ac20.txt';

describe('netpol-e2e docs extract', () => {
  it('writes a suite that `run` loads and passes on the model, every claim citing its line', async () => {
    const dir = await fixture({});
    const out = path.join(dir, 'tutorial.suite.yaml');
    const extracted = await runInProcess('docs', 'extract', SEED_004, '-o', out);
    expect(extracted.exitCode, extracted.stderr).toBe(0);
    // 14 outputs and 2 sentences (seeds.test.ts lists them).
    expect(extracted.stdout).toContain(`${SEED_004}: 16 claim(s) (markdown)`);
    expect(extracted.stdout).toContain('16 claim(s) in 14 probe(s), 11 step(s); 2 finding(s)');
    const yaml = await readFile(out, 'utf8');
    expect(yaml).toMatch(/^name: NetworkPolicy Tutorial\n/);
    // The step that creates, labels and fills the monitoring namespace runs in that order: two suite steps.
    expect(yaml).toContain('(part 2 of 2)');
    expect(yaml.match(/claim: tutorials\/seeds\/004_12ab6aaadef4ac20\.txt:\d+\n/g)).toHaveLength(14 + 12);
    const run = await runInProcess('run', out);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('1/1 suites pass');
    expect(run.stdout).toContain('14 tutorial claims checked on backend model');
  });

  it('prints the suite on stdout and the listing on stderr without -o (the binary: its own streams)', async () => {
    const r = await cli('docs', 'extract', 'tutorials/seeds/002_76b179241617974a.txt');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^name: /);
    expect(r.stderr).toContain('4 claim(s) (rendered text, read line by line)');
  });
});

describe('netpol-e2e docs check', () => {
  it('exits 0 when every claim holds, and writes the claims JSON and a markdown step summary', async () => {
    const dir = await fixture({});
    const json = path.join(dir, 'claims.json');
    const summary = path.join(dir, 'summary.md');
    const html = path.join(dir, 'claims.html');
    const r = await runInProcess('docs', 'check', 'tutorials/seeds/000_89d52f9fa1fc5b7b.txt', 'tutorials/seeds/003_87bba962e4e6e360.txt', '--json', json, '--summary', summary, '--html', html);
    expect((await readFile(html, 'utf8')).match(/<section class="suite"/g)).toHaveLength(2);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    // The closing line counts both tutorials' claims together (4 and 9).
    expect(r.stdout).toContain('PASS: 2/2 tutorial(s) pass; 13 claims: 13 hold, 0 contradicted, 0 not checkable;');
    const body = JSON.parse(await readFile(json, 'utf8'));
    expect(body).toMatchObject({ format: 'netpol-e2e/docs-check/v1', pass: true, environment: { backend: 'model', netpolE2e: { version: expect.any(String) } } });
    // 003's "both applications can connect" is a claim of two probes.
    expect(body.claims).toHaveLength(13);
    expect(body.claims[3]).toEqual({
      file: 'tutorials/seeds/000_89d52f9fa1fc5b7b.txt',
      line: 79,
      command: 'kubectl exec -ti ${BACKEND} -- curl -Ik --connect-timeout 5 https://cilium.io | head -1',
      commandFile: 'tutorials/seeds/000_89d52f9fa1fc5b7b.txt',
      commandLine: 72,
      output: 'curl: (28) Connection timed out after 5001 milliseconds\ncommand terminated with exit code 28',
      claimed: 'connect-timeout',
      observed: 'connect-timeout',
      predicted: 'connect-timeout',
      verdict: 'holds',
      why: 'curl: (28) Connection timed out after 5001 milliseconds',
    });
    const markdown = await readFile(summary, 'utf8');
    // The place as markdown text, escaped (test/report/hostile.test.ts): no code span a name could break out of.
    expect(markdown).toContain('| ✅ holds | tutorials/seeds/000\\_89d52f9fa1fc5b7b.txt:79 |');
    expect(markdown).toContain('### ✅ tutorials/seeds/003\\_87bba962e4e6e360.txt (model)');
  });

  it('exits 1 on lint findings, naming each with file:line', async () => {
    const r = await runInProcess('docs', 'check', SEED_004);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`${SEED_004}:477: lint step-undoes-step:`);
    expect(r.stdout).toContain(`${SEED_004}:434: lint policy-name-undefined:`);
    expect(r.stdout).toContain('16 claims: 16 hold, 0 contradicted, 0 not checkable; 2 lint finding(s)');
  });

  it('applies one --config to every tutorial it is given', async () => {
    const tutorial = (n: number) => [`# Part ${n}`, '```bash\nkubectl exec deploy/frontend -- curl -sI backend:8080\n```', '```\nHTTP/1.1 200 OK\n```', ''].join('\n\n');
    const dir = await fixture({ 'a/README.md': tutorial(1), 'b/README.md': tutorial(2), 'ci/shared.yaml': 'apps: [demo]\n' });
    const [a, b] = [path.join(dir, 'a/README.md'), path.join(dir, 'b/README.md')];
    const r = await runInProcess('docs', 'check', '--config', path.join(dir, 'ci/shared.yaml'), a, b);
    expect(r.exitCode, r.stderr).toBe(0);
    // Without the config the demo app is not there, and neither claim can be judged.
    expect(r.stdout.match(/^ {2}PASS: 1 claims: 1 hold, 0 contradicted/gm)).toHaveLength(2);
    for (const t of [a, b]) expect(r.stdout).toContain(`${t} (backend model; docs config ${path.join(dir, 'ci/shared.yaml')})`);
  });

  it('exits 2 on bad input: a missing tutorial (the binary: its exit code), a docs config with an unknown field or a setup path not there', async () => {
    const missing = await cli('docs', 'check', 'no/such/tutorial.md');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('no/such/tutorial.md: no such file or folder');
    const dir = await fixture({ 'README.md': '# x\n', 'netpol-docs.yaml': 'apps: [demo]\nfile: {}\n' });
    const bad = await runInProcess('docs', 'check', path.join(dir, 'README.md'));
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(`${path.join(dir, 'netpol-docs.yaml')}:2: file: unknown field "file"`);
    // A setup path (what a workshop's prepare step deployed) that is not beside the config.
    const setup = await fixture({ 'README.md': '# x\n', 'netpol-docs.yaml': 'setup:\n  - manifests/base-application\n' });
    const wrong = await runInProcess('docs', 'check', path.join(setup, 'README.md'));
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain(`${path.join(setup, 'netpol-docs.yaml')}:2: setup[0]: manifests/base-application: no such file or folder beside netpol-docs.yaml`);
  });
});
