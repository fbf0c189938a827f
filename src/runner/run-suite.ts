// Runs a suite on a backend, one step at a time: every cell probed with the same command a cluster would run
// (one batch per source pod), classified in one place, compared with the suite's expectation and with the
// oracle's prediction. Where the backend cannot confirm enforcement, the step is probed until its matrix settles.
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import { TransportError, type ClusterBackend } from '../backends/backend.ts';
import { turn } from '../backends/event-loop.ts';
import { servedProtocols } from '../manifest/objects.ts';
import { formatTrace } from '../model/trace.ts';
import { classifyProbe, type Classification, type ExecResult } from '../probe/classify.ts';
import { agree, DENIED, formatExpectation, formatObservation, satisfies } from '../probe/outcome.ts';
import type { Suite } from '../suite/types.ts';
import type { KeptApps } from './kept-apps.ts';
import type { LeftBehind } from './left-behind.ts';
import { describePolicies, type Predictions, type StepPrediction } from './predict.ts';
import type { CellResult, StepResult, SuiteResult } from '../results/result.ts';
import { walkSuite, type ResolvedCell, type WalkedStep } from './walk.ts';

export interface RunOptions {
  /** Probe only cells whose "suite / step / from -> to" contains one of these (case-insensitive). */
  only?: string[];
  signal?: AbortSignal;
  /** How long to probe an unconfirmed step until it matches the model (default 60 s), and how often. */
  settleTimeoutMs?: number;
  settleIntervalMs?: number;
  /** Failing cells per step for which the backend is asked for evidence. */
  diagnoseLimit?: number;
  /** Keep a suite's apps for the next suite with the same setup (one backend across suites: a cluster). */
  keptApps?: KeptApps;
  /** The run's record of what its cleanups could not undo (by default, one per suite, told in its error only). */
  leftBehind?: LeftBehind;
  /** Told of each step as soon as it is done (progress on long runs). */
  onStep?: (step: StepResult, of: number) => void;
}

const EXEC_RETRIES = 2;
/** What a cell observes when the backend cannot run its probe at all. */
const NOT_RUNNABLE = 'not-runnable' as const;

/** Outcomes that show the source pod can reach something: a deny from that pod is then not a dead pod. */
const CONNECTED = new Set(['ok', 'refused']);

interface Observed {
  result: ExecResult;
  classification: Classification;
}

function selected(only: string[] | undefined, ...names: string[]): boolean {
  if (!only?.length) return true;
  const text = names.join(' / ').toLowerCase();
  return only.some((o) => text.includes(o.toLowerCase()));
}

/** Filters of `--only` that select no cell of any of these suites (a typo would otherwise pass an empty run). */
export function unmatchedFilters(suites: readonly Suite[], only: string[] | undefined): string[] {
  return (only ?? []).filter((o) => !suites.some((suite) => suite.steps.some((step) => step.cells.some((cell) => selected([o], suite.name, step.name, cell.key)))));
}

const notRunnable = (reason: string): Observed => ({ result: { exitCode: -1, stdout: '', stderr: '' }, classification: { outcome: NOT_RUNNABLE, reason } });

const execError = (message: string): Observed => {
  const result = { exitCode: -1, stdout: '', stderr: message };
  return { result, classification: { outcome: 'exec-error', reason: message } };
};

const unpredictedCell = (reason: string): Observed => ({ result: { exitCode: -1, stdout: '', stderr: '' }, classification: { outcome: 'unpredicted', reason } });

