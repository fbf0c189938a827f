// One self-contained HTML file (no network requests: styles inline, no scripts): each step's matrix as a colored
// grid of expected, predicted and observed outcomes, the step's changes, and for each cell the model's explanation
// and the cluster's evidence, opened by a click (<details>). For compare, the cross-version grid.
import type { Comparison } from '../results/compare.ts';
import { cellLines } from './cell-lines.ts';
import { environmentLine } from './environment.ts';
import { html as escapeHtml } from './inert.ts';
import type { CellResult, RunEnvironment, StepResult, SuiteResult } from '../results/result.ts';

/** Lines of a pre-wrapped block: each escaped, their own newlines kept. */
const escapeLines = (lines: readonly string[]) => lines.map(escapeHtml).join('\n');

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d1d1f}
h1{font-size:20px}h2{font-size:17px;margin-top:32px}h3{font-size:15px;margin:20px 0 6px}
.env,.meta{color:#555}
table{border-collapse:collapse;margin:6px 0}
th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f3f3f3;font-weight:600}
td.pass{background:#e3f5e1}td.fail{background:#fbdada}td.shown{background:#f7f7f7}td.known{background:#fff3cd}td.notrunnable{background:#eee;color:#777}
td.differs{background:#fff3cd}td.regression{background:#fbdada}td.fix{background:#e3f5e1}
summary{cursor:pointer}
.why{font:12px/1.35 ui-monospace,monospace;white-space:pre-wrap;margin:4px 0 0;max-width:60ch}
.model{color:#8a5a00}
ul.actions{margin:2px 0 6px 18px;padding:0}
`;

function cellClass(cell: CellResult): string {
  if (cell.notRunnable) return 'notrunnable';
  if (cell.observed === 'unpredicted') return 'known';
  if (cell.known) return 'known';
  if (!cell.pass) return 'fail';
  return cell.expected === undefined ? 'shown' : 'pass';
}

function cellHtml(cell: CellResult): string {
  const mark = cell.notRunnable ? '–' : cell.observed === 'unpredicted' ? '?' : cell.known ? '~' : !cell.pass ? '✗' : cell.expected === undefined ? '·' : '✓';
  const lines = cellLines(cell);
  const model = cell.agreesWithModel ? '' : ` <span class="model">≠ model ${escapeHtml(cell.predicted)}</span>`;
  return `<td class="${cellClass(cell)}" data-cell="${escapeHtml(`${cell.from} -> ${cell.to}`)}"><details><summary>${mark} ${escapeHtml(cell.observed)}${model}</summary><div class="why">${escapeLines(lines)}</div></details></td>`;
}

function stepHtml(step: StepResult): string {
  const targets = [...new Set(step.cells.map((c) => c.to))];
  const sources = [...new Set(step.cells.map((c) => c.from))];
  // The first cell of each pair, as a search from the start finds it, in one pass (a step may hold 100,000).
  const byPair = new Map<string, Map<string, CellResult>>();
  for (const c of step.cells) {
    const row = byPair.get(c.from) ?? byPair.set(c.from, new Map()).get(c.from)!;
    if (!row.has(c.to)) row.set(c.to, c);
  }
  const rows = sources.map(
    (from) =>
      `<tr><th>${escapeHtml(from)}</th>${targets
        .map((to) => {
          const cell = byPair.get(from)!.get(to);
          return cell ? cellHtml(cell) : '<td></td>';
        })
        .join('')}</tr>`,
  );
  const { applyMs, enforceMs, probeMs, settleMs } = step.timing;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `<h3>Step ${step.index + 1}: ${escapeHtml(step.name)}</h3>`,
    step.actions.length ? `<ul class="actions">${step.actions.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>` : '',
    `<details class="policies"><summary>policies in force: ${step.policies?.length ?? 0}</summary><div class="why">${escapeLines(step.policies?.length ? step.policies : ['none: every pod allows everything'])}</div></details>`,
    `<div class="meta">enforcement ${step.enforcement}; apply ${s(applyMs)}, enforce ${s(enforceMs)}, probe ${s(probeMs)}, settle ${s(settleMs)}</div>`,
    step.cells.length ? `<table><tr><th>from \\ to</th>${targets.map((t) => `<th>${escapeHtml(t)}</th>`).join('')}</tr>${rows.join('')}</table>` : '<p class="meta">no cells selected</p>',
  ].join('\n');
}

function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>\n${body}\n</body></html>\n`;
}

export function resultsHtml(title: string, env: RunEnvironment, suites: readonly SuiteResult[]): string {
  const failed = suites.flatMap((s) => s.steps.flatMap((st) => st.cells)).filter((c) => !c.pass).length;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="env">${escapeHtml(environmentLine(env))}</p>`,
    `<p>${suites.filter((s) => s.pass).length}/${suites.length} suites pass, ${failed} failing cell(s). Click a cell for the model's explanation and the evidence.</p>`,
    // Failing suites first: they are what a reader opens the page for.
    ...[...suites]
      .sort((a, b) => Number(a.pass) - Number(b.pass))
      .map((s) =>
        [
          `<section class="suite" data-pass="${s.pass}"><h2>${s.pass ? 'PASS' : 'FAIL'} ${escapeHtml(s.name)}</h2>`,
          `<div class="meta">${escapeHtml(s.file)}${s.error ? ` · stopped: ${escapeHtml(s.error)}` : ''}</div>`,
          ...s.steps.map(stepHtml),
          '</section>',
        ].join('\n'),
      ),
  ];
  return page(title, body.join('\n'));
}

export function compareHtml(comparison: Comparison): string {
  const head = ['status', 'suite / step', 'cell', ...comparison.runs.map((r) => (r.file === comparison.baseline ? `${r.label} (baseline)` : r.label)), 'model'];
  const rows = comparison.cells.map(
    (c) =>
      `<tr><td class="${c.status}">${c.status}</td><td>${escapeHtml(`${c.suite} / ${c.step}`)}</td><td>${escapeHtml(`${c.from} -> ${c.to}`)}</td>${c.outcomes
        .map((o, i) => `<td class="${c.passes[i] === false ? 'fail' : 'pass'}">${escapeHtml(o)}</td>`)
        .join('')}<td>${escapeHtml(c.predicted)}</td></tr>`,
  );
  const body = [
    '<h1>netpol-e2e across versions</h1>',
    ...comparison.runs.map((r) => `<p class="env">${escapeHtml(r.label)}: ${escapeHtml(environmentLine(r))} (${escapeHtml(r.file)})</p>`),
    rows.length ? `<table><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>${rows.join('')}</table>` : '<p>No cell differs between the runs or from the model.</p>',
  ];
  return page('netpol-e2e across versions', body.join('\n'));
}
