// netpol-e2e compare on results files made by real runs: of the model, and of the kube backend against the API
// server stand-in (its agents report Cilium 1.20.2, its API server Kubernetes v1.36.1). A regression across versions
// is simulated by changing cells of a copy, as another Cilium would observe them.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/results/compare.ts';
import type { ResultsFile } from '../../src/results/results-file.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { cli, runInProcess } from '../support/cli.ts';
import { fixture, REPO } from '../support/fixture.ts';
import { ModelApiServer } from '../support/model-apiserver.ts';
import { runOnStandIn } from '../support/stand-in-run.ts';

const SUITE = path.join(REPO, 'suites/cilium-dns-aware.suite.yaml');
let dir: string;
let model: string;
let kube: string;
let api: ModelApiServer;

beforeAll(async () => {
  dir = await fixture({});
  model = path.join(dir, 'model.json');
  expect((await runInProcess('run', SUITE, '--json', model)).exitCode).toBe(0);
  api = await new ModelApiServer((await loadSuite(SUITE)).world, { ciliumAgents: true }).start();
  const run = await runOnStandIn(api, SUITE);
  expect(run.exitCode).toBe(0);
  kube = run.file;
});
afterAll(() => api?.stop());

/** A copy of a results file as another environment observed it: `change` edits cells (suite 0) by step and cell key. */
async function variant(from: string, name: string, environment: Partial<ResultsFile['environment']>, change: Record<string, Partial<{ observed: string; pass: boolean; agreesWithModel: boolean }>> = {}) {
  const results = JSON.parse(await readFile(from, 'utf8')) as ResultsFile;
  results.environment = { ...results.environment, ...environment };
  for (const step of results.suites[0]!.steps) {
    for (const cell of step.cells) Object.assign(cell, change[`${step.index + 1} ${cell.from} -> ${cell.to}`] ?? {});
  }
  results.pass = results.suites.every((s) => s.steps.every((st) => st.cells.every((c) => c.pass)));
  const file = path.join(dir, name);
  await writeFile(file, JSON.stringify(results));
  return file;
}

const jsonOf = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Comparison;

