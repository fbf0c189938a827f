// The netpol-e2e command line. Exit codes: 0 every expectation holds (lint: no findings), 1 some failed (lint:
// findings), 2 bad input, 128 + the signal's number when interrupted (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).
import { Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { ModelBackend } from '../backends/model/model-backend.ts';
import { InputError } from '../input/input-error.ts';
import { lintSuite, setupPortFindings } from '../lint/lint.ts';
import { addClusterOptions, checkClusterOptions, chosenContext, openChosenCluster, type ClusterOptions } from './cluster-options.ts';
import { docsCheckCommand, docsExtractCommand } from './docs-command.ts';
import { runEnvironment } from './environment.ts';
import { applyKnownToRun, compareExitCode, compareMarkdown, compareRuns, readRun, renderComparison } from '../report/compare.ts';
import { compareHtml, resultsHtml } from '../report/html.ts';
import { checkOutputPaths, writeResults, writeText } from '../report/json.ts';
import { renderExplanation } from '../report/explain.ts';
import { environmentLine } from '../report/environment.ts';
import { inert, inertDeep, json } from '../report/inert.ts';
import { interruptController, interruptedExitCode } from './interrupt.ts';
import { LEGEND, renderSuite, timingLine } from '../report/terminal.ts';
import { KeptApps } from '../runner/kept-apps.ts';
import { LeftBehind } from '../runner/left-behind.ts';
import { renderLeftBehind } from '../report/left-behind.ts';
import { contradictions, predictSuite, type Predictions } from '../runner/predict.ts';
import { runSuite, unmatchedFilters } from '../runner/run-suite.ts';
import { discoverSuites } from '../suite/discover.ts';
import { KNOWN_DIVERGENCES_FILE, knownDivergencesFor, type KnownDivergence } from '../suite/known-divergences.ts';
import { checkSharedWorld, checkUniqueNames, loadSuite } from '../suite/load.ts';
import { applyKnown } from '../runner/known.ts';
import type { StepResult } from '../runner/result.ts';
import { Progress } from '../report/progress.ts';

interface RunCommandOptions extends ClusterOptions {
  only?: string[];
  json?: string;
  known?: string;
  html?: string;
}

function reportStale(raw: readonly KnownDivergence[]): void {
  for (const e of inertDeep(raw)) console.log(pc.yellow(`stale known divergence at ${e.at}: ${e.suite} / ${e.from} -> ${e.to} no longer diverges on these versions: remove the entry`));
}

async function runCommand(paths: string[], options: RunCommandOptions): Promise<number> {
  checkClusterOptions(options);
  await checkOutputPaths([options.json, options.html]);
  const files = await discoverSuites(paths.length ? paths : ['suites']);
  const suites = [];
  for (const file of files) suites.push(await loadSuite(file));
  checkUniqueNames(suites);
  checkSharedWorld(suites);
  const unmatched = unmatchedFilters(suites, options.only);
  if (unmatched.length) throw new InputError('--only', undefined, `${unmatched.map((f) => JSON.stringify(f)).join(', ')} matches no cell of the suites run (a cell is named "suite / step / from -> to")`);
  const known = await knownDivergencesFor(options.known);
  const controller = interruptController();
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
  for (const warning of unserved) console.error(pc.yellow(`warning: ${inert(warning)}`));
  // On the model these fail in the run below as well; a cluster backend is not touched by such a suite.
  const contradicted = suites.flatMap((suite, i) => contradictions(suite, predictions[i]!));
  if (contradicted.length) {
    console.error(`${pc.red('suite errors:')} ${contradicted.length} expectation(s) contradict the policy model\n${contradicted.map((c) => `  ${inert(c)}`).join('\n')}\n`);
    if (options.backend !== 'model') throw new InputError(contradicted[0]!.split(': ')[0]!, undefined, 'fix the suite or the model before running it on a cluster');
  }
  const cluster = await openChosenCluster(options, suites);


  const environment = await runEnvironment(options.backend, cluster);
  console.log(`${inert(environmentLine(environment, cluster?.name ?? options.backend))}\n${LEGEND}\n`);
  const results = [];
  const stale: KnownDivergence[] = [];
  // On a cluster, suites with the same apps share one deployment of them; the model starts afresh per suite.
  const keptApps = cluster && new KeptApps();
  const leftBehind = new LeftBehind();
  const progress = Progress.forProcess(cluster !== undefined);
  try {
    for (const [i, suite] of suites.entries()) {
      // An API server a cleanup could not reach would fail every suite after it the same way.
      if (controller.signal.aborted || leftBehind.unreachable) break;
      const backend = cluster ?? new ModelBackend(suite.world);
      process.stdout.write(progress.suiteStarts(suite.name, i, suites.length));
      const onStep = (step: StepResult, of: number) => progress.step(step, of);
      const result = await runSuite(suite, backend, predictions[i]!, { only: options.only, signal: controller.signal, settleTimeoutMs: options.settleTimeout * 1000, keptApps, leftBehind, onStep });
      stale.push(...applyKnown([result], environment, known));
      results.push(result);
      progress.clear();
      console.log(renderSuite(result));
      process.stdout.write(progress.suiteEnds());
    }
  } finally {
    if (cluster) await keptApps?.release(cluster, leftBehind);
  }
  reportStale(stale);
  if (options.json) await writeResults(options.json, environment, results, stale.map((e) => e.at));
  if (options.html) await writeText(options.html, resultsHtml('netpol-e2e run', environment, results));
  const failed = results.filter((r) => !r.pass);
  const cells = results.reduce((n, r) => n + r.counts.cells, 0);
  const claims = results.reduce((n, r) => n + r.counts.claims, 0);
  console.log(
    `${failed.length ? pc.red('FAIL') : pc.green('PASS')}: ${results.length - failed.length}/${results.length} suites pass, ${cells} cells, ${claims} tutorial claims checked on backend ${cluster?.name ?? options.backend}`,
  );
  console.log(pc.dim(timingLine(results)));
  const left = renderLeftBehind(leftBehind, chosenContext(options));
  if (left) console.error(pc.yellow(left));
  if (controller.signal.aborted) return interruptedExitCode(controller.signal);
  return failed.length || left ? 1 : 0;
}

async function compareCommand(files: string[], options: { baseline?: string; markdown?: string; json?: string; known?: string; html?: string }): Promise<number> {
  await checkOutputPaths([options.markdown, options.json, options.html]);
  const runs = await Promise.all(files.map(readRun));
  const baseline = options.baseline === undefined ? undefined : await readRun(options.baseline);
  const known = await knownDivergencesFor(options.known);
  const stale = [...new Set([baseline, ...runs].flatMap((run) => (run ? applyKnownToRun(run, known) : [])))];
  const comparison = compareRuns(runs, baseline);
  reportStale(stale);
  console.log(renderComparison(comparison));
  if (options.markdown) await writeText(options.markdown, compareMarkdown(comparison));
  if (options.json) await writeText(options.json, json(comparison));
  if (options.html) await writeText(options.html, compareHtml(comparison));
  return compareExitCode(comparison, runs);
}

async function explainCommand(file: string, options: { step?: string; cell?: string }): Promise<number> {
  const suite = await loadSuite(file);
  const predictions = await predictSuite(suite);
  let stepIndexes = suite.steps.map((_, i) => i);
  if (options.step !== undefined) {
    const wanted = options.step;
    const index = /^\d+$/.test(wanted) ? Number(wanted) - 1 : suite.steps.findIndex((s) => s.name.toLowerCase().includes(wanted.toLowerCase()));
    if (!suite.steps[index]) {
      throw new InputError(file, undefined, `no step "${wanted}" (steps: ${suite.steps.map((s, i) => `${i + 1} ${s.name}`).join('; ')})`);
    }
    stepIndexes = [index];
  }
  const out: string[] = [];
  for (const stepIndex of stepIndexes) {
    const step = suite.steps[stepIndex]!;
    let cells = step.cells.filter((c) => predictions.get(stepIndex)!.cells.has(c.key));
    if (options.cell !== undefined) {
      const wanted = options.cell.replace(/\s+/g, ' ').trim().toLowerCase();
      const cell = cells.find((c) => c.key.toLowerCase() === wanted) ?? cells.find((c) => c.key.toLowerCase().includes(wanted));
      if (!cell) {
        if (options.step === undefined) continue;
        throw new InputError(file, step.line, `step "${step.name}" has no cell "${options.cell}" (cells: ${step.cells.map((c) => c.key).join('; ')})`);
      }
      cells = [cell];
    }
    const prediction = predictions.get(stepIndex)!;
    const title = `${suite.name} / step ${stepIndex + 1}: ${step.name}`;
    for (const cell of cells) out.push(renderExplanation(title, prediction.policies, cell.key, prediction.cells.get(cell.key)!));
  }
  if (out.length === 0) throw new InputError(file, undefined, `no step has a cell "${options.cell}"`);
  console.log(out.join('\n\n'));
  return 0;
}

async function lintCommand(paths: string[]): Promise<number> {
  const files = await discoverSuites(paths.length ? paths : ['suites']);
  let count = 0;
  for (const file of files) {
    for (const f of inertDeep(await lintSuite(await loadSuite(file)))) {
      count++;
      console.log(`${f.file}${f.line ? `:${f.line}` : ''}: ${pc.yellow(f.rule)}: ${f.message}`);
    }
  }
  console.log(`${count ? pc.yellow(`${count} finding(s)`) : pc.green('no findings')} in ${files.length} suite(s)`);
  return count ? 1 : 0;
}

const program = new Command()
  .name('netpol-e2e')
  .description('Check Kubernetes network policy tutorials as probe matrices, on the embedded policy model or a cluster')
  .version('0.1.0')
  .showHelpAfterError();

addClusterOptions(program.command('run').description('run suites (files, or folders searched for *.suite.yaml; default: suites)').argument('[paths...]', 'suite files or folders'))
  .option('--only <filter...>', 'probe only cells whose "suite / step / from -> to" contains a filter')
  .option('--json <file>', 'write the results file (docs/results-json.md)')
  .option('--known <file>', `known divergences: cells that fail on some versions for a known reason (default ${KNOWN_DIVERGENCES_FILE} where it exists)`)
  .option('--html <file>', 'write one self-contained HTML report: every matrix, and each cell\'s explanation and evidence on click')
  .action(async (paths: string[], options) => {
    process.exitCode = await runCommand(paths, options);
  });

program
  .command('explain')
  .description('say, for every cell (or the ones chosen), which policy and rule allow or deny it on each side, and whom each policy selects')
  .argument('<suite>', 'suite file')
  .option('--step <step>', 'only this step: its number (1-based) or part of its name')
  .option('--cell <cell>', 'only this cell, e.g. "frontend -> backend:8080"', (v) => {
    if (!v.includes('->')) throw new InvalidArgumentError('write a cell as "source -> target"');
    return v;
  })
  .action(async (file: string, options) => {
    process.exitCode = await explainCommand(file, options);
  });

program
  .command('lint')
  .description('find policies that select no pod, rules that can never match, CIDR rules aimed at pods, steps that change nothing')
  .argument('[paths...]', 'suite files or folders (default: suites)')
  .action(async (paths: string[]) => {
    process.exitCode = await lintCommand(paths);
  });

program
  .command('compare')
  .description('put results files side by side (runs on several Cilium and Kubernetes versions): cells that differ, regressions and fixes against --baseline')
  .argument('<results...>', 'results files written by run --json')
  .option('--baseline <file>', 'the run to compare against: a cell that passed there and fails now is a regression')
  .option('--markdown <file>', 'write the table as markdown (a step summary)')
  .option('--json <file>', 'write the comparison (docs/results-json.md, "Comparing runs")')
  .option('--known <file>', `known divergences (default ${KNOWN_DIVERGENCES_FILE} where it exists)`)
  .option('--html <file>', 'write the cross-version grid as one self-contained HTML file')
  .action(async (files: string[], options: { baseline?: string; markdown?: string; json?: string; known?: string; html?: string }) => {
    process.exitCode = await compareCommand(files, options);
  });

const docs = program.command('docs').description('read tutorials (markdown or rendered text) into suites, and check every claim they make');

docs
  .command('extract')
  .description('write the suite a tutorial walks through: its changes, probes and the outputs it claims (to stdout, or -o)')
  .argument('<path>', 'a tutorial file, or a Hugo content folder')
  .option('-o, --output <file>', 'write the suite here instead of stdout')
  .option('--config <file>', 'docs config (default: <tutorial>.netpol-docs.yaml or netpol-docs.yaml beside it)')
  .option('--offline', 'never fetch a manifest the text applies from a URL: read it from the cache ($XDG_CACHE_HOME/netpol-e2e/manifests), else its claims are not checked')
  .action(async (target: string, options) => {
    process.exitCode = await docsExtractCommand(target, options);
  });

addClusterOptions(
  docs
    .command('check')
    .description("run each tutorial and report every claim: holds, contradicted (with the model's explanation) or not checkable; plus lint findings")
    .argument('<paths...>', 'tutorial files or Hugo content folders'),
)
  .option('--config <file>', 'docs config for every tutorial given (default: each one\'s <tutorial>.netpol-docs.yaml or netpol-docs.yaml beside it)')
  .option('--offline', 'never fetch a manifest the text applies from a URL: read it from the cache ($XDG_CACHE_HOME/netpol-e2e/manifests), else its claims are not checked')
  .option('--json <file>', 'write every claim with its verdict (docs/tutorials.md)')
  .option('--summary <file>', 'append a markdown summary (default: $GITHUB_STEP_SUMMARY when set)')
  .option('--html <file>', 'write one self-contained HTML report of the runs behind the claims')
  .option('--allow-no-claims', 'pass a tutorial in which no claim was found (by default it fails: nothing was checked)')
  .action(async (targets: string[], options) => {
    process.exitCode = await docsCheckCommand(targets, options);
  });

// A usage error is bad input (exit 2) under every subcommand too: commander copies exitOverride only into commands
// created after it is set, so each command gets it here.
const usageExit = (e: { exitCode: number }) => process.exit(e.exitCode === 0 ? 0 : 2);
const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap((c) => everyCommand(c as Command))];
for (const command of everyCommand(program)) command.exitOverride(usageExit).showHelpAfterError();

