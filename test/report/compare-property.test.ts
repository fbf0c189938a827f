// compare is a CI gate: for random pairs of results files (suites of one name in two files among them) and random
// corruptions of either (a field deleted, given the wrong type or an impossible number, hidden under __proto__, given
// twice, a suite, step or cell repeated, a step moved), it reports every cell that got worse, or refuses the input
// (an InputError: exit 2). It never passes a run with a worse cell, and never fails with an internal error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseResults } from '../../src/results/format.ts';
import { InputError } from '../../src/input/input-error.ts';
import { compareExitCode, compareRuns, runOf, type Run } from '../../src/results/compare.ts';
import type { ResultsFile } from '../../src/results/results-file.ts';
import { cellResult, resultsFile, stepResult, suiteResult } from '../support/results.ts';

/** A suite's shape: its name and file, and per step the cells, each passing or not in the baseline and in the run. */
interface Shape {
  name: string;
  file: string;
  steps: { to: string; before: boolean; after: boolean }[][];
}

const shapes = fc.uniqueArray(
  fc.record({
    // Few names, so that two files often share one (the case that hid a failing suite).
    name: fc.constantFrom('S', 'T'),
    file: fc.constantFrom('suites/a.suite.yaml', 'suites/b.suite.yaml', 'suites/c.suite.yaml'),
    steps: fc.array(fc.uniqueArray(fc.record({ to: fc.constantFrom('b:80', 'c:80', 'https://x.io', 'd:53'), before: fc.boolean(), after: fc.boolean() }), { selector: (c) => c.to, minLength: 1, maxLength: 3 }), {
      minLength: 1,
      maxLength: 3,
    }),
  }),
  { selector: (s) => `${s.file} ${s.name}`, minLength: 1, maxLength: 3 },
);

function results(shape: readonly Shape[], which: 'before' | 'after'): ResultsFile {
  return resultsFile(
    shape.map((s) =>
      suiteResult(
        s.name,
        s.file,
        s.steps.map((cells, i) =>
          stepResult(
            i,
            cells.map((c) => cellResult('a', c.to, c[which] ? 'ok:200' : 'connect-timeout', c[which])),
          ),
        ),
      ),
    ),
    which === 'before' ? '1.20.2' : '1.19.8',
  );
}

/** The cells that passed in the baseline and fail in the run: "file name / step / to". */
const worse = (shape: readonly Shape[]) => shape.flatMap((s) => s.steps.flatMap((cells, i) => cells.filter((c) => c.before && !c.after).map((c) => `${s.file} ${s.name} / ${i + 1} / a -> ${c.to}`)));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** Every place in a JSON value: the container and the key in it. */
function places(value: Json, out: { parent: Json[] | Record<string, Json>; key: string | number }[] = []) {
  if (value === null || typeof value !== 'object') return out;
  for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    out.push({ parent: value, key });
    places(child, out);
  }
  return out;
}

// A value of another type than the one it replaces, or a number no results file holds; never a valid other value of
// the same field (turning a failure into a pass is an edit, not a corruption).
const otherType = (v: Json): Json[] => {
  const all: Json[] = [null, 'x', 0, true, false, [], {}, [1], { a: 1 }];
  const kept = all.filter((o) => typeof o !== typeof v || Array.isArray(o) !== Array.isArray(v) || (o === null) !== (v === null));
  return typeof v === 'number' ? [...kept, -1, 0.5, 1e308, 'INFINITY'] : kept;
};

const KINDS = ['delete', 'retype', 'proto', 'twice', 'repeat', 'reindex'] as const;
const REQUIRED = new Set([
  'format',
  'backend',
  'pass',
  'suites',
  'name',
  'file',
  'steps',
  'counts',
  'index',
  'actions',
  'enforcement',
  'timing',
  'cells',
  'from',
  'to',
  'predicted',
  'observed',
  'agreesWithModel',
  'line',
  'explanation',
  'netpolE2e',
  'version',
  'convergenceMs',
  'applyMs',
  'enforceMs',
  'probeMs',
  'settleMs',
  'cells',
  'asserted',
  'claims',
  'failed',
  'execErrors',
  'notRunnable',
]);

