// `netpol-e2e docs extract`: the suite a tutorial's reading builds (docs/tutorials.md), with a listing of its claims.
import pc from 'picocolors';
import { findingLine } from '../tutorials/check/report.ts';
import { extractTutorial } from '../tutorials/extract-tutorial.ts';
import { suiteYaml } from '../tutorials/extract/suite.ts';
import { inert } from '../report/inert.ts';
import { checkOutputPaths, writeText } from '../report/json.ts';
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
