// Results files made in memory, as run --json writes them (docs/results-json.md): for the tests of reading them.
import type { ResultsFile } from '../../src/results/results-file.ts';
import type { CellResult, StepResult, SuiteResult } from '../../src/results/result.ts';

export function cellResult(from: string, to: string, observed: string, pass: boolean, extra: Partial<CellResult> = {}): CellResult {
  return { from, to, predicted: 'ok:200', observed, pass, agreesWithModel: observed === 'ok:200', line: 10, explanation: [], ...extra };
}

export function stepResult(index: number, cells: CellResult[]): StepResult {
  return { index, name: `step ${index + 1}`, actions: [], convergenceMs: 0, enforcement: 'confirmed', timing: { applyMs: 1, enforceMs: 2, probeMs: 3, settleMs: 0 }, cells };
}

export function suiteResult(name: string, file: string, steps: StepResult[], error?: string): SuiteResult {
  const all = steps.flatMap((s) => s.cells);
  const failed = all.filter((c) => !c.pass).length;
  const counts = { cells: all.length, asserted: 0, claims: 0, failed, execErrors: 0, notRunnable: 0, unpredicted: 0 };
  return { name, file, backend: 'kind', steps, counts, pass: !error && failed === 0, ...(error !== undefined && { error }) };
}

export function resultsFile(suites: SuiteResult[], ciliumVersion = '1.20.2'): ResultsFile {
  const environment = { backend: 'kind', ciliumVersion, kubernetesVersion: 'v1.36.1', netpolE2e: { version: '0.1.0' } };
  return { format: 'netpol-e2e/results/v1', environment, backend: 'kind', pass: suites.every((s) => s.pass), suites };
}
