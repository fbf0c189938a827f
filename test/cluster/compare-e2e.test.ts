// The e2e workflow's compare job (scripts/compare-e2e.ts) on results of a real model run, copied as matrix jobs would
// upload them (results/legs/<leg>/e2e-results.json, downloaded with merge-multiple into RUNS/<leg>/): one with its own
// baseline from main, one compared with the model, a regression on one; the layout of a single artifact, and of
// downloads without merge-multiple; cells not run counted by reason; what an empty or foreign RUNS holds, named.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/results/results-file.ts';
import { runInProcess } from '../support/cli.ts';
import { fixture, REPO } from '../support/fixture.ts';

let dir: string;
let model: string;
beforeAll(async () => {
  dir = await fixture({});
  model = path.join(dir, 'model.json');
  expect((await runInProcess('run', '--json', model)).exitCode).toBe(0);
});

async function job(root: string, name: string, environment: Partial<ResultsFile['environment']>, fail?: { suite: string; from: string; to: string }, notRunnable?: { reason: string; cells: number }) {
  const results = JSON.parse(await readFile(model, 'utf8')) as ResultsFile;
  results.environment = { ...results.environment, backend: 'kind', ...environment };
  for (const cell of results.suites.flatMap((s) => s.steps.flatMap((step) => step.cells)).slice(0, notRunnable?.cells ?? 0)) Object.assign(cell, { observed: 'not-runnable', notRunnable: notRunnable!.reason });
  for (const suite of results.suites.filter((s) => s.name === fail?.suite)) {
    const cell = suite.steps.flatMap((s) => s.cells).find((c) => c.from === fail!.from && c.to === fail!.to && c.claim)!;
    Object.assign(cell, { observed: 'ok:200', pass: false, agreesWithModel: false });
    suite.pass = false;
    results.pass = false;
  }
  await mkdir(path.join(root, name), { recursive: true });
  await writeFile(path.join(root, name, 'e2e-results.json'), JSON.stringify(results));
}

const compareE2e = (...args: string[]) => execa(process.execPath, ['--import', 'tsx', path.join(REPO, 'scripts/compare-e2e.ts'), ...args], { cwd: REPO, reject: false, env: { GITHUB_STEP_SUMMARY: '' } });

