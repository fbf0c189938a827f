// Known divergences applied to results: a failing cell that an entry names, on versions its ranges include, with the
// outcome it says is seen there, is reported as known (not failed); an entry whose versions match but whose cell no
// longer diverges is stale, so that entries do not outlive their reason.
import semver from 'semver';
import { parseObservation, satisfies } from '../probe/outcome.ts';
import type { KnownDivergence } from './known-divergences.ts';
import type { CellResult, RunEnvironment, StepResult, SuiteResult } from './result.ts';

/** Whether the run's versions are inside the entry's ranges; a range for a version the run does not know never matches. */
function onVersions(entry: KnownDivergence, env: RunEnvironment): boolean {
  const inRange = (range: string | undefined, version: string | undefined) => range === undefined || (version !== undefined && semver.satisfies(semver.coerce(version) ?? '0.0.0', range));
  return inRange(entry.cilium, env.ciliumVersion) && inRange(entry.kubernetes, env.kubernetesVersion);
}

/**
 * The one matcher of entries to cells: the entries that name this cell (suite, step by number from 1 or part of its
 * name, source and target) on the run's versions. A run's steps as they end and the runs a comparison reads back
 * are both marked through it (markKnownInStep), so that one entry means one cell everywhere.
 */
export function entriesNaming(known: readonly KnownDivergence[], env: RunEnvironment, suite: string, step: Pick<StepResult, 'index' | 'name'>, cell: Pick<CellResult, 'from' | 'to'>): KnownDivergence[] {
  const stepMatches = (entry: KnownDivergence) => entry.step === undefined || (typeof entry.step === 'number' ? entry.step === step.index + 1 : step.name.includes(entry.step));
  return known.filter((e) => e.suite === suite && e.from === cell.from && e.to === cell.to && stepMatches(e) && onVersions(e, env));
}

/**
 * Marks the failing cells of one step that an entry on these versions explains (pass, `known`); returns the entries
 * that name a cell of the step, and which of them diverged, for stale reports.
 */
export function markKnownInStep(suite: string, step: StepResult, env: RunEnvironment, known: readonly KnownDivergence[]): { named: KnownDivergence[]; diverged: KnownDivergence[] } {
  const named: KnownDivergence[] = [];
  const diverged: KnownDivergence[] = [];
  for (const cell of step.cells) {
    for (const entry of entriesNaming(known, env, suite, step, cell)) {
      named.push(entry);
      const observed = parseObservation(cell.observed);
      if (cell.pass || !observed || !satisfies(entry.observed, observed)) continue;
      diverged.push(entry);
      cell.pass = true;
      cell.known = `${entry.why} (${entry.at})`;
    }
  }
  return { named, diverged };
}

/** Marks known divergences in the results (pass, `known`), recounts, and returns the stale entries. */
export function applyKnown(results: SuiteResult[], env: RunEnvironment, known: readonly KnownDivergence[]): KnownDivergence[] {
  const seen = new Set<KnownDivergence>();
  const diverged = new Set<KnownDivergence>();
  for (const suite of results) {
    for (const step of suite.steps) {
      const marked = markKnownInStep(suite.name, step, env, known);
      for (const e of marked.named) seen.add(e);
      for (const e of marked.diverged) diverged.add(e);
    }
    recount(suite);
  }
  return [...seen].filter((e) => !diverged.has(e));
}

/** A suite's failures counted again after its cells were marked known (step by step, as the run session does). */
export function recount(suite: SuiteResult): void {
  suite.counts.failed = suite.steps.flatMap((s) => s.cells).filter((c) => !c.pass).length;
  suite.pass = !suite.error && suite.counts.failed === 0;
}
