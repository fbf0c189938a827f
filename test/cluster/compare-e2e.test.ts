// The e2e workflow's compare job (scripts/compare-e2e.ts) on results of a real model run, copied as three matrix
// jobs would upload them: one with its own baseline from main, one compared with the model, and a regression on one.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/report/json.ts';
import { cli } from '../support/cli.ts';
import { fixture, REPO } from '../support/fixture.ts';

let dir: string;
let model: string;
beforeAll(async () => {
  dir = await fixture({});
  model = path.join(dir, 'model.json');
  expect((await cli('run', '--json', model)).exitCode).toBe(0);
});

async function job(root: string, name: string, environment: Partial<ResultsFile['environment']>, fail?: { suite: string; from: string; to: string }) {
  const results = JSON.parse(await readFile(model, 'utf8')) as ResultsFile;
  results.environment = { ...results.environment, backend: 'kind', ...environment };
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
    await job(runs, 'e2e-results-cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.2', kubernetesVersion: 'v1.36.1' }, leak);
    await job(runs, 'e2e-results-cilium-1.19-k8s-v1.35', { ciliumVersion: '1.19.8', kubernetesVersion: 'v1.35.5' });
    await job(baseline, 'e2e-results-cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.1', kubernetesVersion: 'v1.36.1' });
    const summary = path.join(dir, 'summary.md');
    const html = path.join(dir, 'compare.html');
    const r = await compareE2e('--runs', runs, '--baseline', baseline, '--model', model, '--summary', summary, '--html', html);
    expect(r.exitCode, r.stderr).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toMatch(/^::error file=suites\/cilium-basics-network-policies\.suite\.yaml,line=\d+,title=regression on cilium 1\.20\.2 \/ k8s v1\.36\.1::Cilium basics: network policies \/ step .*not-frontend -> backend:8080 observed ok:200/);
    expect(annotations[1]).toMatch(/^::error file=tutorials\/seeds\/003_87bba962e4e6e360\.txt,line=\d+,title=regression on cilium 1\.20\.2/);
    const text = await readFile(summary, 'utf8');
    expect(text).toContain('| status | suite / step | cell | cilium 1.19.8 / k8s v1.35.5 | cilium 1.20.2 / k8s v1.36.1 | model |');
    expect(text).toContain('### cilium 1.20.2 / k8s v1.36.1 against the last green run of main: 1 regression(s)');
    expect(text).toContain('### cilium 1.19.8 / k8s v1.35.5 against the model: 0 regression(s)');
    expect(await readFile(html, 'utf8')).toContain('<th>cilium 1.19.8 / k8s v1.35.5</th><th>cilium 1.20.2 / k8s v1.36.1</th>');
  });

  it('annotates a cell that also failed on main as failing, not as a regression', async () => {
    const runs = path.join(dir, 'both-fail');
    const baseline = path.join(dir, 'both-fail-baseline');
    const leak = { suite: 'Cilium basics: network policies', from: 'not-frontend', to: 'backend:8080' };
    await job(runs, 'e2e-results-cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.2' }, leak);
    await job(baseline, 'e2e-results-cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.1' }, leak);
    const r = await compareE2e('--runs', runs, '--baseline', baseline, '--model', model, '--summary', path.join(dir, 'both.md'), '--html', path.join(dir, 'both.html'));
    expect(r.exitCode, r.stderr).toBe(0);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(annotations).toHaveLength(2);
    expect(annotations.every((a) => a.includes(',title=fails on cilium 1.20.2::'))).toBe(true);
  });

  it('makes a green run the next baseline, and says so when there are no results', async () => {
    const runs = path.join(dir, 'green');
    await job(runs, 'e2e-results-cilium-1.20-k8s-v1.36', { ciliumVersion: '1.20.2' });
    const baseline = path.join(dir, 'next-baseline');
    expect((await compareE2e('--runs', runs, '--baseline', baseline, '--promote')).exitCode).toBe(0);
    expect(JSON.parse(await readFile(path.join(baseline, 'e2e-results-cilium-1.20-k8s-v1.36/e2e-results.json'), 'utf8')).environment.ciliumVersion).toBe('1.20.2');
    const none = await compareE2e('--runs', path.join(dir, 'nothing'));
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/no e2e-results\.json under .*nothing: did the matrix jobs upload their results\?/);
  });
});