describe('the compare job of the e2e workflow', () => {
  it('puts the versions side by side, compares each with its baseline or the model, and annotates a regression at the suite and tutorial lines', async () => {
    const runs = path.join(dir, 'runs');
    const baseline = path.join(dir, 'baseline');
    const leak = { suite: 'Cilium basics: network policies', from: 'not-frontend', to: 'backend:8080' };
    await job(runs, 'cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.2', kubernetesVersion: 'v1.36.1' }, leak);
    await job(runs, 'cilium-1.19-k8s-v1.35', { ciliumVersion: '1.19.8', kubernetesVersion: 'v1.35.5' });
    // A baseline kept before the legs had their own folder names: the artifact's name.
    await job(baseline, 'e2e-results-cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.1', kubernetesVersion: 'v1.36.1' });
    const summary = path.join(dir, 'summary.md');
    const html = path.join(dir, 'compare.html');
    const r = await compareE2e('--runs', runs, '--baseline', baseline, '--model', model, '--summary', summary, '--html', html);
    expect(r.exitCode, r.stderr).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error file='));
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toMatch(
      /^::error file=suites\/cilium-basics-network-policies\.suite\.yaml,line=\d+,title=regression on cilium 1\.20\.2 \/ k8s v1\.36\.1::Cilium basics: network policies \/ step .*not-frontend -> backend:8080 observed ok:200/,
    );
    expect(annotations[1]).toMatch(/^::error file=tutorials\/seeds\/003_87bba962e4e6e360\.txt,line=\d+,title=regression on cilium 1\.20\.2/);
    const text = await readFile(summary, 'utf8');
    expect(text).toContain('| status | suite / step | cell | cilium 1.19.8 / k8s v1.35.5 | cilium 1.20.2 / k8s v1.36.1 | model |');
    expect(text).toContain('### cilium 1.20.2 / k8s v1.36.1 against the last green run of main: 1 regression(s)');
    expect(text).toContain('### cilium 1.19.8 / k8s v1.35.5 against the model: 0 regression(s)');
    expect(await readFile(html, 'utf8')).toContain('<th>cilium 1.19.8 / k8s v1.35.5</th><th>cilium 1.20.2 / k8s v1.36.1</th>');
    // The legs of cluster/versions.json's matrix that uploaded nothing are named.
    expect(text).toMatch(/\*\*No results from cilium-1\.20-k8s-v1\.37, .*cilium-1\.18-k8s-v1\.35\*\* \(found cilium-1\.19-k8s-v1\.35, cilium-1\.20-k8s-v1\.36\)/);
    expect(r.stdout).toContain('::error title=no results from cilium-1.20-k8s-v1.37::');
  });

  it('reads a single artifact unpacked straight into RUNS, and downloads without merge-multiple', async () => {
    // download-artifact puts the only matching artifact's files into path itself: RUNS/<leg>/e2e-results.json, as the
    // workflow uploads results/legs/; a results file of the old uploads lands at the top, named by its environment.
    const top = path.join(dir, 'one-artifact');
    await job(dir, 'one-artifact', { ciliumVersion: '1.19.8', kubernetesVersion: 'v1.36.4' });
    const nested = path.join(dir, 'per-artifact');
    await job(nested, 'e2e-results-cilium-1.20-k8s-v1.37/cilium-1.20-k8s-v1.37', { ciliumVersion: '1.20.2', kubernetesVersion: 'v1.37.0' });
    for (const [runs, label] of [
      [top, 'cilium 1.19.8 / k8s v1.36.4'],
      [nested, 'cilium 1.20.2 / k8s v1.37.0'],
    ] as const) {
      const summary = path.join(runs, 'summary.md');
      const r = await compareE2e('--runs', runs, '--baseline', path.join(dir, 'no-baseline'), '--model', model, '--summary', summary, '--html', path.join(runs, 'c.html'));
      expect(r.exitCode, r.stderr).toBe(0);
      expect(await readFile(summary, 'utf8')).toContain(`### ${label} against the model: 0 regression(s)`);
    }
    const baseline = path.join(dir, 'one-artifact-baseline');
    expect((await compareE2e('--runs', top, '--baseline', baseline, '--promote')).stdout).toBe('baseline: cilium-1.19-k8s-v1.36');
    expect(JSON.parse(await readFile(path.join(baseline, 'cilium-1.19-k8s-v1.36/e2e-results.json'), 'utf8')).environment.ciliumVersion).toBe('1.19.8');
  });

  it('counts the cells not run by reason, against the baseline too, and warns of them', async () => {
    const runs = path.join(dir, 'no-sctp');
    const baseline = path.join(dir, 'no-sctp-baseline');
    const reason = "the nodes' kernel has no SCTP (cluster:up found no sctp module)";
    await job(runs, 'cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.2', kubernetesVersion: 'v1.36.4' }, undefined, { reason, cells: 7 });
    await job(baseline, 'cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.2', kubernetesVersion: 'v1.36.4' });
    const summary = path.join(dir, 'no-sctp.md');
    const r = await compareE2e('--runs', runs, '--baseline', baseline, '--model', model, '--summary', summary, '--html', path.join(dir, 'no-sctp.html'));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await readFile(summary, 'utf8')).toContain(`- 7 cell(s) not run (7 more than the baseline): ${reason}\n`);
    expect(r.stdout).toContain(`::warning title=cells not run on cilium 1.20.2 / k8s v1.36.4::7 cell(s) not run (7 more than the baseline): ${reason}`);
  });

  it('annotates a cell that also failed on main as failing, not as a regression', async () => {
    const runs = path.join(dir, 'both-fail');
    const baseline = path.join(dir, 'both-fail-baseline');
    const leak = { suite: 'Cilium basics: network policies', from: 'not-frontend', to: 'backend:8080' };
    await job(runs, 'e2e-results-cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.2' }, leak);
    await job(baseline, 'e2e-results-cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.1' }, leak);
    const r = await compareE2e('--runs', runs, '--baseline', baseline, '--model', model, '--summary', path.join(dir, 'both.md'), '--html', path.join(dir, 'both.html'));
    expect(r.exitCode, r.stderr).toBe(0);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error file='));
    expect(annotations).toHaveLength(2);
    expect(annotations.every((a) => a.includes(',title=fails on cilium 1.20.2::'))).toBe(true);
  });

  it("makes a green run the next baseline, under its leg's name", async () => {
    const runs = path.join(dir, 'green');
    await job(runs, 'e2e-results-cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.2' });
    const baseline = path.join(dir, 'next-baseline');
    expect((await compareE2e('--runs', runs, '--baseline', baseline, '--promote')).exitCode).toBe(0);
    expect(JSON.parse(await readFile(path.join(baseline, 'cilium-1.20-k8s-v1.36/e2e-results.json'), 'utf8')).environment.ciliumVersion).toBe('1.20.2');
  });

  it('refuses a results file that is not whole (exit 2, file:line and field), also at the top of RUNS', async () => {
    const runs = path.join(dir, 'corrupt');
    await job(runs, 'cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.2', kubernetesVersion: 'v1.36.1' });
    const file = path.join(runs, 'cilium-1.20-k8s-v1.36', 'e2e-results.json');
    const results = JSON.parse(await readFile(file, 'utf8')) as ResultsFile;
    (results.suites[0]!.steps[0]!.cells[0] as unknown as { from: number }).from = 42;
    await writeFile(file, JSON.stringify(results, null, 2));
    const r = await compareE2e('--runs', runs, '--model', model, '--summary', path.join(dir, 'corrupt.md'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^compare-e2e: .*corrupt\/cilium-1\.20-k8s-v1\.36\/e2e-results\.json:\d+: suites\[0\]\.steps\[0\]\.cells\[0\]\.from: Invalid input: expected string, received number/);
    const top = path.join(dir, 'corrupt-top');
    await mkdir(top);
    await writeFile(path.join(top, 'e2e-results.json'), '{"format": "netpol-e2e/results/v1", "environment": 7}');
    const atTop = await compareE2e('--runs', top, '--model', model);
    expect(atTop.exitCode).toBe(2);
    expect(atTop.stderr).toMatch(/e2e-results\.json:1: environment: Invalid input: expected object, received number/);
  });

  it('says what it found where there are no results, and refuses two results of one leg', async () => {
    const none = await compareE2e('--runs', path.join(dir, 'nothing'));
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/^compare-e2e: .*nothing does not exist: no artifact matched e2e-results-\* \(did every matrix job stop before its tests wrote e2e-results\.json\?\)/);
    const junk = path.join(dir, 'junk');
    await mkdir(path.join(junk, 'e2e-cilium-1.20-k8s-v1.36'), { recursive: true });
    await mkdir(path.join(junk, 'empty'));
    await writeFile(path.join(junk, 'e2e-cilium-1.20-k8s-v1.36/junit.xml'), '<testsuites/>');
    await writeFile(path.join(junk, 'results.json'), '{}');
    const foreign = await compareE2e('--runs', junk);
    expect(foreign.exitCode).toBe(2);
    expect(foreign.stderr).toContain(
      `no e2e-results.json under ${junk}, which holds e2e-cilium-1.20-k8s-v1.36/junit.xml, empty/ (empty), results.json; each matrix job uploads results/legs/<leg>/e2e-results.json as the artifact e2e-results-<leg>`,
    );
    const twice = path.join(dir, 'twice');
    await job(twice, 'cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.2' });
    await job(twice, 'e2e-results-cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.2' });
    const both = await compareE2e('--runs', twice);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toMatch(/two results files for cilium-1\.20-k8s-v1\.36: .*twice\/cilium-1\.20-k8s-v1\.36\/e2e-results\.json and .*twice\/e2e-results-cilium-1\.20-k8s-v1\.36\/e2e-results\.json/);
  });
});
