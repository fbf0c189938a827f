// `netpol-e2e docs check`: tutorials in, verdicts on their claims out (docs/tutorials.md); `docs extract` is in
// docs-extract-command.ts.
import pc from 'picocolors';
import { checkDocs, type DocsCheck } from '../tutorials/check/check.ts';
import { appendSummary, checkAnnotations, renderCheck, summaryText, writeCheckJson } from '../tutorials/check/report.ts';
import { extractTutorial } from '../tutorials/extract-tutorial.ts';
import { checkClusterOptions, chosenContext, openChosenCluster, type ClusterOptions } from './cluster-options.ts';
import { LeftBehind } from '../runner/left-behind.ts';
import { renderLeftBehind } from '../report/left-behind.ts';
import { runEnvironment } from './environment.ts';
import { environmentLine } from '../report/environment.ts';
import { inert } from '../report/inert.ts';
import { resultsHtml } from '../report/html.ts';
import { checkOutputPaths, writeText } from '../report/json.ts';
import { interruptController, interruptedExitCode } from './interrupt.ts';
import { writeLine, type Io } from './io.ts';

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
  checkClusterOptions(options);
  // An empty GITHUB_STEP_SUMMARY (a job that unsets it so) names no file.
  const summary = options.summary ?? (io.env.GITHUB_STEP_SUMMARY || undefined);
  await checkOutputPaths([options.json, options.html, summary]);
  // Every tutorial is read before a backend is touched: bad input stops here.
  const extracted = [];
  for (const target of targets) extracted.push(await extractTutorial(target, options.config, options.offline));
  const cluster = await openChosenCluster(options, extracted.map((e) => e.suite), io.env);
  const environment = await runEnvironment(options.backend, cluster);
  writeLine(io.stdout, inert(environmentLine(environment, cluster?.name ?? options.backend)));
  const controller = interruptController(io);
  try {
    const checks: DocsCheck[] = [];
    const leftBehind = new LeftBehind();
    for (const { extraction, suite } of extracted) {
      // An API server a cleanup could not reach would fail every tutorial after it the same way.
      if (controller.signal.aborted || leftBehind.unreachable) break;
      const check = await checkDocs(extraction, suite, cluster, { signal: controller.signal, settleTimeoutMs: options.settleTimeout * 1000, leftBehind }, { allowNoClaims: options.allowNoClaims ?? false });
      checks.push(check);
      writeLine(io.stdout, renderCheck(check));
    }
    if (options.json) await writeCheckJson(options.json, environment, checks);
    if (options.html) await writeText(options.html, resultsHtml('netpol-e2e docs check', environment, checks.flatMap((c) => (c.result ? [c.result] : []))));
    if (summary) await appendSummary(summary, checks);
    if (options.annotations) for (const line of checks.flatMap(checkAnnotations)) writeLine(io.stdout, line);
    const failed = checks.filter((c) => !c.pass);
    writeLine(io.stdout, `${failed.length ? pc.red('FAIL') : pc.green('PASS')}: ${checks.length - failed.length}/${checks.length} tutorial(s) pass; ${summaryText(...checks)}`);
    const left = renderLeftBehind(leftBehind, chosenContext(options));
    if (left) writeLine(io.stderr, pc.yellow(left));
    if (controller.signal.aborted) return interruptedExitCode(controller.signal);
    return failed.length || left ? 1 : 0;
  } finally {
    controller.release();
  }
}
