// Reading a results file back (results/format.ts): every corruption the hostile-input sweep of issue 23 tried is
// refused with the file, the field and its line, instead of being half-read into a gate that passes a regression.
import { describe, expect, it } from 'vitest';
import { ComparisonSchema, lineOf, parseResults, ResultsFileSchema, scanKeys } from '../../src/results/format.ts';
import { InputError } from '../../src/input/input-error.ts';
import { compareExitCode, compareRuns, runOf } from '../../src/results/compare.ts';
import type { ResultsFile } from '../../src/results/results-file.ts';
import { cellResult, resultsFile, stepResult, suiteResult } from '../support/results.ts';

const base = (): ResultsFile => resultsFile([suiteResult('S', 'suites/s.suite.yaml', [stepResult(0, [cellResult('a', 'b:80', 'ok:200', true)]), stepResult(1, [cellResult('a', 'c:80', 'ok:200', true)])])]);
/** The run that regressed: step 2's cell fails. */
const worse = (): ResultsFile => {
  const r = base();
  Object.assign(r.suites[0]!.steps[1]!.cells[0]!, { observed: 'connect-timeout', pass: false, agreesWithModel: false });
  return r;
};
const text = (r: unknown) => JSON.stringify(r, null, 2);

/** The InputError parseResults throws for `source`, as its message. */
function refusal(source: string): string {
  try {
    parseResults('run.json', source);
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('accepted');
}

function edited(edit: (r: ResultsFile & Record<string, unknown>) => void): string {
  const r = worse() as ResultsFile & Record<string, unknown>;
  edit(r);
  return text(r);
}

describe('reading a results file', () => {
  it('accepts what run --json writes, and a regression in it is one', () => {
    const comparison = compareRuns([runOf('run.json', parseResults('run.json', text(worse())))], runOf('base.json', parseResults('base.json', text(base()))));
    expect(comparison.cells.map((c) => [c.status, c.step, `${c.from} -> ${c.to}`])).toEqual([['regression', '2: step 2', 'a -> c:80']]);
  });

  it.each<[string, (r: ResultsFile & Record<string, unknown>) => void, RegExp]>([
    [
      'a cell without observed',
      (r) => delete (r.suites[0]!.steps[1]!.cells[0] as Partial<ResultsFile['suites'][0]['steps'][0]['cells'][0]>).observed,
      /^run\.json:\d+: suites\[0\]\.steps\[1\]\.cells\[0\]\.observed: is required \(string\)$/,
    ],
    ['a cell without pass', (r) => delete (r.suites[0]!.steps[1]!.cells[0] as Partial<ResultsFile['suites'][0]['steps'][0]['cells'][0]>).pass, /^run\.json:\d+: suites\[0\]\.steps\[1\]\.cells\[0\]\.pass: is required \(boolean\)$/],
    ['a step index of -1', (r) => (r.suites[0]!.steps[1]!.index = -1), /suites\[0\]\.steps\[1\]\.index: Too small/],
    ['a step index of 1e308', (r) => (r.suites[0]!.steps[1]!.index = 1e308), /suites\[0\]\.steps\[1\]\.index: Too big/],
    ['a step out of its place', (r) => (r.suites[0]!.steps[1]!.index = 7), /suites\[0\]\.steps\[1\]\.index: is 7, but this is step 1 of the suite/],
    ['a negative timing', (r) => (r.suites[0]!.steps[1]!.timing.probeMs = -5), /suites\[0\]\.steps\[1\]\.timing\.probeMs: Too small/],
    ['from: 42', (r) => ((r.suites[0]!.steps[1]!.cells[0] as unknown as { from: number }).from = 42), /suites\[0\]\.steps\[1\]\.cells\[0\]\.from: Invalid input: expected string, received number/],
    ['steps that are not a list', (r) => ((r.suites[0] as unknown as { steps: number }).steps = 5), /suites\[0\]\.steps: Invalid input: expected array, received number/],
    ['a suite name that is not text', (r) => ((r.suites[0] as unknown as { name: string[] }).name = ['S']), /suites\[0\]\.name: Invalid input: expected string/],
    ['an outcome that is none', (r) => (r.suites[0]!.steps[1]!.cells[0]!.observed = 'fine'), /suites\[0\]\.steps\[1\]\.cells\[0\]\.observed: is not an outcome/],
    ['two cells of one source and target in a step', (r) => r.suites[0]!.steps[1]!.cells.push(cellResult('a', 'c:80', 'ok:200', true)), /suites\[0\]\.steps\[1\]\.cells\[1\]: cell "a -> c:80" is already cells\[0\] of this step/],
    ['two suites of one file and name', (r) => r.suites.push(base().suites[0]!), /suites\[1\]: suite "S" of suites\/s\.suite\.yaml is already suites\[0\]/],
    ['another format', (r) => (r.format = 'netpol-e2e/results/v2' as 'netpol-e2e/results/v1'), /^run\.json: not a results file \(format "netpol-e2e\/results\/v2"/],
  ])('refuses %s, naming the field', (_, edit, message) => {
    expect(refusal(edited(edit))).toMatch(message);
  });

  it('refuses infinite timings (1e400 in JSON) and names the line', () => {
    const source = edited((r) => (r.suites[0]!.steps[1]!.timing.applyMs = 123456789)).replace('123456789', '1e400');
    const message = refusal(source);
    expect(message).toMatch(/suites\[0\]\.steps\[1\]\.timing\.applyMs: /);
    const line = source.split('\n').findIndex((l) => l.includes('1e400')) + 1;
    expect(message).toMatch(new RegExp(`^run\\.json:${line}: `));
  });

  it('refuses a field that exists only under __proto__, and a key given twice (JSON.parse would keep the last)', () => {
    const hidden = text(worse()).replace('"pass": false,', '"__proto__": { "pass": true },');
    expect(refusal(hidden)).toMatch(/^run\.json:\d+: suites\[0\]\.steps\[1\]\.cells\[0\]\.__proto__: a "__proto__" key: no results file has one$/);
    const twice = text(worse()).replace('"pass": false,', '"pass": false, "pass": true,');
    expect(refusal(twice)).toMatch(/^run\.json:\d+: suites\[0\]\.steps\[1\]\.cells\[0\]\.pass: the key "pass" is given twice in one object$/);
    expect(refusal('{"format": "netpol-e2e/results/v1", "__proto__": {"suites": []}}')).toMatch(/__proto__/);
    // Nothing reaches Object.prototype.
    expect(({} as Record<string, unknown>).pass).toBeUndefined();
  });

  it('refuses text that is not JSON, and JSON that is not an object', () => {
    expect(refusal('{"format": ')).toMatch(/^run\.json: not JSON/);
    expect(refusal('[1, 2]')).toMatch(/^run\.json: not a results file/);
    expect(refusal('null')).toMatch(/^run\.json: not a results file/);
  });

  it('recounts the verdicts from the cells: a file saying pass: true over a failing cell fails', () => {
    const lying = worse();
    lying.pass = true;
    lying.suites[0]!.pass = true;
    lying.suites[0]!.counts.failed = 0;
    const run = runOf('run.json', parseResults('run.json', text(lying)));
    const other = runOf('base.json', parseResults('base.json', text(base())));
    expect(run.results.pass).toBe(false);
    expect(compareExitCode(compareRuns([run, other]), [run, other])).toBe(1);
  });

  it('finds the line of a field, and of the nearest existing one for a missing field', () => {
    const source = '{\n  "a": [\n    1,\n    {"b": 2,\n     "c": {}}\n  ],\n  "d": "x"\n}';
    expect(lineOf(source, ['a', 1, 'c'])).toBe(5);
    expect(lineOf(source, ['a', 0])).toBe(3);
    expect(lineOf(source, ['d'])).toBe(7);
    expect(lineOf(source, ['a', 1, 'missing'])).toBe(4);
    expect(scanKeys('{"a": {"x": 1, "y": [{"x": 1}], "x": 2}}')).toEqual({ path: ['a', 'x'], key: 'x', line: 1 });
    expect(scanKeys('{"a": "{\\"a\\": 1}", "b": ["a", "a"]}')).toBeUndefined();
  });

  it('describes what compare --json writes', () => {
    const comparison = compareRuns([runOf('run.json', parseResults('run.json', text(worse())))], runOf('base.json', parseResults('base.json', text(base()))));
    expect(ComparisonSchema.safeParse(JSON.parse(JSON.stringify(comparison))).error).toBeUndefined();
  });

  it('is a zod schema a JSON Schema can be generated from', async () => {
    const { z } = await import('zod');
    const schema = z.toJSONSchema(ResultsFileSchema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, unknown>; required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'backend', 'pass', 'suites']));
  });
});
