// `netpol-e2e run`: suites predicted on the model, then run on the chosen backend (the model unless told otherwise),
// suite by suite, with the matrices, the results file and the HTML report.
import path from 'node:path';
import pc from 'picocolors';
import { ModelBackend } from '../backends/model/model-backend.ts';
import { InputError } from '../input/input-error.ts';
import { setupPortFindings } from '../lint/lint.ts';
import { checkClusterOptions, chosenContext, openChosenCluster, type ClusterOptions } from './cluster-options.ts';
import { runEnvironment } from './environment.ts';
import { reportStale } from './stale-known.ts';
import { resultsHtml } from '../report/html.ts';
import { appendText, checkOutputPaths, writeResults, writeText } from '../report/json.ts';
import { runAnnotations } from '../report/annotations.ts';
import { runMarkdown } from '../report/run-summary.ts';
import { environmentLine, versionsLabel } from '../report/environment.ts';
import { inert } from '../report/inert.ts';
import { interruptController, interruptedExitCode } from './interrupt.ts';
import { LEGEND, suiteLines, timingLine } from '../report/terminal.ts';
import { printReport } from './print-report.ts';
import { KeptApps } from '../runner/kept-apps.ts';
import { LeftBehind } from '../runner/left-behind.ts';
import { renderLeftBehind } from '../report/left-behind.ts';
import { contradictions, predictSuite, type Predictions } from '../runner/predict.ts';
import { runSuite, unmatchedFilters } from '../runner/run-suite.ts';
import { discoverSuites } from '../suite/discover.ts';
import { knownDivergencesFor, type KnownDivergence } from '../results/known-divergences.ts';
import { checkSharedWorld, checkUniqueNames, loadSuite } from '../suite/load.ts';
import { applyKnown } from '../results/known.ts';
import type { StepResult, SuiteResult } from '../results/result.ts';
import { Progress } from '../report/progress.ts';
import { writeLine, type Io } from './io.ts';

interface RunCommandOptions extends ClusterOptions {
  only?: string[];
  json?: string;
  known?: string;
  html?: string;
  summary?: string;
  annotations?: boolean;
}

