// `netpol-e2e compare`: results files side by side, regressions and fixes against a baseline.
import { reportStale } from './stale-known.ts';
import { applyKnownToRun, compareExitCode, compareMarkdown, compareRuns, readRun, renderComparison } from '../report/compare.ts';
import { compareHtml } from '../report/html.ts';
import { checkOutputPaths, writeText } from '../report/json.ts';
import { json } from '../report/inert.ts';
import { knownDivergencesFor } from '../results/known-divergences.ts';
import { writeLine, type Io } from './io.ts';

export async function compareCommand(files: string[], options: { baseline?: string; markdown?: string; json?: string; known?: string; html?: string }, io: Io): Promise<number> {
  await checkOutputPaths([options.markdown, options.json, options.html]);
  const runs = await Promise.all(files.map(readRun));
  const baseline = options.baseline === undefined ? undefined : await readRun(options.baseline);
  const known = await knownDivergencesFor(options.known);
  const stale = [...new Set([baseline, ...runs].flatMap((run) => (run ? applyKnownToRun(run, known) : [])))];
  const comparison = compareRuns(runs, baseline);
  reportStale(stale, io.stdout);
  writeLine(io.stdout, renderComparison(comparison));
  if (options.markdown) await writeText(options.markdown, compareMarkdown(comparison));
  if (options.json) await writeText(options.json, json(comparison));
  if (options.html) await writeText(options.html, compareHtml(comparison));
  return compareExitCode(comparison, runs);
}
