// `netpol-e2e docs extract|check`: tutorials in, suites and verdicts on their claims out (docs/tutorials.md).
import pc from 'picocolors';
import { checkDocs, type DocsCheck } from '../tutorials/check/check.ts';
import { appendSummary, checkAnnotations, findingLine, renderCheck, summaryText, writeCheckJson } from '../tutorials/check/report.ts';
import { extractTutorial } from '../tutorials/extract-tutorial.ts';
import { checkClusterOptions, chosenContext, openChosenCluster, type ClusterOptions } from './cluster-options.ts';
import { LeftBehind } from '../runner/left-behind.ts';
import { renderLeftBehind } from '../report/left-behind.ts';
import { runEnvironment } from './environment.ts';
import { environmentLine } from '../report/environment.ts';
import { inert } from '../report/inert.ts';
import { resultsHtml } from '../report/html.ts';
import { checkOutputPaths, writeText } from '../report/json.ts';
import { suiteYaml } from '../tutorials/extract/suite.ts';
import { interruptController, interruptedExitCode } from './interrupt.ts';
import { writeLine, type Io } from './io.ts';

export interface ExtractOptions {
  output?: string;
  config?: string;
  /** Read manifests the text applies from a URL from the cache only. */
  offline?: boolean;
}

export async function docsExtractCommand(target: string, options: ExtractOptions, io: Io): Promise<number> {
  await checkOutputPaths([options.output]);
  const { extraction: x, suite } = await extractTutorial(target, options.config, options.offline);
  const yaml = suiteYaml(x, suite);
  const claims = x.probes.flatMap((p) => p.claims.map((c) => ({ p, c })));
  // The suite goes to stdout when no file is named, so the listing goes to stderr.
  const say = (line: string) => writeLine(options.output ? io.stdout : io.stderr, line);
  for (const chapter of x.tutorial.chapters) {
    const mine = claims.filter(({ c }) => c.file === chapter.file);
    say(pc.bold(`${inert(chapter.file)}: ${mine.length} claim(s) (${chapter.mode === 'text' ? 'rendered text, read line by line' : 'markdown'})`));
    for (const { p, c } of mine) {
      // The tutorial's words and places, made inert (the colours stay).
      const [key, reason, why, file, command, problem] = [p.cell?.key, c.reason, c.why, c.file, p.command, p.problem].map((t) => inert(String(t ?? '')));
      const what = c.expect ? `${key} claims ${reason}` : pc.yellow(`not checkable: ${why}`);
      say(`  ${file}:${c.line}  ${p.problem ? pc.yellow(`${command}: not checkable: ${problem}`) : what}`);
    }
  }
  for (const f of x.findings) say(findingLine(f));
  say(`${claims.length} claim(s) in ${x.probes.length} probe(s), ${suite.steps.length} step(s); ${x.findings.filter((f) => f.severity !== 'warning').length} finding(s)`);
  if (options.output) await writeText(options.output, yaml);
  else io.stdout.write(yaml);
  return 0;
}

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
  const summary = options.summary ?? (process.env.GITHUB_STEP_SUMMARY || undefined);
  await checkOutputPaths([options.json, options.html, summary]);
  // Every tutorial is read before a backend is touched: bad input stops here.
  const extracted = [];
  for (const target of targets) extracted.push(await extractTutorial(target, options.config, options.offline));
  const cluster = await openChosenCluster(options, extracted.map((e) => e.suite));
  const environment = await runEnvironment(options.backend, cluster);
  console.log(inert(environmentLine(environment, cluster?.name ?? options.backend)));
  const controller = interruptController(io);
  const checks: DocsCheck[] = [];
  const leftBehind = new LeftBehind();
  for (const { extraction, suite } of extracted) {
    // An API server a cleanup could not reach would fail every tutorial after it the same way.
    if (controller.signal.aborted || leftBehind.unreachable) break;
    const check = await checkDocs(extraction, suite, cluster, { signal: controller.signal, settleTimeoutMs: options.settleTimeout * 1000, leftBehind }, { allowNoClaims: options.allowNoClaims ?? false });
    checks.push(check);
    console.log(renderCheck(check));
  }
  if (options.json) await writeCheckJson(options.json, environment, checks);
  if (options.html) await writeText(options.html, resultsHtml('netpol-e2e docs check', environment, checks.flatMap((c) => (c.result ? [c.result] : []))));
  if (summary) await appendSummary(summary, checks);
  if (options.annotations) for (const line of checks.flatMap(checkAnnotations)) console.log(line);
  const failed = checks.filter((c) => !c.pass);
  console.log(`${failed.length ? pc.red('FAIL') : pc.green('PASS')}: ${checks.length - failed.length}/${checks.length} tutorial(s) pass; ${summaryText(...checks)}`);
  const left = renderLeftBehind(leftBehind, chosenContext(options));
  if (left) console.error(pc.yellow(left));
  if (controller.signal.aborted) return interruptedExitCode(controller.signal);
  return failed.length || left ? 1 : 0;
}
