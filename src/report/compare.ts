// A comparison of runs (results/compare.ts) drawn: a table in the terminal, a markdown table for a step summary or
// a pull request comment.
import pc from 'picocolors';
import type { CellStatus, Comparison } from '../results/compare.ts';
import { renderGrid } from './grid.ts';
import { inertDeep, markdown } from './inert.ts';

/** A markdown table of the compared cells (a step summary, a PR comment). */
export function compareMarkdown(comparison: Comparison): string {
  const head = ['status', 'suite / step', 'cell', ...comparison.runs.map((r) => (r.file === comparison.baseline ? `${r.label} (baseline)` : r.label)), 'model'];
  const rows = comparison.cells.map((c) => [
    c.status,
    markdown(`${c.suite} / ${c.step}`),
    markdown(`${c.from} -> ${c.to}`),
    ...c.outcomes.map((o, i) => (c.passes[i] === false ? `**${markdown(o)}** ✗` : markdown(o))),
    markdown(c.predicted),
  ]);
  if (rows.length === 0) return `No cell differs between ${comparison.runs.map((r) => markdown(r.label)).join(', ')} or from the model.\n`;
  return [`| ${head.map(markdown).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`), ''].join('\n');
}

/** The terminal table: one row per compared cell, one column per run, failing observations in red. */
export function renderComparison(raw: Comparison): string {
  const comparison = inertDeep(raw);
  const title = pc.bold(`compare: ${comparison.runs.map((r) => (r.file === comparison.baseline ? `${r.label} (baseline)` : r.label)).join('  |  ')}`);
  if (comparison.cells.length === 0) return `${title}\n${pc.green(`no cell differs between the runs or from the model`)}`;
  const head = ['', 'suite / step', 'cell', ...comparison.runs.map((r) => pc.cyan(r.label)), 'model'];
  const mark: Record<CellStatus, string> = { regression: pc.red('regression'), fix: pc.green('fix'), differs: pc.yellow('differs'), known: pc.dim('known') };
  const rows = comparison.cells.map((c) => [mark[c.status], `${c.suite}\n${pc.dim(`step ${c.step}`)}`, `${c.from} -> ${c.to}`, ...c.outcomes.map((o, i) => (c.passes[i] === false ? pc.red(`✗ ${o}`) : o)), pc.dim(c.predicted)]);
  const n = (s: CellStatus) => comparison.cells.filter((c) => c.status === s).length;
  return `${title}\n${renderGrid([head, ...rows], { rules: true })}\n${n('regression')} regression(s), ${n('fix')} fix(es), ${n('differs')} other difference(s), ${n('known')} known divergence(s)`;
}
