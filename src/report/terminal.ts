// The terminal report: per step a matrix (rows sources, columns targets), failures spelled out below it with the
// model's explanation, and a summary line per suite.
import pc from 'picocolors';
import type { CellResult, StepResult, SuiteResult } from '../results/result.ts';
import { gridLines } from './grid.ts';
import { inert, inertDeep } from './inert.ts';

export const LEGEND = `${pc.green('✓')} expectation holds   ${pc.red('✗')} expectation fails   ${pc.dim('·')} not asserted (shown as observed)   ${pc.yellow('≠')} model predicted otherwise   ${pc.dim('–')} not runnable on this backend   ${pc.yellow('?')} not predicted (the model does not simulate a field)   ${pc.yellow('~')} known divergence`;

function cellText(cell: CellResult): string {
  if (cell.notRunnable) return pc.dim('– not runnable');
  if (cell.observed === 'unpredicted') return pc.yellow('? not predicted');
  if (cell.known) return pc.yellow(`~ ${cell.observed} (known)`);
  const model = cell.unpredicted ? pc.yellow(' ? model') : cell.agreesWithModel ? '' : pc.yellow(` ≠ model ${cell.predicted}`);
  if (cell.expected === undefined) return (cell.pass ? pc.dim(`· ${cell.observed}`) : pc.red(`· ${cell.observed}`)) + model;
  if (cell.pass) return pc.green(`✓ ${cell.observed}`) + model;
  // Each line closes its own colour: the grid draws the lines of a cell side by side with other cells.
  return `${pc.red(`✗ ${cell.observed}`)}\n${pc.red(`  expected ${cell.expected}`)}${model}`;
}

/** A cell made inert as far as it is printed: a passing cell's own strings; a failing cell's explanation and evidence too. */
function inertCell(cell: CellResult): CellResult {
  if (!cell.pass) return inertDeep(cell);
  const copy = { ...cell } as Record<string, unknown>;
  for (const [key, value] of Object.entries(copy)) if (typeof value === 'string') copy[key] = inert(value);
  return copy as unknown as CellResult;
}

export function renderStep(raw: StepResult): string {
  return [...stepLines(raw)].join('\n');
}

/** A step's report, line by line (the matrix row by row): a printer gives the event loop its turns in between. */
function* stepLines(raw: StepResult): Generator<string> {
  // Copying every explanation of a large step only to leave it unprinted would cost more than the matrix.
  const step = { ...inertDeep({ ...raw, cells: [] }), cells: raw.cells.map(inertCell) };
  const seconds = (step.convergenceMs / 1000).toFixed(1);
  const convergence = step.enforcement === 'unconfirmed' ? [`settled by probing in ${seconds} s`] : step.convergenceMs >= 1 ? [`enforced in ${seconds} s`] : [];
  const details = [...step.actions, ...convergence];
  yield `${pc.bold(`Step ${step.index + 1}: ${step.name}`)}${details.length ? pc.dim(`  (${details.join('; ')})`) : ''}`;
  if (step.cells.length === 0) {
    yield `  ${pc.dim('no cells selected')}`;
    return;
  }
  const targets = [...new Set(step.cells.map((c) => c.to))];
  const sources = [...new Set(step.cells.map((c) => c.from))];
  const byPair = new Map(step.cells.map((c) => [`${c.from} -> ${c.to}`, c]));
  const rows = sources.map((from) => [
    pc.cyan(from),
    ...targets.map((to) => {
      const cell = byPair.get(`${from} -> ${to}`);
      return cell ? cellText(cell) : '';
    }),
  ]);
  yield* gridLines([[pc.dim('from \\ to'), ...targets.map((t) => pc.cyan(t))], ...rows]);
  for (const c of step.cells) if (!c.pass && c.observed !== 'unpredicted') yield renderFailure(c);
  for (const c of step.cells) if (c.unpredicted) yield pc.yellow(`  ? ${c.from} -> ${c.to} (line ${c.line}): not predicted: ${c.unpredicted}`);
  for (const c of step.cells) if (c.known) yield pc.yellow(`  ~ ${c.from} -> ${c.to} (line ${c.line}): ${c.observed}, expected ${c.expected ?? c.predicted}: a known divergence: ${c.known}`);
  for (const c of step.cells) if (c.notRunnable) yield pc.dim(`  – ${c.from} -> ${c.to} (line ${c.line}): not runnable here: ${c.notRunnable}`);
}

