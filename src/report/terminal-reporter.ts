// The terminal reporter of `run`: the pre-flight's warnings, the environment line and legend, each suite's matrices
// (printed in pieces a signal can cut short; a collapsible group per suite under GitHub Actions), stale known
// divergences, and the closing verdict with where the time went.
import pc from 'picocolors';
import type { SuiteResult } from '../results/result.ts';
import { environmentLine } from './environment.ts';
import { inert, workflowData } from './inert.ts';
import { writeLine, type Io } from './io.ts';
import { printReport } from './print-report.ts';
import type { Reporter } from './reporter.ts';
import { reportStale } from './stale-known.ts';
import { LEGEND, suiteLines, timingLine } from './terminal.ts';

export function terminalReporter(io: Io): Reporter<SuiteResult> {
  const groups = io.env.GITHUB_ACTIONS === 'true';
  return {
    planned({ warnings, contradicted }) {
      for (const warning of warnings) writeLine(io.stderr, pc.yellow(`warning: ${inert(warning)}`));
      if (contradicted.length) writeLine(io.stderr, `${pc.red('suite errors:')} ${contradicted.length} expectation(s) contradict the policy model\n${contradicted.map((c) => `  ${inert(c)}`).join('\n')}\n`);
    },
    begin: ({ environment, backendName }) => writeLine(io.stdout, `${inert(environmentLine(environment, backendName))}\n${LEGEND}\n`),
    suiteBegin(suite) {
      if (groups) io.stdout.write(`::group::${workflowData(suite.name)}\n`);
    },
    async suiteEnd(result, signal) {
      const cutShort = await printReport(io.stdout, suiteLines(result), signal);
      if (cutShort) writeLine(io.stdout, pc.red(`report cut short: ${(cutShort as Error).message}`));
      else if (groups) io.stdout.write('::endgroup::\n');
      return cutShort;
    },
    end: ({ stale }) => reportStale(io.stdout, stale),
    totals({ results, backendName, interrupted }) {
      const failed = results.filter((r) => !r.pass);
      const cells = results.reduce((n, r) => n + r.counts.cells, 0);
      const claims = results.reduce((n, r) => n + r.counts.claims, 0);
      writeLine(io.stdout, `${failed.length || interrupted ? pc.red('FAIL') : pc.green('PASS')}: ${results.length - failed.length}/${results.length} suites pass, ${cells} cells, ${claims} tutorial claims checked on backend ${backendName}`);
      writeLine(io.stdout, pc.dim(timingLine(results)));
    },
  };
}