/** Probes every cell, one batch per source pod; a batch that never reached its pod is retried as a whole. */
async function probeCells(backend: ClusterBackend, cells: ResolvedCell[], timeoutMs: number, prediction: StepPrediction, signal?: AbortSignal): Promise<Map<ResolvedCell, Observed>> {
  const observed = new Map<ResolvedCell, Observed>();
  const batches = new Map<string, ResolvedCell[]>();
  for (const cell of cells) {
    const unpredicted = prediction.cells.get(cell.cell.key)?.unpredicted;
    if (cell.notRunnable) observed.set(cell, notRunnable(cell.notRunnable));
    else if (unpredicted && backend.observesPredictions) observed.set(cell, unpredictedCell(unpredicted));
    else if (!cell.pod || !cell.argv) observed.set(cell, execError(cell.problem ?? 'not probed'));
    else {
      const key = `${cell.pod.namespace}/${cell.pod.name}`;
      const batch = batches.get(key);
      if (batch) batch.push(cell);
      else batches.set(key, [cell]);
    }
  }
  await Promise.all(
    [...batches.values()].map(async (batch) => {
      const { pod } = batch[0]!;
      const argvs = batch.map((c) => c.argv!);
      try {
        // Only a transport failure is retried: the probes never ran, so a retry cannot turn a deny into a pass.
        const results = await pRetry(() => backend.probe(pod!, argvs, timeoutMs, signal), {
          retries: EXEC_RETRIES,
          minTimeout: 200,
          shouldRetry: ({ error }) => error instanceof TransportError,
        });
        for (const [i, cell] of batch.entries()) {
          await turn(signal);
          observed.set(cell, { result: results[i]!, classification: classifyProbe(cell.argv!, results[i]!) });
        }
      } catch (e) {
        for (const cell of batch) observed.set(cell, execError(`exec failed: ${(e as Error).message}`));
      }
    }),
  );
  // An interrupted step is abandoned, not reported with its unprobed cells as exec errors.
  signal?.throwIfAborted();
  return observed;
}

/** The suite's apps serve a protocol this backend's nodes lack (agnhost exits without SCTP): nothing can run. */
function setupBlocked(suite: Suite, backend: ClusterBackend): string | undefined {
  for (const protocol of servedProtocols(suite.setup.flatMap((a) => (a.kind === 'apply' ? a.objects : [])))) {
    const reason = backend.unprobeable?.({ scheme: protocol.toLowerCase(), host: '' });
    if (reason) return `the suite's apps serve ${protocol}, and ${reason}`;
  }
  return undefined;
}

/** A kind (or a field) the suite applies that this backend's cluster does not serve: nothing of the suite can run. */
async function kindBlocked(suite: Suite, backend: ClusterBackend, signal?: AbortSignal): Promise<string | undefined> {
  const actions = [...suite.setup, ...suite.steps.flatMap((s) => s.actions)];
  const objects = actions.flatMap((a) => (a.kind === 'apply' ? a.objects : []));
  const kinds = new Map(objects.map((o) => [`${o.apiVersion} ${o.kind}`, o] as const));
  for (const object of kinds.values()) {
    const reason = await backend.unservedKind?.(object.apiVersion, object.kind, signal);
    if (reason) return `the suite applies a ${object.kind}, and ${reason}`;
  }
  for (const object of objects) {
    const reason = await backend.unservedFields?.(object);
    if (reason) return `the suite applies ${object.kind} ${object.metadata.name}, and ${reason}`;
  }
  return undefined;
}

/** The suite switches Cilium's policy audit mode on, and this backend cannot: nothing of the suite can run. */
function auditBlocked(suite: Suite, backend: ClusterBackend): string | undefined {
  if (backend.setPolicyAudit) return undefined;
  const on = suite.steps.flatMap((s) => s.actions).find((a) => a.kind === 'policy-audit' && a.on);
  return on && `the suite switches Cilium's policy audit mode on (${on.what}, line ${on.line}), which the ${backend.name} backend does not do`;
}

export class SuiteRun {
  private readonly walker: AsyncGenerator<WalkedStep>;
  private readonly steps: StepResult[] = [];
  /** Sources (as the suite names them) that have reached something in this run. */
  private readonly connected = new Set<string>();
  private readonly timeoutMs: number;
  /** Why this backend cannot set the suite up at all (a protocol the nodes lack, a kind the API lacks); null until known. */
  private blocked: string | undefined | null = null;

  constructor(
    private readonly suite: Suite,
    private readonly backend: ClusterBackend,
    private readonly predictions: Predictions,
    private readonly options: RunOptions = {},
  ) {
    this.walker = walkSuite(suite, backend, options.signal, options.keptApps, options.leftBehind);
    this.timeoutMs = suite.connectTimeoutSeconds * 3000;
  }

