// `netpol-e2e docs extract|check`: tutorials in, suites and verdicts on their claims out (docs/tutorials.md).
import pc from 'picocolors';
import { judgeClaims, type DocsCheck } from '../tutorials/check/check.ts';
import { findingLine } from '../tutorials/check/report.ts';
import { docsAnnotationsReporter, docsJsonReporter, docsSummaryReporter, docsTerminalReporter } from '../tutorials/check/reporters.ts';
import { extractTutorial } from '../tutorials/extract-tutorial.ts';
import { htmlReporter } from '../report/file-reporters.ts';
import { inert } from '../report/inert.ts';
import { checkOutputPaths, writeText } from '../report/json.ts';
import type { Reporter } from '../report/reporter.ts';
import { suiteYaml } from '../tutorials/extract/suite.ts';
import type { ClusterOptions } from '../session/cluster.ts';
import { runSession } from '../session/session.ts';
import { writeLine, type Io } from '../report/io.ts';

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
