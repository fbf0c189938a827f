// A cell told in full as plain lines, for the reports that show it on demand rather than in a matrix: the HTML page
// (on a click) and the JUnit file (a failure's text). Each escapes the lines for its own format.
import type { CellResult } from '../results/result.ts';

export function cellLines(cell: CellResult): string[] {
  return [
    `expected: ${cell.expected ?? '(not asserted)'}`,
    `predicted: ${cell.predicted}`,
    `observed: ${cell.observed}`,
    ...(cell.claim ? [`claim: ${cell.claim}`] : []),
    `suite line: ${cell.line}`,
    ...(cell.unproven ? [`unproven: ${cell.unproven}`] : []),
    ...(cell.notRunnable ? [`not runnable: ${cell.notRunnable}`] : []),
    ...(cell.unpredicted ? [`not predicted: ${cell.unpredicted}`] : []),
    ...(cell.known ? [`known divergence: ${cell.known}`] : []),
    ...(cell.evidence ? [`evidence: ${cell.evidence.pod}: ${cell.evidence.command.join(' ')} → exit ${cell.evidence.exitCode} ${cell.evidence.stderr || cell.evidence.stdout}`] : []),
    'model:',
    ...cell.explanation.map((l) => `  ${l}`),
    ...(cell.diagnostics?.length ? ['datapath:', ...cell.diagnostics.map((l) => `  ${l}`)] : []),
  ];
}