  /** Performs the next step's actions and probes its cells; undefined when every step has run. */
  async next(): Promise<StepResult | undefined> {
    if (this.blocked === null) this.blocked = setupBlocked(this.suite, this.backend) ?? auditBlocked(this.suite, this.backend) ?? (await kindBlocked(this.suite, this.backend, this.options.signal));
    if (this.blocked) return this.notRunnableStep(this.blocked);
    const { value: walked, done } = await this.walker.next();
    if (done) return undefined;
    const prediction = this.predictions.get(walked.index);
    if (!prediction) throw new Error(`no prediction for step ${walked.index}`);
    const cells = walked.cells.filter(({ cell }) => {
      if (!prediction.cells.has(cell.key)) throw new Error(`no prediction for step ${walked.index} cell ${cell.key}`);
      return selected(this.options.only, this.suite.name, walked.step.name, cell.key);
    });
    const started = performance.now();
    let observed = await probeCells(this.backend, cells, this.timeoutMs, prediction, this.options.signal);
    const probeMs = performance.now() - started;
    if (walked.enforcement === 'unconfirmed') {
      const deadline = started + (this.options.settleTimeoutMs ?? 60_000);
      while (!this.settled(cells, observed, prediction) && performance.now() < deadline) {
        await sleep(this.options.settleIntervalMs ?? 2000, undefined, { signal: this.options.signal });
        observed = await probeCells(this.backend, cells, this.timeoutMs, prediction, this.options.signal);
      }
    }
    const settleMs = walked.enforcement === 'unconfirmed' ? performance.now() - started - probeMs : 0;
    const results: CellResult[] = [];
    for (const resolved of cells) {
      await turn(this.options.signal);
      results.push(this.cellResult(resolved, observed.get(resolved)!, prediction));
    }
    await this.diagnose(cells, results);
    const step: StepResult = {
      index: walked.index,
      name: walked.step.name,
      claim: walked.step.claim,
      actions: walked.step.actions.map((a) => a.what),
      convergenceMs: walked.convergenceMs + settleMs,
      enforcement: walked.enforcement,
      timing: { applyMs: walked.applyMs, enforceMs: walked.convergenceMs, probeMs, settleMs },
      policies: describePolicies(prediction.policies),
      cells: results,
    };
    this.steps.push(step);
    return step;
  }

  /** A step of a suite this backend cannot set up: every cell not runnable, nothing applied. */
  private notRunnableStep(reason: string): StepResult | undefined {
    const index = this.steps.length;
    const step = this.suite.steps[index];
    if (!step) return undefined;
    const prediction = this.predictions.get(index)!;
    const cells = step.cells.filter((cell) => !cell.optional && selected(this.options.only, this.suite.name, step.name, cell.key));
    const results = cells.map((cell) => this.cellResult({ cell, notRunnable: reason }, notRunnable(reason), prediction));
    const result: StepResult = {
      index,
      name: step.name,
      claim: step.claim,
      actions: step.actions.map((a) => a.what),
      convergenceMs: 0,
      enforcement: 'unconfirmed',
      timing: { applyMs: 0, enforceMs: 0, probeMs: 0, settleMs: 0 },
      policies: describePolicies(prediction.policies),
      cells: results,
    };
    this.steps.push(result);
    return result;
  }

  /**
   * Ends the walk (which undoes whatever the suite created or relabelled) and totals the run. A deny only counts
   * when the same source has shown in this run that it can connect; otherwise it proves nothing.
   */
  async finish(error?: string): Promise<SuiteResult> {
    try {
      await this.walker.return(undefined);
    } catch (e) {
      error ??= (e as Error).message;
    }
    const all = this.steps.flatMap((s) => s.cells);
    for (const cell of all) {
      if (cell.pass && DENIED.includes(cell.observed as (typeof DENIED)[number]) && !this.connected.has(cell.from)) {
        cell.pass = false;
        cell.unproven = `${cell.from} never connected anywhere in this run, so this deny could be a broken pod${this.options.only?.length ? ' (--only left out the cells that would show it can connect; select one of those too)' : ''}`;
      }
    }
    const counts = {
      cells: all.length,
      asserted: all.filter((c) => c.expected !== undefined).length,
      claims: all.filter((c) => c.claim !== undefined).length,
      failed: all.filter((c) => !c.pass).length,
      execErrors: all.filter((c) => c.observed === 'exec-error').length,
      notRunnable: all.filter((c) => c.notRunnable !== undefined).length,
      unpredicted: all.filter((c) => c.unpredicted !== undefined).length,
    };
    const { suite, backend } = this;
    return { name: suite.name, file: suite.file, source: suite.source, ...(suite.apps?.length && { apps: suite.apps }), backend: backend.name, steps: this.steps, counts, pass: !error && counts.failed === 0, error };
  }

