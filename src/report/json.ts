// The JSON result file (docs/results-json.md).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunEnvironment, SuiteResult } from '../runner/result.ts';

export const RESULTS_FORMAT = 'netpol-e2e/results/v1';

export interface ResultsFile {
  format: typeof RESULTS_FORMAT;
  environment: RunEnvironment;
  backend: string;
  pass: boolean;
  suites: SuiteResult[];
  /** Known divergences (file:line) whose versions matched this run but whose cell no longer diverges. */
  staleKnown?: string[];
}

export async function writeResults(file: string, environment: RunEnvironment, suites: SuiteResult[], staleKnown: string[] = []): Promise<void> {
  const results: ResultsFile = { format: RESULTS_FORMAT, environment, backend: environment.backend, pass: suites.every((s) => s.pass), suites, ...(staleKnown.length && { staleKnown }) };
  await writeText(file, `${JSON.stringify(results, null, 2)}\n`);
}

/** Writes a report file, creating its folder. */
export async function writeText(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text);
}