// A reader that stops reading (`| head`), or a terminal that is gone (SIGHUP: EIO), is no failure: the rest of the
// output is dropped, and a cluster run still goes on to its end, so that whatever it changed is undone. Output that
// cannot be written for another reason (a full disk: `>/dev/full` is ENOSPC) is said in one line, not a stack trace;
// the run still goes on to its end, and ends in exit 1 unless it had a worse code of its own.
let lostOutput = false;
for (const [stream, name] of [[process.stdout, 'standard output'], [process.stderr, 'standard error']] as const) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'EIO' || lostOutput) return;
    lostOutput = true;
    if (stream !== process.stderr) process.stderr.write(`${pc.red('error:')} cannot write to ${name}: ${inert(e.message)}; the rest of the output is lost\n`);
  });
}
process.on('exit', () => {
  if (lostOutput && !process.exitCode) process.exitCode = 1;
});

try {
  await program.parseAsync();
} catch (e) {
  if (e instanceof InputError) {
    console.error(`${pc.red('error:')} ${inert(e.message)}`);
    process.exitCode = 2;
  } else {
    // Not the user's input: a fault of netpol-e2e or of its surroundings. One line, unless asked for the stack.
    console.error(`${pc.red('error:')} ${inert((e as Error).message ?? String(e))}${process.env.NETPOL_E2E_DEBUG ? `\n${(e as Error).stack ?? ''}` : ' (NETPOL_E2E_DEBUG=1 shows where)'}`);
    process.exitCode = 1;
  }
}
