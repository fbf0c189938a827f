// Known divergences are matched to cells by one matcher (results/known.ts), whether a run marks its steps as they end
// (the CLI, the suites project) or a comparison marks the runs it reads back (compare, the e2e compare job): the same
// entry marks the same cell known in both, and is stale in both when its cell no longer diverges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyKnownToRun, compareRuns, runOf } from '../../src/results/compare.ts';
import { parseResults } from '../../src/results/format.ts';
import type { KnownDivergence } from '../../src/results/known-divergences.ts';
import { applyKnown, entriesNaming, markKnownInStep } from '../../src/results/known.ts';
import { parseExpectation } from '../../src/probe/outcome.ts';
import type { ResultsFile } from '../../src/results/results-file.ts';
import { cellResult, resultsFile, stepResult, suiteResult } from '../support/results.ts';

const entry = (fields: Partial<KnownDivergence> & Pick<KnownDivergence, 'from' | 'to'>, observed = 'ok:200'): KnownDivergence => ({
  suite: 'S',
  cilium: '>=1.20.0 <1.21.0',
  why: 'a stand-in bug',
  at: 'known.yaml:1',
  ...fields,
  observed: parseExpectation(observed)!,
});

/** A run of suite S: step 1 with a -> b:80 failing (ok:200 seen) and a -> c:80 passing; step 2 ("02 egress") with a -> b:80 failing. */
const run = (ciliumVersion = '1.20.2'): ResultsFile =>
  resultsFile(
    [suiteResult('S', 'suites/s.suite.yaml', [stepResult(0, [cellResult('a', 'b:80', 'ok:200', false), cellResult('a', 'c:80', 'ok:200', true)]), { ...stepResult(1, [cellResult('a', 'b:80', 'ok:200', false)]), name: '02 egress' }])],
    ciliumVersion,
  );

/** The cells marked known, as "step / from -> to". */
const knownCells = (results: ResultsFile) => results.suites.flatMap((s) => s.steps.flatMap((step) => step.cells.filter((c) => c.known).map((c) => `${step.index + 1} / ${c.from} -> ${c.to}`)));

/** Both shapes: the run's steps marked as they end, and the results file read back and marked for a comparison. */
function bothShapes(results: () => ResultsFile, known: KnownDivergence[]) {
  const ran = results();
  const stale = applyKnown(ran.suites, ran.environment, known);
  const read = runOf('run.json', parseResults('run.json', JSON.stringify(results())));
  const compareStale = applyKnownToRun(read, known);
  const comparison = compareRuns([read, runOf('again.json', parseResults('again.json', JSON.stringify(read.results)))]);
  return {
    run: { cells: knownCells(ran), stale, pass: ran.suites.every((s) => s.pass) },
    comparison: { cells: comparison.cells.filter((c) => c.status === 'known').map((c) => `${c.step.split(':')[0]} / ${c.from} -> ${c.to}`), stale: compareStale, pass: read.results.pass },
  };
}

describe('the one matcher of known divergences', () => {
  it('names a cell by suite, step number or part of its name, source and target, on the versions in range', () => {
    const env = run().environment;
    const step = { index: 1, name: '02 egress' };
    const cell = { from: 'a', to: 'b:80' };
    expect(entriesNaming([entry({ ...cell, step: 2 })], env, 'S', step, cell)).toHaveLength(1);
    expect(entriesNaming([entry({ ...cell, step: 'egress' })], env, 'S', step, cell)).toHaveLength(1);
    expect(entriesNaming([entry(cell)], env, 'S', step, cell)).toHaveLength(1);
    expect(entriesNaming([entry({ ...cell, step: 1 })], env, 'S', step, cell)).toEqual([]);
    expect(entriesNaming([entry({ ...cell, step: 'ingress' })], env, 'S', step, cell)).toEqual([]);
    expect(entriesNaming([entry({ ...cell, suite: 'T' })], env, 'S', step, cell)).toEqual([]);
    expect(entriesNaming([entry({ from: 'a', to: 'c:80' })], env, 'S', step, cell)).toEqual([]);
    expect(entriesNaming([entry({ ...cell, cilium: '<1.20.0' })], env, 'S', step, cell)).toEqual([]);
    // A range for a version the run does not know (the model knows no Kubernetes) never matches.
    expect(entriesNaming([entry({ ...cell, kubernetes: '>=1.0.0' })], { backend: 'model', netpolE2e: { version: '0.1.0' } }, 'S', step, cell)).toEqual([]);
  });

  it('marks the same cells known in a run and in a comparison, and finds the same entries stale', () => {
    const byStep = entry({ from: 'a', to: 'b:80', step: 'egress' });
    const passing = entry({ from: 'a', to: 'c:80' });
    const otherOutcome = entry({ from: 'a', to: 'b:80', step: 1 }, 'connect-timeout');
    const shapes = bothShapes(() => run(), [byStep, passing, otherOutcome]);
    expect(shapes.run).toEqual({ cells: ['2 / a -> b:80'], stale: [otherOutcome, passing], pass: false });
    expect(shapes.comparison).toEqual(shapes.run);
  });

  it('makes a run pass in both shapes when every failure is known, and in neither on other versions', () => {
    const known = [entry({ from: 'a', to: 'b:80' })];
    const shapes = bothShapes(() => run(), known);
    expect(shapes.run).toMatchObject({ cells: ['1 / a -> b:80', '2 / a -> b:80'], pass: true });
    expect(shapes.comparison).toEqual(shapes.run);
    const other = bothShapes(() => run('1.19.8'), known);
    expect(other.run).toEqual({ cells: [], stale: [], pass: false });
    expect(other.comparison).toEqual(other.run);
  });

  it('agrees between the shapes for any entries and cells', () => {
    const cells = fc.array(fc.record({ to: fc.constantFrom('b:80', 'c:80'), observed: fc.constantFrom('ok:200', 'connect-timeout', 'refused'), pass: fc.boolean() }), { minLength: 1, maxLength: 2 });
    const entries = fc.array(fc.record({ to: fc.constantFrom('b:80', 'c:80'), step: fc.constantFrom(undefined, 1, 2, 'step 2', 'step'), cilium: fc.constantFrom('1.20.x', '<1.20.0'), observed: fc.constantFrom('ok', 'denied', 'refused') }), {
      maxLength: 4,
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.uniqueArray(
            cells.chain((c) => fc.constant(c[0]!)),
            { selector: (c) => c.to, minLength: 1 },
          ),
          { minLength: 1, maxLength: 3 },
        ),
        entries,
        (steps, raw) => {
          const results = () =>
            resultsFile([
              suiteResult(
                'S',
                'suites/s.suite.yaml',
                steps.map((step, i) =>
                  stepResult(
                    i,
                    step.map((c) => cellResult('a', c.to, c.observed, c.pass)),
                  ),
                ),
              ),
            ]);
          const known = raw.map((e, i) => entry({ from: 'a', to: e.to, ...(e.step !== undefined && { step: e.step }), cilium: e.cilium, at: `known.yaml:${i * 8 + 1}` }, e.observed));
          // The suites project marks each step as it ends: the same cells as the whole run at once.
          const streamed = results();
          for (const step of streamed.suites[0]!.steps) markKnownInStep('S', step, streamed.environment, known);
          const shapes = bothShapes(results, known);
          expect(shapes.comparison).toEqual(shapes.run);
          expect(knownCells(streamed)).toEqual(shapes.run.cells);
        },
      ),
      { numRuns: 200 },
    );
  });
});
