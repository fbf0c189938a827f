// `netpol-e2e docs check`: tutorials in, verdicts on their claims out (docs/tutorials.md), through the run session.
import { judgeClaims, type DocsCheck } from '../tutorials/check/check.ts';
import { docsAnnotationsReporter, docsJsonReporter, docsSummaryReporter, docsTerminalReporter } from '../tutorials/check/reporters.ts';
import { extractTutorial } from '../tutorials/extract-tutorial.ts';
import { htmlReporter } from '../report/file-reporters.ts';
import type { Reporter } from '../report/reporter.ts';
import type { ClusterOptions } from '../session/cluster.ts';
import { runSession } from '../session/session.ts';
import type { Io } from '../report/io.ts';

export interface CheckOptions extends ClusterOptions {
  config?: string;
  offline?: boolean;
  json?: string;
  summary?: string;
  html?: string;
  allowNoClaims?: boolean;
  annotations?: boolean;
}

export async function docsCheckCommand(targets: string[], options: CheckOptions, io: Io): Promise<number> {
  // An empty GITHUB_STEP_SUMMARY (a job that unsets it so) names no file.
  const summary = options.summary ?? (io.env.GITHUB_STEP_SUMMARY || undefined);
  const reporters: Reporter<DocsCheck>[] = [docsTerminalReporter(io)];
  if (options.json !== undefined) reporters.push(docsJsonReporter(options.json));
  if (options.html !== undefined) reporters.push(htmlReporter(options.html, 'netpol-e2e docs check'));
  if (summary !== undefined) reporters.push(docsSummaryReporter(summary));
  if (options.annotations) reporters.push(docsAnnotationsReporter(io));
  // Every tutorial is read before a backend is touched: bad input stops there.
  const extracted: Awaited<ReturnType<typeof extractTutorial>>[] = [];
  const suites = async () => {
    for (const target of targets) extracted.push(await extractTutorial(target, options.config, options.offline));
    return extracted.map((e) => e.suite);
  };
  return runSession({ ...options, suites }, io, reporters, (result, i) => judgeClaims(extracted[i]!.extraction, result, { allowNoClaims: options.allowNoClaims ?? false }));
}
