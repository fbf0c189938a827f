// Before any backend is touched: the suites read, every one predicted on the model (bad input stops the run here,
// exit 2), and, for suites written by hand, what the pre-flight finds.
import { InputError } from '../input/input-error.ts';
import { setupPortFindings } from '../lint/lint.ts';
import type { Plan } from '../report/reporter.ts';
import { contradictions, predictSuite, type Predictions } from '../runner/predict.ts';
import { unmatchedFilters } from '../runner/run-suite.ts';
import { discoverSuites } from '../suite/discover.ts';
import { checkSharedWorld, checkUniqueNames, loadSuite } from '../suite/load.ts';
import type { Suite } from '../suite/types.ts';

export interface PlannedSuite {
  suite: Suite;
  predictions: Predictions;
  /** Its expectations the model contradicts ("file:line: ..."): empty where the pre-flight did not look. */
  contradicted: string[];
}

/** Suite files and the suites in folders, loaded, each name once in the run and one outside world for all. */
export async function loadSuites(paths: readonly string[]): Promise<Suite[]> {
  const suites = [];
  for (const file of await discoverSuites([...paths])) suites.push(await loadSuite(file));
  checkUniqueNames(suites);
  checkSharedWorld(suites);
  return suites;
}

export function checkFilters(suites: readonly Suite[], only: string[] | undefined): void {
  const unmatched = unmatchedFilters(suites, only);
  if (unmatched.length) throw new InputError('--only', undefined, `${unmatched.map((f) => JSON.stringify(f)).join(', ')} matches no cell of the suites run (a cell is named "suite / step / from -> to")`);
}

/** Every suite predicted; undefined when `signal` stopped it. */
export async function predictAll(suites: readonly Suite[], signal: AbortSignal): Promise<Predictions[] | undefined> {
  const predictions: Predictions[] = [];
  for (const suite of suites) {
    const predicted = await predictSuite(suite, signal).catch((e: unknown) => {
      if (signal.aborted) return undefined;
      throw e;
    });
    if (!predicted) return undefined;
    predictions.push(predicted);
  }
  return predictions;
}

/**
 * The pre-flight of suites written by hand: a declared port its image does not listen on misleads the reader of a
 * manifest (the model follows the image); an expectation the model contradicts fails on the model in the run too.
 */
export async function preflight(planned: readonly PlannedSuite[]): Promise<Plan> {
  const findings = (await Promise.all(planned.map(({ suite }) => setupPortFindings(suite)))).flat();
  for (const p of planned) p.contradicted = contradictions(p.suite, p.predictions);
  return { warnings: [...new Set(findings.map((f) => `${f.file}:${f.line ?? '?'}: ${f.message}`))], contradicted: planned.flatMap((p) => p.contradicted) };
}
