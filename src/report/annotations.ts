// GitHub workflow commands for a run's failures: an error annotation at the suite line of every failed cell, and one
// at the suite file of a suite that stopped early, so that a pull request shows them beside the lines they concern.
// Used by `run --annotations` (the GitHub Action) and by the e2e workflow's compare job (scripts/compare-e2e.ts).
import type { CellResult, StepResult, SuiteResult } from '../results/result.ts';
import { workflowData, workflowProperty } from './inert.ts';

/** `::error file=...,line=...,title=...::message`, escaped as the workflow commands want (inert.ts). */
export function errorAnnotation(file: string, line: number | undefined, title: string, message: string): string {
  return `::error file=${workflowProperty(file)},${line === undefined ? '' : `line=${line},`}title=${workflowProperty(title)}::${workflowData(message)}`;
}

export interface FailedCell {
  suite: SuiteResult;
  step: StepResult;
  cell: CellResult;
  /** What the annotation says: the suite, step, cell, and the observed, expected and predicted outcomes. */
  message: string;
}

/** Every failed cell of the suites, in order, with its message. */
export function failedCells(suites: readonly SuiteResult[]): FailedCell[] {
  return suites.flatMap((suite) =>
    suite.steps.flatMap((step) =>
      step.cells
        .filter((c) => !c.pass)
        .map((cell) => ({ suite, step, cell, message: `${suite.name} / step ${step.index + 1}: ${cell.from} -> ${cell.to} observed ${cell.observed}, expected ${cell.expected ?? cell.predicted} (model ${cell.predicted})` })),
    ),
  );
}

/**
 * The annotations of a run: each failed cell at its suite line, each suite that stopped early at its file. `fileOf`
 * says how a suite's file is named to GitHub (relative to the workspace, where the checkout is).
 */
export function runAnnotations(suites: readonly SuiteResult[], label: string, fileOf: (file: string) => string): string[] {
  const cells = failedCells(suites).map((f) => errorAnnotation(fileOf(f.suite.file), f.cell.line, `fails on ${label}`, f.message));
  const stopped = suites.filter((s) => s.error !== undefined).map((s) => errorAnnotation(fileOf(s.file), undefined, `stopped on ${label}`, `${s.name}: ${s.error}`));
  return [...stopped, ...cells];
}