/** The text of `file`, corrupted at place number `at` in the way `kind` says (or not at all where that kind cannot apply). */
function corrupt(file: ResultsFile, kind: (typeof KINDS)[number], at: number, pick: number): string {
  const value = JSON.parse(JSON.stringify(file)) as Json;
  const all = places(value);
  const { parent, key } = all[at % all.length]!;
  const object = Array.isArray(parent) ? undefined : parent;
  const old = (parent as Record<string | number, Json>)[key]!;
  let text: [string, string] | undefined;
  if (kind === 'delete' && object && REQUIRED.has(String(key))) delete object[key];
  else if (kind === 'retype') {
    const options = otherType(old);
    const replacement = options[pick % options.length]!;
    (parent as Record<string | number, Json>)[key] = replacement;
    if (replacement === 'INFINITY') text = ['"INFINITY"', '1e400'];
  } else if (kind === 'proto' && object) {
    delete object[key];
    Object.defineProperty(object, '__proto__', { value: { [key]: old }, enumerable: true, writable: true, configurable: true });
  } else if (kind === 'twice' && object) {
    const entries = Object.entries(object);
    for (const k of Object.keys(object)) delete object[k];
    for (const [k, v] of entries) object[k === key ? '__TWICE__' : k] = v;
    text = ['"__TWICE__":', `${JSON.stringify(String(key))}: ${JSON.stringify(typeof old === 'boolean' ? !old : otherType(old)[pick % otherType(old).length])}, ${JSON.stringify(String(key))}:`];
  } else if (kind === 'repeat' && Array.isArray(parent)) {
    // The copy passes wherever it can: it would hide a failing original if it were taken for it.
    const copy = JSON.parse(JSON.stringify(old).replaceAll('"pass":false', '"pass":true').replaceAll('"connect-timeout"', '"ok:200"')) as Json;
    parent.splice(pick % (parent.length + 1), 0, copy);
  } else if (kind === 'reindex' && key === 'index' && typeof old === 'number') (parent as Record<string, Json>)[key] = old + 1 + (pick % 3);
  const out = JSON.stringify(value, null, 1);
  return text ? out.replace(text[0], text[1]) : out;
}

/** compare as the CLI runs it: the exit code, 2 for a refused input. */
function compare(runText: string, baselineText: string | undefined, baseShape?: string): { exit: number; regressions: string[] } {
  try {
    const run: Run = runOf('run.json', parseResults('run.json', runText));
    const other: Run = runOf('base.json', parseResults('base.json', baselineText ?? baseShape!));
    const comparison = baselineText === undefined ? compareRuns([other, run]) : compareRuns([run], other);
    const regressions = comparison.cells.filter((c) => c.status === 'regression').map((c) => `${c.file} ${c.suite} / ${c.step.split(':')[0]} / ${c.from} -> ${c.to}`);
    return { exit: compareExitCode(comparison, baselineText === undefined ? [other, run] : [run]), regressions };
  } catch (e) {
    if (e instanceof InputError) return { exit: 2, regressions: [] };
    throw e;
  }
}

describe('compare as a gate (property)', () => {
  it('reports every cell that got worse, or refuses the input; never exits 0 over a worse cell', () => {
    fc.assert(
      fc.property(shapes, fc.constantFrom(...KINDS), fc.constantFrom('run', 'baseline', 'none'), fc.nat(), fc.nat(), (shape, kind, where, at, pick) => {
        const before = results(shape, 'before');
        const after = results(shape, 'after');
        const runText = where === 'run' ? corrupt(after, kind, at, pick) : JSON.stringify(after);
        const baseText = where === 'baseline' ? corrupt(before, kind, at, pick) : JSON.stringify(before);
        const expected = worse(shape);
        // Against the baseline: every worse cell is a regression, and the exit is 1; or the input is refused.
        const gated = compare(runText, baseText);
        if (gated.exit !== 2) {
          expect(gated.regressions).toEqual(expect.arrayContaining(expected));
          expect(gated.exit).toBe(expected.length ? 1 : 0);
        }
        // Without a baseline, a run with a failing cell fails (exit 1), or is refused.
        const failing = shape.some((s) => s.steps.some((cells) => cells.some((c) => !c.after)));
        const plain = compare(runText, undefined, baseText);
        if (failing) expect(plain.exit).not.toBe(0);
      }),
      { seed: 23, numRuns: 400 },
    );
  });

  it('refuses what the corruptions do to a field that decides a verdict', () => {
    // The property above would hold vacuously if nothing were ever accepted: an uncorrupted pair is compared.
    const shape: Shape[] = [
      { name: 'S', file: 'suites/a.suite.yaml', steps: [[{ to: 'b:80', before: true, after: false }]] },
      { name: 'S', file: 'suites/b.suite.yaml', steps: [[{ to: 'b:80', before: true, after: true }]] },
    ];
    expect(compare(JSON.stringify(results(shape, 'after')), JSON.stringify(results(shape, 'before')))).toEqual({ exit: 1, regressions: ['suites/a.suite.yaml S / 1 / a -> b:80'] });
  });
});