describe('netpol-e2e compare', () => {
  it('finds nothing between the model and the kube backend that agree, and labels each run by its environment', async () => {
    const out = path.join(dir, 'same.json');
    const { exitCode, stdout } = await runInProcess('compare', model, kube, '--json', out);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('compare: model  |  cilium 1.20.2 / k8s v1.36.1');
    expect(stdout).toContain('no cell differs');
    const comparison = await jsonOf(out);
    expect(comparison.runs.map((r) => r.label)).toEqual(['model', 'cilium 1.20.2 / k8s v1.36.1']);
    expect(comparison.cells).toEqual([]);
  });

  it('against a baseline, names a regression and a fix, side by side, and exits 1', async () => {
    // On "1.19" the FQDN-allowed call fails and the DNS-denied one passes where the baseline ("1.20") failed it.
    const base = await variant(kube, 'base.json', {}, { '2 backend -> https://cilium.io': { pass: false, observed: 'ok:200', agreesWithModel: false } });
    const older = await variant(kube, 'older.json', { ciliumVersion: '1.19.8', kubernetesVersion: 'v1.35.5' }, { '2 backend -> https://kubernetes.io': { pass: false, observed: 'connect-timeout', agreesWithModel: false } });
    const out = path.join(dir, 'regression.json');
    const markdown = path.join(dir, 'regression.md');
    const html = path.join(dir, 'regression.html');
    const { exitCode, stdout } = await runInProcess('compare', older, '--baseline', base, '--json', out, '--markdown', markdown, '--html', html);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/1 regression\(s\), 1 fix\(es\)/);
    const { cells, runs, baseline } = await jsonOf(out);
    expect(baseline).toBe(base);
    expect(runs.map((r) => r.label)).toEqual(['cilium 1.20.2 / k8s v1.36.1', 'cilium 1.19.8 / k8s v1.35.5']);
    expect(cells.map((c) => [c.status, c.step.split(':')[0], `${c.from} -> ${c.to}`, c.outcomes])).toEqual([
      ['regression', '2', 'backend -> https://kubernetes.io', ['ok:200', 'connect-timeout']],
      ['fix', '2', 'backend -> https://cilium.io', ['ok:200', 'connect-timeout']],
    ]);
    expect(cells[0]).toMatchObject({ predicted: 'ok:200', passes: [true, false], line: expect.any(Number) });
    expect(await readFile(markdown, 'utf8')).toContain('| regression | Cilium basics: DNS-aware network policy / 2: ');
    expect(await readFile(html, 'utf8')).toMatch(/<th>cilium 1\.20\.2 \/ k8s v1\.36\.1 \(baseline\)<\/th><th>cilium 1\.19\.8 \/ k8s v1\.35\.5<\/th>.*<td class="regression">regression<\/td>/s);
  });

  it('without a baseline, shows every cell that differs between runs and exits 1 when a run failed (the binary)', async () => {
    const older = await variant(model, 'older2.json', { ciliumVersion: '1.18.14' }, { '2 backend -> https://kubernetes.io': { pass: false, observed: 'dns-timeout', agreesWithModel: false } });
    const { exitCode, stdout } = await cli('compare', model, kube, older);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/differs .*backend -> https:\/\/kubernetes\.io .*ok:200 .*ok:200 .*✗ dns-timeout/s);
    expect(stdout).toContain('0 regression(s), 0 fix(es), 1 other difference(s)');
  });

  it("reports a divergence known on that run's versions as known, not as a regression", async () => {
    const older = await variant(kube, 'older3.json', { ciliumVersion: '1.19.8' }, { '2 backend -> https://kubernetes.io': { pass: false, observed: 'connect-timeout', agreesWithModel: false } });
    const known = path.join(dir, 'known.yaml');
    await writeFile(known, '- suite: "Cilium basics: DNS-aware network policy"\n  step: 2\n  from: backend\n  to: https://kubernetes.io\n  cilium: "~1.19.0"\n  observed: denied\n  why: https://example.org/known\n');
    const out = path.join(dir, 'known.json');
    const { exitCode, stdout } = await runInProcess('compare', older, '--baseline', kube, '--known', known, '--json', out);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('0 regression(s), 0 fix(es), 0 other difference(s), 1 known divergence(s)');
    expect((await jsonOf(out)).cells.map((c) => [c.status, `${c.from} -> ${c.to}`])).toEqual([['known', 'backend -> https://kubernetes.io']]);
    // The same failure on a version the entry does not name stays a regression.
    const newer = await variant(older, 'newer.json', { ciliumVersion: '1.20.3' });
    expect((await runInProcess('compare', newer, '--baseline', kube, '--known', known)).exitCode).toBe(1);
  });

  it("tells two suites of one name apart by their file: the second does not hide the first one's regression", async () => {
    // A results file of two suite files with one name (as run accepted before it refused them): the first fails.
    const twice = async (name: string, failFirst: boolean) => {
      const results = JSON.parse(await readFile(kube, 'utf8')) as ResultsFile;
      const copy = JSON.parse(JSON.stringify(results.suites[0])) as ResultsFile['suites'][0];
      copy.file = copy.file.replace('.suite.yaml', '-copy.suite.yaml');
      results.suites.push(copy);
      if (failFirst) Object.assign(results.suites[0]!.steps[1]!.cells.find((c) => c.to === 'https://kubernetes.io')!, { observed: 'connect-timeout', pass: false, agreesWithModel: false });
      const file = path.join(dir, name);
      await writeFile(file, JSON.stringify(results));
      return file;
    };
    const base = await twice('twice-base.json', false);
    const now = await twice('twice-now.json', true);
    const out = path.join(dir, 'twice.json');
    const { exitCode, stdout } = await runInProcess('compare', now, '--baseline', base, '--json', out);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/1 regression\(s\)/);
    expect((await jsonOf(out)).cells.map((c) => [c.status, path.basename(c.file), `${c.from} -> ${c.to}`])).toEqual([['regression', 'cilium-dns-aware.suite.yaml', 'backend -> https://kubernetes.io']]);
  });

  it('refuses a results file that does not say what the run saw (exit 2, file:line and field), with no internal error', async () => {
    const results = JSON.parse(await readFile(kube, 'utf8')) as ResultsFile;
    const cell = results.suites[0]!.steps[1]!.cells.find((c) => c.to === 'https://kubernetes.io')!;
    // The regression, but without pass: read as "did not fail" it passed the gate.
    Object.assign(cell, { observed: 'connect-timeout', agreesWithModel: false });
    delete (cell as Partial<typeof cell>).pass;
    const nopass = path.join(dir, 'nopass.json');
    await writeFile(nopass, JSON.stringify(results, null, 2));
    const refused = await runInProcess('compare', nopass, '--baseline', kube);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/^error: .*nopass\.json:\d+: suites\[0\]\.steps\[1\]\.cells\[\d+\]\.pass: is required \(boolean\)/);
    // Wrong JSON types ended in TypeErrors (exit 1): "text.replaceAll is not a function", "step.cells is not iterable".
    (results.suites[0]!.steps[1] as unknown as { cells: number }).cells = 3;
    const retyped = path.join(dir, 'retyped.json');
    await writeFile(retyped, JSON.stringify(results, null, 2));
    const typed = await runInProcess('compare', retyped, '--baseline', kube);
    expect(typed.exitCode).toBe(2);
    expect(typed.stderr).toMatch(/retyped\.json:\d+: suites\[0\]\.steps\[1\]\.cells: Invalid input: expected array, received number/);
  });

  it('a suite that stopped early (error) loses the cells it never probed: those the baseline passed are regressions', async () => {
    const results = JSON.parse(await readFile(kube, 'utf8')) as ResultsFile;
    const suite = results.suites[0]!;
    const lost = suite.steps
      .slice(1)
      .flatMap((s) => s.cells)
      .filter((c) => c.pass).length;
    suite.steps = suite.steps.slice(0, 1);
    suite.error = 'applying policies/x.yaml failed';
    const stopped = path.join(dir, 'stopped.json');
    await writeFile(stopped, JSON.stringify(results));
    const out = path.join(dir, 'stopped-compare.json');
    const { exitCode } = await runInProcess('compare', stopped, '--baseline', kube, '--json', out);
    expect(exitCode).toBe(1);
    const cells = (await jsonOf(out)).cells.filter((c) => c.status === 'regression');
    expect(cells).toHaveLength(lost);
    expect(cells[0]!.outcomes[1]).toBe('-');
  });

  it('exits 2, naming the file, for a file that is not a results file and for runs of other suites', async () => {
    const other = path.join(dir, 'other.json');
    expect((await runInProcess('run', path.join(REPO, 'suites/cilium-basics-network-policies.suite.yaml'), '--json', other)).exitCode).toBe(0);
    const bad = await runInProcess('compare', model, path.join(REPO, 'package.json'));
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/package\.json: not a results file/);
    const mixed = await runInProcess('compare', model, other);
    expect(mixed.exitCode).toBe(2);
    expect(mixed.stderr).toMatch(
      /other\.json: holds other suites than .*model\.json: it lacks "Cilium basics: DNS-aware network policy" \(.*cilium-dns-aware\.suite\.yaml\) and has "Cilium basics: network policies" \(.*\) that .*model\.json does not/,
    );
    expect((await runInProcess('compare', model)).stderr).toMatch(/give two or more results files/);
  });
});
