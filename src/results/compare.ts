// Runs side by side: every cell whose observed outcome differs between runs (Cilium and Kubernetes versions) or from
// the model, labelled by each run's environment; against a baseline run, a cell that passed there and fails now is a
// regression, one that failed there and passes now a fix. The verdicts only: report/compare.ts renders them.
import { InputError } from '../input/input-error.ts';
import { COMPARE_FORMAT, readResultsFile, type ResultsFileData } from './format.ts';
import { applyKnown } from './known.ts';
import type { KnownDivergence } from './known-divergences.ts';
import type { CellResult, RunEnvironment } from './result.ts';
import type { ResultsFile } from './results-file.ts';
import { versionsLabel } from './versions-label.ts';

export interface Run {
  file: string;
  label: string;
  environment: RunEnvironment;
  results: ResultsFile;
}

export type CellStatus = 'regression' | 'fix' | 'differs' | 'known';

export interface ComparedCell {
  suite: string;
  /** The suite's file: two suites of one name are two suites. */
  file: string;
  step: string;
  from: string;
  to: string;
  /** The observed outcome in each run, in the order of the runs; "-" where the run did not probe the cell. */
  outcomes: string[];
  /** Whether the cell passed in each run. */
  passes: (boolean | undefined)[];
  predicted: string;
  status: CellStatus;
  /** The suite line of the expectation, and the tutorial line where a claim is cited. */
  line: number;
  claim?: string;
}

export interface Comparison {
  format: typeof COMPARE_FORMAT;
  runs: (RunEnvironment & { file: string; label: string })[];
  baseline?: string;
  cells: ComparedCell[];
}

/** A results file, validated against its format (results/format.ts): what it does not say is refused, not guessed. */
export async function readRun(file: string): Promise<Run> {
  return runOf(file, await readResultsFile(file));
}

/** A run of a validated results file. */
export function runOf(file: string, data: ResultsFileData): Run {
  // Results written before runs knew their environment name only their backend.
  const environment = data.environment ?? { backend: data.backend, netpolE2e: { version: 'unknown' } };
  const run: Run = { file, label: versionsLabel(environment), environment, results: { ...data, environment } };
  // The verdicts are the cells': a suite's or the file's `pass` that says otherwise is not believed.
  applyKnownToRun(run, []);
  return run;
}

/**
 * Known divergences applied to a run on its own versions (an entry for Cilium 1.19 leaves a failure on 1.20 a
 * failure), its verdict recounted; returns the stale entries.
 */
export function applyKnownToRun(run: Run, known: readonly KnownDivergence[]): KnownDivergence[] {
  const stale = applyKnown(run.results.suites, run.environment, known);
  run.results.pass = run.results.suites.every((s) => s.pass);
  return stale;
}

/** A suite is its file and its name: two suite files of one name in a run are two suites, neither hides the other. */
const suiteKey = (suite: { file: string; name: string }) => JSON.stringify([suite.file, suite.name]);
const key = (suite: { file: string; name: string }, step: number, cell: Pick<CellResult, 'from' | 'to'>) => JSON.stringify([suite.file, suite.name, step, cell.from, cell.to]);
const suiteName = (k: string) => {
  const [file, name] = JSON.parse(k) as [string, string];
  return `${JSON.stringify(name)} (${file})`;
};

/** The runs must hold the same suites: comparing other suite sets would report every cell as missing. */
function checkSameSuites(runs: readonly Run[]): void {
  const names = (run: Run) => new Set(run.results.suites.map(suiteKey));
  const first = names(runs[0]!);
  for (const run of runs.slice(1)) {
    const other = names(run);
    const missing = [...first].filter((n) => !other.has(n));
    const extra = [...other].filter((n) => !first.has(n));
    if (missing.length || extra.length) {
      const parts = [missing.length && `lacks ${missing.map(suiteName).join(', ')}`, extra.length && `has ${extra.map(suiteName).join(', ')} that ${runs[0]!.file} does not`].filter(Boolean);
      throw new InputError(run.file, undefined, `holds other suites than ${runs[0]!.file}: it ${parts.join(' and ')}`);
    }
  }
}

export function compareRuns(runs: readonly Run[], baseline?: Run): Comparison {
  if (runs.length + (baseline ? 1 : 0) < 2) throw new InputError('compare', undefined, 'give two or more results files (or one and --baseline)');
  const all = baseline ? [baseline, ...runs] : [...runs];
  checkSameSuites(all);
  // Per run, the suites that stopped early: a cell the baseline passed and such a run never probed was lost.
  const stopped = all.map((run) => new Set(run.results.suites.filter((s) => s.error !== undefined).map(suiteKey)));
  const cells = new Map<string, { suite: string; file: string; step: string; cell: CellResult; byRun: (CellResult | undefined)[] }>();
  all.forEach((run, r) => {
    for (const suite of run.results.suites) {
      for (const step of suite.steps) {
        for (const cell of step.cells) {
          const k = key(suite, step.index, cell);
          if (!cells.has(k)) cells.set(k, { suite: suite.name, file: suite.file, step: `${step.index + 1}: ${step.name}`, cell, byRun: [] });
          cells.get(k)!.byRun[r] = cell;
        }
      }
    }
  });
  const compared: ComparedCell[] = [];
  for (const { suite, file, step, cell, byRun } of cells.values()) {
    const observed = all.map((_, r) => byRun[r]?.observed ?? '-');
    const passes = all.map((_, r) => byRun[r]?.pass);
    // With a baseline, it is the first run; the others are judged against it.
    const others = passes.slice(1);
    const lost = all.slice(1).some((_, i) => byRun[i + 1] === undefined && stopped[i + 1]!.has(suiteKey({ file, name: suite })));
    let status: CellStatus | undefined;
    if (baseline && passes[0] === true && (others.some((p) => p === false) || lost)) status = 'regression';
    else if (baseline && passes[0] === false && others.every((p) => p !== false) && !lost) status = 'fix';
    else if (byRun.some((c) => c?.known)) status = 'known';
    else if (new Set(observed).size > 1 || byRun.some((c) => c && !c.agreesWithModel)) status = 'differs';
    if (!status) continue;
    compared.push({ suite, file, step, from: cell.from, to: cell.to, outcomes: observed, passes, predicted: cell.predicted, status, line: cell.line, ...(cell.claim && { claim: cell.claim }) });
  }
  const order: Record<CellStatus, number> = { regression: 0, fix: 1, differs: 2, known: 3 };
  compared.sort((a, b) => order[a.status] - order[b.status]);
  // Two runs of one environment (the model twice) are told apart by their file.
  const labels = all.map((r) => (all.filter((o) => o.label === r.label).length > 1 ? `${r.label} (${r.file})` : r.label));
  return { format: COMPARE_FORMAT, runs: all.map((r, i) => ({ ...r.environment, file: r.file, label: labels[i]! })), ...(baseline && { baseline: baseline.file }), cells: compared };
}

/** 0 no regression; 1 a regression, or without a baseline a cell that fails in some run. */
export function compareExitCode(comparison: Comparison, runs: readonly Run[]): number {
  if (comparison.baseline) return comparison.cells.some((c) => c.status === 'regression') ? 1 : 0;
  return runs.some((r) => !r.results.pass) ? 1 : 0;
}
