// `run --summary FILE`: the run as markdown for a CI step summary (GitHub's $GITHUB_STEP_SUMMARY): one row per suite,
// then the failed cells at their suite lines (the same messages as the annotations), then the cells not run by reason.
import type { RunEnvironment, SuiteResult } from '../results/result.ts';
import { failedCells } from './annotations.ts';
import { environmentLine } from './environment.ts';
import { markdown } from './inert.ts';
import { notRunnableByReason } from '../results/results-file.ts';

/** A step summary lists this many failed cells; the annotations and the results file have them all. */
const LISTED = 50;

export function runMarkdown(environment: RunEnvironment, suites: readonly SuiteResult[], fileOf: (file: string) => string): string {
  const failed = suites.filter((s) => !s.pass).length;
  const rows = suites.map((s) => `| ${s.pass ? '✅' : '❌'} | ${markdown(s.name)} | ${markdown(fileOf(s.file))} | ${s.counts.cells} | ${s.counts.failed} | ${s.counts.notRunnable} | ${markdown(s.error ?? '')} |`);
  const cells = failedCells(suites);
  const listed = cells.slice(0, LISTED).map((f) => `- ${markdown(`${fileOf(f.suite.file)}:${f.cell.line}`)}: ${markdown(f.message)}`);
  if (cells.length > LISTED) listed.push(`- and ${cells.length - LISTED} more (see the annotations and the results file)`);
  const notRun = Object.entries(notRunnableByReason(suites)).map(([reason, n]) => `- ${n} cell(s) not run: ${markdown(reason)}`);
  return [
    `### ${failed ? '❌' : '✅'} netpol-e2e run: ${suites.length - failed}/${suites.length} suites pass`,
    '',
    markdown(environmentLine(environment)),
    '',
    '| | suite | file | cells | failed | not run | stopped |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    ...(listed.length ? ['', '**Failed cells**', '', ...listed] : []),
    ...(notRun.length ? ['', ...notRun] : []),
    '',
  ].join('\n');
}
