// The reporters that write files or workflow commands at the end of a run: the results file (docs/results-json.md),
// the HTML page, the JUnit file (report/junit.ts), the step summary, GitHub annotations, and every step's matrix for a step summary (the vitest suites
// project's). Each hands its file to the run's one writer (ReportFiles), which leaves it unwritten after a signal.
import path from 'node:path';
import { runAnnotations } from './annotations.ts';
import { versionsLabel } from '../results/versions-label.ts';
import { resultsHtml } from './html.ts';
import { inert } from './inert.ts';
import { writeLine, type Io } from './io.ts';
import { appendText, writeResults, writeText } from './json.ts';
import { junitChunks } from './junit.ts';
import type { Reporter } from './reporter.ts';
import { renderStep } from './terminal.ts';
import { runMarkdown } from './run-summary.ts';

/** Suite files named as GitHub names files: relative to the workspace the run starts in. */
const fileOf = (file: string) => path.relative(process.cwd(), file);

export function jsonReporter(file: string): Reporter<unknown> {
  return {
    output: file,
    end: ({ environment, results, stale }, files) =>
      files.write(file, (signal) =>
        writeResults(
          file,
          environment,
          results,
          stale.map((e) => e.at),
          signal,
        ),
      ),
  };
}

export function htmlReporter(file: string, title: string): Reporter<unknown> {
  return { output: file, end: ({ environment, results }, files) => files.write(file, (signal) => writeText(file, resultsHtml(title, environment, results), signal)) };
}

export function junitReporter(file: string): Reporter<unknown> {
  return { output: file, end: ({ environment, results }, files) => files.write(file, (signal) => writeText(file, junitChunks(environment, results, fileOf), signal)) };
}

export function summaryReporter(file: string): Reporter<unknown> {
  return { output: file, end: ({ environment, results }, files) => files.write(file, () => appendText(file, runMarkdown(environment, results, fileOf))) };
}

export function annotationsReporter(io: Io): Reporter<unknown> {
  return {
    end({ environment, results }) {
      for (const line of runAnnotations(results, versionsLabel(environment), fileOf)) writeLine(io.stdout, line);
    },
  };
}

/**
 * Every step's matrix as the run saw it, appended to `file` (the workflows point it at the step summary, where it is
 * fenced as code): the suite's name, inert, follows a mark of ours, so that no name starts a line (and closes the fence).
 */
export function stepMatricesReporter(file: string): Reporter<unknown> {
  const text: string[] = [];
  return {
    output: file,
    step: (suite, step) => void text.push(`━━ ${inert(suite.name)}\n${renderStep(step)}\n\n`),
    end: async (_run, files) => {
      if (text.length) await files.write(file, () => appendText(file, text.join('')));
    },
  };
}
