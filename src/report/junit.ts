// A run as a JUnit XML file (`run --junit`), for CI test-report tools: GitLab's JUnit reports,
// dorny/test-reporter, mikepenz/action-junit-report, Jenkins. Elements and attributes are those of the schema these
// tools read: jenkinsci/xunit-plugin, src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd
// (testsuites > testsuite > properties, testcase > failure | error | skipped | system-out). Laid out as vitest's
// own JUnit reporter lays out its file (one <testsuite> per file, classname and file on each <testcase>, times in
// seconds).
//
// One <testcase> per cell, not per step: a cell is what a suite asserts, at its own line of the suite, so a tool
// annotates each failing expectation where it is written (mikepenz/action-junit-report's src/testParser.ts
// parseSuite takes the testcase's `file` and `line` before any stack trace; GitLab shows `file`); a cell not
// runnable on the backend is one <skipped> (a step is rarely all of one kind); and the counts are the run's own
// (cells, failed, not runnable). The name, "step / from -> to", with the suite's name as classname, is what
// `run --only` takes to run that cell again.
// A cell's probing is not timed alone: each cell carries an equal share of its step's time (applying, waiting
// for enforcement, probing), so that the cells' times add up to the suite's, as GitLab sums them.
import type { CellResult, RunEnvironment, StepResult, SuiteResult } from '../results/result.ts';
import { cellLines } from './cell-lines.ts';
import { xml } from './inert.ts';

const seconds = (ms: number) => (ms / 1000).toFixed(3);
const stepMs = ({ timing: t }: StepResult) => t.applyMs + t.enforceMs + t.probeMs + t.settleMs;

/** An element's attributes, every value escaped (our numbers as well: one path for all text). */
const attributes = (attrs: Record<string, string | number | undefined>) =>
  Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xml(String(v))}"`)
    .join('');

function counts(result: SuiteResult) {
  const cells = result.steps.flatMap((s) => s.cells);
  return { tests: cells.length + (result.error ? 1 : 0), failures: cells.filter((c) => !c.pass).length, errors: result.error ? 1 : 0, skipped: cells.filter((c) => c.notRunnable).length };
}

/** The JUnit file of a run, in pieces (report/json.ts' writeText writes them, stopped by a signal). */
export function* junitChunks(environment: RunEnvironment, results: readonly SuiteResult[], fileOf: (file: string) => string): Generator<string> {
  const all = results.map(counts);
  const sum = (k: keyof ReturnType<typeof counts>) => all.reduce((n, c) => n + c[k], 0);
  const time = seconds(results.flatMap((r) => r.steps).reduce((ms, s) => ms + stepMs(s), 0));
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites${attributes({ name: 'netpol-e2e run', tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), time })}>\n`;
  for (const [i, result] of results.entries()) yield* suiteElement(environment, result, all[i]!, fileOf(result.file));
  yield '</testsuites>\n';
}

function* suiteElement(environment: RunEnvironment, result: SuiteResult, count: ReturnType<typeof counts>, file: string): Generator<string> {
  const time = seconds(result.steps.reduce((ms, s) => ms + stepMs(s), 0));
  yield `  <testsuite${attributes({ name: result.name, ...count, time, file })}>\n`;
  yield `    <properties>\n${properties(environment, result)}    </properties>\n`;
  for (const step of result.steps) {
    const share = seconds(step.cells.length ? stepMs(step) / step.cells.length : 0);
    for (const cell of step.cells) yield testcase(result.name, step, cell, file, share);
  }
  if (result.error) yield `    <testcase${attributes({ name: 'suite stopped', classname: result.name, file })}>\n      <error${attributes({ message: result.error })}/>\n    </testcase>\n`;
  yield '  </testsuite>\n';
}

/** What the run ran on (the results file's environment) and on which backend the suite ran. */
function properties(environment: RunEnvironment, result: SuiteResult): string {
  const { netpolE2e, ...versions } = environment;
  const pairs: [string, string | undefined][] = [...Object.entries(versions), ['suiteBackend', result.backend], ['netpolE2e', netpolE2e.version], ['netpolE2eCommit', netpolE2e.commit]];
  return pairs
    .filter(([, v]) => v !== undefined)
    .map(([name, value]) => `      <property${attributes({ name, value })}/>\n`)
    .join('');
}

function testcase(suite: string, step: StepResult, cell: CellResult, file: string, time: string): string {
  const open = `    <testcase${attributes({ name: `${step.name} / ${cell.from} -> ${cell.to}`, classname: suite, file, line: cell.line, time })}`;
  if (cell.notRunnable) return `${open}>\n      <skipped${attributes({ message: `not runnable on this backend: ${cell.notRunnable}` })}/>\n    </testcase>\n`;
  if (cell.known) return `${open}>\n      <system-out>${xml(`a known divergence (${cell.observed}, expected ${cell.expected ?? cell.predicted}): ${cell.known}`)}</system-out>\n    </testcase>\n`;
  if (cell.pass) return `${open}/>\n`;
  const message = cell.observed === 'unpredicted' ? `not predicted: ${cell.unpredicted}` : cell.unproven ? `unproven: ${cell.unproven}` : `expected ${cell.expected ?? `${cell.predicted} (model)`}, observed ${cell.observed}`;
  return `${open}>\n      <failure${attributes({ message })}>${failureText(cell, file).map(xml).join('\n')}</failure>\n    </testcase>\n`;
}

/** The failure's text: which cell and where, then the cell in full (expected, predicted and observed outcome, the
 * evidence, the model's explanation, the datapath), as the HTML page shows it on a click. */
function failureText(cell: CellResult, file: string): string[] {
  return [`${cell.from} -> ${cell.to} at ${file}:${cell.line}`, ...cellLines(cell)];
}
