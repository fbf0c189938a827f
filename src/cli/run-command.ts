// `netpol-e2e run`: suites predicted on the model, then run on the chosen backend (the model unless told otherwise),
// suite by suite, with the matrices, the results file, the HTML report and the JUnit file: the run session, with the reporters the
// options ask for.
import { annotationsReporter, htmlReporter, jsonReporter, junitReporter, summaryReporter } from '../report/file-reporters.ts';
import type { Io } from '../report/io.ts';
import { progressReporter } from '../report/progress.ts';
import type { Reporter } from '../report/reporter.ts';
import { terminalReporter } from '../report/terminal-reporter.ts';
import type { SuiteResult } from '../results/result.ts';
import type { ClusterOptions } from '../session/cluster.ts';
import { runSession } from '../session/session.ts';

interface RunCommandOptions extends ClusterOptions {
  only?: string[];
  json?: string;
  known?: string;
  html?: string;
  junit?: string;
  summary?: string;
  annotations?: boolean;
}

export async function runCommand(paths: string[], options: RunCommandOptions, io: Io): Promise<number> {
  const reporters: Reporter<SuiteResult>[] = [progressReporter(io), terminalReporter(io)];
  if (options.json !== undefined) reporters.push(jsonReporter(options.json));
  if (options.html !== undefined) reporters.push(htmlReporter(options.html, 'netpol-e2e run'));
  if (options.junit !== undefined) reporters.push(junitReporter(options.junit));
  if (options.summary !== undefined) reporters.push(summaryReporter(options.summary));
  if (options.annotations) reporters.push(annotationsReporter(io));
  const session = { ...options, suites: paths.length ? paths : ['suites'], known: { file: options.known }, preflight: true };
  return runSession(session, io, reporters, (result) => result);
}
