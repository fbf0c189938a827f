// The step matrix and compare's table are drawn by renderGrid, in time linear in its cells; each must look exactly as
// cli-table3 drew it with the options the report used (the matrix: no lines between rows; compare: cli-table3's
// default lines), for any text a cell can hold.
import Table from 'cli-table3';
import fc from 'fast-check';
import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
import { renderGrid } from '../../src/report/grid.ts';

// Colours on, whatever the terminal the tests run in.
const pc = picocolors.createColors(true);
const CHARS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function cliTable3(rows: string[][], rules = false): string {
  const table = new Table({ head: rows[0], style: { head: [], border: [] }, ...(rules ? {} : { chars: CHARS }) });
  table.push(...rows.slice(1));
  return table.toString();
}

const colours = [pc.red, pc.green, pc.dim, pc.cyan, pc.yellow, (s: string) => s];
const line = fc.tuple(fc.constantFrom(...colours), fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '✓', '✗', '·', '≠', '–', '界', '😀', 'é', ':', '/') })).map(([colour, text]) => colour(text));
// A cell's lines each close their own colour, as cellText writes them.
const cell = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));

describe('renderGrid', () => {
  it.each([false, true])('draws what cli-table3 draws, with colours, several lines in a cell and wide characters (lines between rows: %s)', (rules) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.infiniteStream(cell), (columns, rows, cells) => {
        const grid = Array.from({ length: rows + 1 }, () => Array.from({ length: columns }, () => cells.next().value));
        expect(renderGrid(grid, { rules })).toBe(cliTable3(grid, rules));
      }),
      { numRuns: 300 },
    );
  });

  it('draws a failing cell of two lines beside single-line cells', () => {
    const rows = [
      [pc.dim('from \\ to'), pc.cyan('x/a'), pc.cyan('x/b')],
      [pc.cyan('x/c'), `${pc.red('✗ ok')}\n${pc.red('  expected denied')}`, pc.green('✓ denied')],
    ];
    expect(renderGrid(rows)).toBe(cliTable3(rows));
  });
});
