// What goes in a results file (`run --json`, docs/results-json.md): the run's environment, its suites, the verdict,
// the stale known divergences and the cells not run by reason. Assembled here, beside the format, so that every
// writer (the CLI, the suites project, the rehearsal, the benchmark) writes the same file; report/json.ts writes it out.
import { RESULTS_FORMAT } from './format.ts';
import type { RunEnvironment, SuiteResult } from './result.ts';

export interface ResultsFile {
  format: typeof RESULTS_FORMAT;
  environment: RunEnvironment;
  backend: string;
  pass: boolean;
  suites: SuiteResult[];
  /** Known divergences (file:line) whose versions matched this run but whose cell no longer diverges. */
  staleKnown?: string[];
  /** How many cells the backend could not run, by the reason it gave (no SCTP in the nodes' kernel, ...); only when any. */
  notRunnable?: Record<string, number>;
}

/** The cells not run, counted by reason: what a run silently lost (SCTP on a kernel without it) shows as a number. */
export function notRunnableByReason(suites: readonly SuiteResult[]): Record<string, number> {
  // A Map: a reason read from a results file is any text, "__proto__" and "constructor" too.
  const counts = new Map<string, number>();
  for (const cell of suites.flatMap((s) => s.steps.flatMap((step) => step.cells))) if (cell.notRunnable !== undefined) counts.set(cell.notRunnable, (counts.get(cell.notRunnable) ?? 0) + 1);
  return Object.fromEntries(counts);
}

/** The results file of a run: it passes when every suite does; `staleKnown` and `notRunnable` only when any. */
export function resultsFileOf(environment: RunEnvironment, suites: SuiteResult[], staleKnown: string[] = []): ResultsFile {
  const notRunnable = notRunnableByReason(suites);
  return { format: RESULTS_FORMAT, environment, backend: environment.backend, pass: suites.every((s) => s.pass), suites, ...(staleKnown.length && { staleKnown }), ...(Object.keys(notRunnable).length && { notRunnable }) };
}