export async function runCommand(paths: string[], options: RunCommandOptions, io: Io): Promise<number> {
  checkClusterOptions(options);
  await checkOutputPaths([options.json, options.html, options.summary]);
  const files = await discoverSuites(paths.length ? paths : ['suites']);
  const suites = [];
  for (const file of files) suites.push(await loadSuite(file));
  checkUniqueNames(suites);
  checkSharedWorld(suites);
  const unmatched = unmatchedFilters(suites, options.only);
  if (unmatched.length) throw new InputError('--only', undefined, `${unmatched.map((f) => JSON.stringify(f)).join(', ')} matches no cell of the suites run (a cell is named "suite / step / from -> to")`);
  const known = await knownDivergencesFor(options.known);
  const controller = interruptController(io);
  try {
    // Every suite is predicted before any backend is touched: bad input stops the run here.
    const predictions: Predictions[] = [];
    for (const suite of suites) {
      const predicted = await predictSuite(suite, controller.signal).catch((e: unknown) => {
        if (controller.signal.aborted) return undefined;
        throw e;
      });
      if (!predicted) return interruptedExitCode(controller.signal);
      predictions.push(predicted);
    }
    // A declared port its image does not listen on misleads the reader of a manifest; the model follows the image.
    const unserved = new Set((await Promise.all(suites.map(setupPortFindings))).flat().map((f) => `${f.file}:${f.line ?? '?'}: ${f.message}`));
    for (const warning of unserved) writeLine(io.stderr, pc.yellow(`warning: ${inert(warning)}`));
    // On the model these fail in the run below as well; a cluster backend is not touched by such a suite.
    const contradicted = suites.flatMap((suite, i) => contradictions(suite, predictions[i]!));
    if (contradicted.length) {
      writeLine(io.stderr, `${pc.red('suite errors:')} ${contradicted.length} expectation(s) contradict the policy model\n${contradicted.map((c) => `  ${inert(c)}`).join('\n')}\n`);
      if (options.backend !== 'model') throw new InputError(contradicted[0]!.split(': ')[0]!, undefined, 'fix the suite or the model before running it on a cluster');
    }
    const cluster = await openChosenCluster(options, suites, io.env);

    const environment = await runEnvironment(options.backend, cluster);
    writeLine(io.stdout, `${inert(environmentLine(environment, cluster?.name ?? options.backend))}\n${LEGEND}\n`);
    const results: SuiteResult[] = [];
    const stale: KnownDivergence[] = [];
    // On a cluster, suites with the same apps share one deployment of them; the model starts afresh per suite.
    const keptApps = cluster && new KeptApps();
    const leftBehind = new LeftBehind();
    const progress = Progress.forStream(io.stderr, io.env, cluster !== undefined);
    // A signal during the report cuts it short, and the files not yet written are not written; one that stopped the
    // run before its report began leaves the report of what ran to be printed and written.
    const during = () => (controller.signal.aborted ? undefined : controller.signal);
    let cutShort: unknown;
    try {
      for (const [i, suite] of suites.entries()) {
        // An API server a cleanup could not reach would fail every suite after it the same way.
        if (controller.signal.aborted || leftBehind.unreachable) break;
        const backend = cluster ?? new ModelBackend(suite.world);
        io.stdout.write(progress.suiteStarts(suite.name, i, suites.length));
        const onStep = (step: StepResult, of: number) => progress.step(step, of);
        const result = await runSuite(suite, backend, predictions[i]!, { only: options.only, signal: controller.signal, settleTimeoutMs: options.settleTimeout * 1000, keptApps, leftBehind, onStep });
        stale.push(...applyKnown([result], environment, known));
        results.push(result);
        progress.clear();
        cutShort = await printReport(io.stdout, suiteLines(result), during());
        if (cutShort) {
          writeLine(io.stdout, pc.red(`report cut short: ${(cutShort as Error).message}`));
          break;
        }
        io.stdout.write(progress.suiteEnds());
      }
    } finally {
      if (cluster) await keptApps?.release(cluster, leftBehind);
    }
    reportStale(stale, io.stdout);
    const write = async (file: string | undefined, writing: (signal?: AbortSignal) => Promise<void>) => {
      if (file === undefined) return;
      if (!cutShort) {
        cutShort = await writing(during()).then(
          () => undefined,
          (e: unknown) => {
            if (controller.signal.aborted) return e;
            throw e;
          },
        );
      }
      if (cutShort) writeLine(io.stderr, pc.yellow(`${inert(file)}: not written: ${(cutShort as Error).message}`));
    };
    await write(options.json, (signal) => writeResults(options.json!, environment, results, stale.map((e) => e.at), signal));
    await write(options.html, (signal) => writeText(options.html!, resultsHtml('netpol-e2e run', environment, results), signal));
    // Suite files named as GitHub names files: relative to the workspace the run starts in.
    const fileOf = (file: string) => path.relative(process.cwd(), file);
    await write(options.summary, () => appendText(options.summary!, runMarkdown(environment, results, fileOf)));
    if (options.annotations) for (const line of runAnnotations(results, versionsLabel(environment), fileOf)) writeLine(io.stdout, line);
    const failed = results.filter((r) => !r.pass);
    const cells = results.reduce((n, r) => n + r.counts.cells, 0);
    const claims = results.reduce((n, r) => n + r.counts.claims, 0);
    writeLine(
      io.stdout,
      `${failed.length || controller.signal.aborted ? pc.red('FAIL') : pc.green('PASS')}: ${results.length - failed.length}/${results.length} suites pass, ${cells} cells, ${claims} tutorial claims checked on backend ${cluster?.name ?? options.backend}`,
    );
    writeLine(io.stdout, pc.dim(timingLine(results)));
    const left = renderLeftBehind(leftBehind, chosenContext(options));
    if (left) writeLine(io.stderr, pc.yellow(left));
    if (controller.signal.aborted) return interruptedExitCode(controller.signal);
    return failed.length || left ? 1 : 0;
  } finally {
    controller.release();
  }
}
