// `run --junit FILE`: the run as a JUnit XML file, read back as a CI tool reads it (test/support/xml.ts): one
// <testsuite> per suite with its file, one <testcase> per cell at its suite line, failures spelled out, cells not
// runnable on the backend skipped. The hostile names are test/report/hostile.test.ts's.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { junitChunks } from '../../src/report/junit.ts';
import type { ResultsFile } from '../../src/results/results-file.ts';
import { runInProcess } from '../support/cli.ts';
import { fixture, REPO, suiteWith } from '../support/fixture.ts';
import { elements, parseXml, type XmlElement } from '../support/xml.ts';

const BASICS = 'suites/cilium-basics-network-policies.suite.yaml';
const counts = (e: XmlElement) => ['tests', 'failures', 'errors', 'skipped'].map((k) => e.attributes[k]);

/** A fresh copy of the results of BASICS on the model (run once), for a cell made into what the model does not give. */
let basics: Promise<string> | undefined;
async function basicsResults(): Promise<ResultsFile> {
  basics ??= (async () => {
    const json = path.join(await fixture({}), 'run.json');
    expect((await runInProcess('run', BASICS, '--json', json)).exitCode).toBe(0);
    return readFile(json, 'utf8');
  })();
  return JSON.parse(await basics) as ResultsFile;
}
const junitOf = (results: ResultsFile) => parseXml([...junitChunks(results.environment, results.suites, (f) => f)].join(''));

describe('run --junit', () => {
  it('writes a passing run: one testsuite with its file, one testcase per cell at its line, the times of the steps', async () => {
    const dir = await fixture({});
    const [junit, json] = [path.join(dir, 'run.xml'), path.join(dir, 'run.json')];
    const r = await runInProcess('run', BASICS, '--junit', junit, '--json', json);
    expect(r.exitCode, r.stderr).toBe(0);
    const results = JSON.parse(await readFile(json, 'utf8')) as ResultsFile;
    const cells = results.suites[0]!.steps.flatMap((s) => s.cells.map((c) => ({ step: s.name, ...c })));
    const root = parseXml(await readFile(junit, 'utf8'));
    expect(root.name).toBe('testsuites');
    const [suite, ...others] = elements(root, 'testsuite');
    expect(others).toEqual([]);
    expect(suite!.attributes).toMatchObject({ name: 'Cilium basics: network policies', file: BASICS });
    expect(counts(suite!)).toEqual([String(cells.length), '0', '0', '0']);
    const cases = elements(suite!, 'testcase');
    expect(cases.map((c) => [c.attributes.name, c.attributes.line])).toEqual(cells.map((c) => [`${c.step} / ${c.from} -> ${c.to}`, String(c.line)]));
    expect(new Set(cases.map((c) => [c.attributes.classname, c.attributes.file, c.children.length].join()))).toEqual(new Set([`Cilium basics: network policies,${BASICS},0`]));
    // Times in seconds: the cells' shares of their steps add up to the suite's time.
    const total = cases.reduce((s, c) => s + Number(c.attributes.time), 0);
    expect(Math.abs(total - Number(suite!.attributes.time))).toBeLessThan(0.001 * cases.length);
    expect(elements(suite!, 'property').find((p) => p.attributes.name === 'backend')?.attributes.value).toBe('model');
  });

  it('spells out a failing cell: where, expected and observed outcome, the model explanation', async () => {
    const dir = await fixture({ 'f.suite.yaml': suiteWith('  - name: baseline\n    expect:\n      frontend -> backend:8080: connect-timeout\n') });
    const junit = path.join(dir, 'out/run.xml');
    const r = await runInProcess('run', path.join(dir, 'f.suite.yaml'), '--junit', junit);
    expect(r.exitCode).toBe(1);
    const root = parseXml(await readFile(junit, 'utf8'));
    expect(counts(root).slice(0, 3)).toEqual(['1', '1', '0']);
    const [testcase] = elements(root, 'testcase');
    expect(testcase!.attributes).toMatchObject({ name: 'baseline / frontend -> backend:8080', classname: 'fixture', line: '7' });
    const [failure] = testcase!.children;
    expect(failure!.name).toBe('failure');
    expect(failure!.attributes.message).toBe('expected connect-timeout, observed ok:200');
    const lines = failure!.text.split('\n');
    expect(lines[0]).toMatch(/^frontend -> backend:8080 at .*f\.suite\.yaml:7$/);
    expect(lines.slice(1, 5)).toEqual(['expected: connect-timeout', 'predicted: ok:200', 'observed: ok:200', 'suite line: 7']);
    expect(lines).toContainEqual(expect.stringMatching(/^evidence: .* → exit 0 HTTP\/1\.1 200 OK$/));
    // The model's explanation follows its heading.
    const model = lines.indexOf('model:');
    expect(model).toBeGreaterThan(0);
    expect(lines[model + 1]).toMatch(/^ {2}\S/);
  });

  it('a cell not runnable on the backend is skipped with the reason, neither passed nor failed', async () => {
    const results = await basicsResults();
    const cell = results.suites[0]!.steps[1]!.cells[0]!;
    // As the kube backend reports a probe it cannot run (test/runner/not-runnable.test.ts).
    Object.assign(cell, { observed: 'not-runnable', notRunnable: "the nodes' kernel has no SCTP", pass: true });
    const root = junitOf(results);
    const [suite] = elements(root, 'testsuite');
    const total = results.suites[0]!.steps.reduce((n, s) => n + s.cells.length, 0);
    expect(counts(suite!)).toEqual([String(total), '0', '0', '1']);
    const skipped = elements(root, 'testcase').filter((c) => c.children.length);
    expect(skipped.map((c) => [c.attributes.name, c.children.map((e) => [e.name, e.attributes.message])])).toEqual([
      [`${results.suites[0]!.steps[1]!.name} / ${cell.from} -> ${cell.to}`, [['skipped', "not runnable on this backend: the nodes' kernel has no SCTP"]]],
    ]);
  });

  it('a deny that proves nothing fails with why, not as "expected X, observed X"', async () => {
    const results = await basicsResults();
    const cell = results.suites[0]!.steps[1]!.cells.find((c) => c.observed === 'connect-timeout')!;
    Object.assign(cell, { pass: false, unproven: 'not-frontend never connected anywhere in this run' });
    const failures = elements(junitOf(results), 'failure');
    expect(failures.map((f) => f.attributes.message)).toEqual(['unproven: not-frontend never connected anywhere in this run']);
    expect(failures[0]!.text).toContain('unproven: not-frontend never connected');
  });

  it('a suite stopped early is one error; a folder given as the file is refused before the run', async () => {
    const results = await basicsResults();
    results.suites[0]!.error = 'cleanup failed: <gone> & "away"';
    const root = junitOf(results);
    expect(root.attributes.errors).toBe('1');
    expect(elements(root, 'error').map((e) => e.attributes.message)).toEqual(['cleanup failed: <gone> & "away"']);
    const r = await runInProcess('run', BASICS, '--junit', REPO);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('is a folder');
  });
});