function renderFailure(cell: CellResult): string {
  const want = cell.expected ?? `${cell.predicted} (model)`;
  const lines = [
    pc.red(`  ✗ ${cell.from} -> ${cell.to} (line ${cell.line}${cell.claim ? `, claim ${cell.claim}` : ''})`),
    `      expected: ${want}`,
    `      observed: ${cell.observed}${cell.evidence ? pc.dim(`  [exit ${cell.evidence.exitCode}] ${cell.evidence.stderr || cell.evidence.stdout}`) : ''}`,
    `      model:    ${cell.predicted}`,
    ...(cell.unproven ? [pc.yellow(`      unproven: ${cell.unproven}`)] : []),
    ...cell.explanation.map((line) => pc.dim(`        ${line}`)),
    ...(cell.diagnostics?.length ? ['      datapath:', ...cell.diagnostics.map((line) => pc.dim(`        ${line}`))] : []),
  ];
  return lines.join('\n');
}

export function summaryLine(raw: SuiteResult): string {
  // Only these strings are printed: a copy of every cell would cost more than the whole report on a large step.
  const result = { ...raw, ...inertDeep({ name: raw.name, backend: raw.backend, error: raw.error }) };
  const { cells, asserted, claims, failed, execErrors, notRunnable, unpredicted } = result.counts;
  const verdict = result.pass ? pc.green('PASS') : pc.red('FAIL');
  let known = 0;
  for (const step of result.steps) for (const cell of step.cells) if (cell.known) known++;
  const errors =
    (execErrors ? `, ${execErrors} exec errors` : '') +
    (notRunnable ? `, ${notRunnable} not runnable on this backend` : '') +
    (unpredicted ? `, ${unpredicted} not predicted by the model` : '') +
    (known ? `, ${known} known divergence(s)` : '');
  return `${verdict} ${result.name}: ${result.steps.length} steps, ${cells} cells (${asserted} asserted, ${claims} tutorial claims), ${failed} failed${errors} [backend ${result.backend}]${result.error ? pc.red(`\n  stopped: ${result.error}`) : ''}`;
}

export function renderSuite(result: SuiteResult): string {
  return [...suiteLines(result)].join('\n');
}

/** A suite's report, line by line (a line may hold several, as a failure's explanation does). */
export function* suiteLines(result: SuiteResult): Generator<string> {
  // stepLines and summaryLine make their own text inert; the title and source are made so here.
  yield pc.bold(`━━ ${inert(result.name)}`) + pc.dim(`  ${inert(result.file)}`);
  if (result.source) yield pc.dim(inert(result.source.trim()));
  if (result.apps?.length) yield pc.dim(appsLine(result.apps));
  for (const step of result.steps) yield* stepLines(step);
  yield summaryLine(result);
  yield '';
}

/** Which file each app came from: a suite that meant its own copy sees when the built-in one was taken. */
export function appsLine(apps: NonNullable<SuiteResult['apps']>): string {
  return `apps: ${apps.map((a) => `${inert(a.name)} (${a.builtIn ? 'built-in, ' : ''}${inert(a.file)})`).join(', ')}`;
}

/** Where a run's time went, summed over every step: what a user reads to make a cluster job faster. */
export function timingLine(results: readonly SuiteResult[]): string {
  const total = { applyMs: 0, enforceMs: 0, probeMs: 0, settleMs: 0 };
  for (const step of results.flatMap((r) => r.steps)) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += step.timing[k];
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const all = total.applyMs + total.enforceMs + total.probeMs + total.settleMs;
  return `time: ${s(all)} in steps: ${s(total.applyMs)} applying, ${s(total.enforceMs)} waiting for enforcement, ${s(total.probeMs)} probing, ${s(total.settleMs)} probing until settled`;
}
