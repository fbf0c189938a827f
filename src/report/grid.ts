// A bordered table of plain rows (no spans), drawn as cli-table3 draws the step matrices with their options (a head
// row, no lines between rows, one space of padding, left-aligned), in time linear in its cells. cli-table3 lays out
// every table for row and column spans, scanning all earlier rows for each cell: a step of 100,000 cells took minutes
// to print there.
import { createRequire } from 'node:module';

// The width measure cli-table3 itself uses (its string-width: wide and emoji characters count two columns), so that
// a matrix is as wide as before and as the other tables.
const cliTable3 = createRequire(import.meta.url).resolve('cli-table3');
const stringWidth = createRequire(cliTable3)('string-width') as (text: string) => number;

const SGR = /\u001b\[(?:\d*;){0,5}\d*m/g;
const width = (line: string) => stringWidth(line.replace(SGR, ''));

/**
 * Rows of cells (the first row the head); a cell may hold several lines, each closing its own colours. Every row has
 * as many cells as the head. `rules` draws a line between every two rows, as cli-table3 does by default.
 */
export function renderGrid(rows: readonly (readonly string[])[], options: { rules?: boolean } = {}): string {
  return [...gridLines(rows, options)].join('\n');
}

/** renderGrid's lines, one at a time once the column widths are known. */
export function* gridLines(rows: readonly (readonly string[])[], options: { rules?: boolean } = {}): Generator<string> {
  // A matrix repeats a handful of texts: each is measured once.
  const widthOf = new Map<string, number>();
  const measure = (line: string) => {
    let w = widthOf.get(line);
    if (w === undefined) widthOf.set(line, (w = width(line)));
    return w;
  };
  const lines = rows.map((row) => row.map((cell) => cell.split('\n')));
  const widths: number[] = [];
  for (const row of lines) row.forEach((cell, x) => (widths[x] = Math.max(widths[x] ?? 0, ...cell.map(measure))));
  const rule = (left: string, mid: string, right: string) => `${left}${widths.map((w) => '─'.repeat(w + 2)).join(mid)}${right}`;
  yield rule('┌', '┬', '┐');
  for (const [index, row] of lines.entries()) {
    if (index > 0 && options.rules) yield rule('├', '┼', '┤');
    const height = Math.max(...row.map((cell) => cell.length));
    for (let y = 0; y < height; y++) {
      yield `│${row.map((cell, x) => ` ${cell[y] ?? ''}${' '.repeat(widths[x]! - measure(cell[y] ?? ''))} `).join('│')}│`;
    }
  }
  yield rule('└', '┴', '┘');
}
