// The reporters of `docs check`, heard from the run session as `run`'s are: each tutorial's claims by place in the
// text, the JSON of every verdict, the step summary, annotations at what fails, and the closing line.
import pc from 'picocolors';
import { environmentLine } from '../../report/environment.ts';
import { inert } from '../../report/inert.ts';
import { writeLine, type Io } from '../../report/io.ts';
import type { Reporter } from '../../report/reporter.ts';
import type { DocsCheck } from './check.ts';
import { appendSummary, checkAnnotations, renderCheck, summaryText, writeCheckJson } from './report.ts';

export function docsTerminalReporter(io: Io): Reporter<DocsCheck> {
  return {
    begin: ({ environment, backendName }) => writeLine(io.stdout, inert(environmentLine(environment, backendName))),
    suiteEnd: (check) => writeLine(io.stdout, renderCheck(check)),
    totals({ judged }) {
      const failed = judged.filter((c) => !c.pass);
      writeLine(io.stdout, `${failed.length ? pc.red('FAIL') : pc.green('PASS')}: ${judged.length - failed.length}/${judged.length} tutorial(s) pass; ${summaryText(...judged)}`);
    },
  };
}

export function docsJsonReporter(file: string): Reporter<DocsCheck> {
  return { output: file, end: ({ environment, judged }, files) => files.write(file, (signal) => writeCheckJson(file, environment, judged, signal)) };
}

export function docsSummaryReporter(file: string): Reporter<DocsCheck> {
  return { output: file, end: ({ judged }, files) => files.write(file, () => appendSummary(file, judged)) };
}

export function docsAnnotationsReporter(io: Io): Reporter<DocsCheck> {
  return {
    end({ judged }) {
      for (const line of judged.flatMap(checkAnnotations)) writeLine(io.stdout, line);
    },
  };
}