  /** Every probed cell agrees with the model (a cell that could not be probed, or was not predicted, will not change by waiting). */
  private settled(cells: ResolvedCell[], observed: Map<ResolvedCell, Observed>, prediction: StepPrediction): boolean {
    return cells.every((c) => !c.argv || prediction.cells.get(c.cell.key)!.unpredicted !== undefined || agree(observed.get(c)!.classification, prediction.cells.get(c.cell.key)!.observation));
  }

  private cellResult(resolved: ResolvedCell, { result, classification }: Observed, prediction: StepPrediction): CellResult {
    const { cell, notRunnable } = resolved;
    const predicted = prediction.cells.get(cell.key)!;
    const { unpredicted, assumed } = predicted;
    // A probe that could not run says nothing either way: neither a pass nor a failure, nor a disagreement. A cell
    // the model does not predict has nothing to disagree with: its expectation alone judges it, where it was probed.
    const agreesWithModel = notRunnable !== undefined || unpredicted !== undefined || agree(classification, predicted.observation);
    const observedVerdict = classification.outcome !== 'exec-error' && classification.outcome !== 'unpredicted';
    const pass = notRunnable !== undefined || (observedVerdict && (cell.expect ? satisfies(cell.expect, classification) : agreesWithModel));
    const [fromText, toText] = cell.key.split(' -> ') as [string, string];
    if (CONNECTED.has(classification.outcome)) this.connected.add(fromText);
    return {
      from: fromText,
      to: toText,
      expected: cell.expect && formatExpectation(cell.expect),
      predicted: formatObservation(predicted.observation),
      observed: formatObservation(classification),
      pass,
      agreesWithModel,
      claim: cell.claim,
      line: cell.line,
      resolved: predicted.resolved,
      ...(notRunnable !== undefined && { notRunnable }),
      ...(unpredicted !== undefined && { unpredicted }),
      ...(assumed !== undefined && { assumed }),
      evidence: resolved.argv &&
        resolved.pod && {
          pod: `${resolved.pod.namespace}/${resolved.pod.name}`,
          command: resolved.argv ?? [],
          exitCode: result.exitCode,
          stderr: result.stderr.trim(),
          stdout: result.stdout.split(/\r?\n/)[0] ?? '',
          reason: classification.reason,
        },
      explanation: formatTrace(predicted.trace),
    };
  }

  private async diagnose(cells: ResolvedCell[], results: CellResult[]): Promise<void> {
    if (!this.backend.diagnose) return;
    const failing = results.map((r, i) => [r, cells[i]!] as const).filter(([r, c]) => !r.pass && c.pod);
    for (const [result, cell] of failing.slice(0, this.options.diagnoseLimit ?? 10)) {
      result.diagnostics = await this.backend.diagnose(cell.pod!, cell.address!, this.options.signal).catch((e: Error) => [`(no evidence: ${e.message})`]);
    }
  }
}

export async function runSuite(suite: Suite, backend: ClusterBackend, predictions: Predictions, options: RunOptions = {}): Promise<SuiteResult> {
  return runToEnd(new SuiteRun(suite, backend, predictions, options), (step) => options.onStep?.(step, suite.steps.length));
}

/** Runs the steps left of `run` (a SuiteRun, or the run session's form of one), then finishes it; an error ends the steps and is the suite's. */
export async function runToEnd(run: Pick<SuiteRun, 'next' | 'finish'>, onStep?: (step: StepResult) => void): Promise<SuiteResult> {
  let error: string | undefined;
  try {
    for (let step = await run.next(); step; step = await run.next()) onStep?.(step);
  } catch (e) {
    error = (e as Error).message;
  }
  return run.finish(error);
}
