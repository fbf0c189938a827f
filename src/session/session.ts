// One run session (as Playwright's runner and vitest's startVitest): options and an Io in; the suites read and
// predicted before any backend is touched, the backend opened, each suite walked step by step with known
// divergences applied, and every event told to the reporters the options chose. `run`, `docs check` and the vitest
// suites project are its callers: the first two through `runSession`, the last step by step (`start`, one `it` per step).
import pc from 'picocolors';
import type { ClusterBackend } from '../backends/backend.ts';
import { ModelBackend } from '../backends/model/model-backend.ts';
import { InputError } from '../input/input-error.ts';
import { writeLine, type Io } from '../report/io.ts';
import { checkOutputPaths } from '../report/json.ts';
import { renderLeftBehind } from '../report/left-behind.ts';
import { Reporters, type Reporter, type RunEnd } from '../report/reporter.ts';
import { knownDivergencesFor, type KnownDivergence } from '../results/known-divergences.ts';
import { markKnownInStep, recount } from '../results/known.ts';
import type { RunEnvironment, StepResult, SuiteResult } from '../results/result.ts';
import { KeptApps } from '../runner/kept-apps.ts';
import { LeftBehind } from '../runner/left-behind.ts';
import { runToEnd, SuiteRun } from '../runner/run-suite.ts';
import type { Suite } from '../suite/types.ts';
import { checkClusterOptions, chosenContext, openChosenCluster, type ClusterOptions } from './cluster.ts';
import { runEnvironment } from './environment.ts';
import { interruptController, interruptedExitCode } from './interrupt.ts';
import { checkFilters, loadSuites, predictAll, preflight, type PlannedSuite } from './plan.ts';
import { ReportFileWriter } from './report-files.ts';

export interface SessionOptions extends ClusterOptions {
  /** Suite files or folders (searched for *.suite.yaml), or a reader of the suites (docs check reads tutorials). */
  suites: readonly string[] | (() => Promise<Suite[]>);
  /** Probe only cells whose "suite / step / from -> to" contains one of these. */
  only?: string[];
  /** Known divergences: the file named, else known-divergences.yaml in `dir` where it exists. Absent: none apply. */
  known?: { file?: string; dir?: string };
  /** Suites written by hand: warn of ports their images do not serve, name what the model contradicts, and keep a contradicted suite off a cluster. */
  preflight?: boolean;
}

/** The run was stopped (a signal) before any suite ran: the exit code says which. */
export class StoppedBeforeRun extends Error {
  constructor(readonly exitCode: number) {
    super('stopped before the run');
  }
}

export class Session<J extends { pass: boolean } = SuiteResult> {
  /** What ran, in order; with `runSession`, also what the caller judged of each. */
  readonly results: SuiteResult[] = [];
  readonly judged: J[] = [];
  readonly leftBehind = new LeftBehind();
  /** On a cluster, suites with the same apps share one deployment of them; the model starts afresh per suite. */
  private readonly keptApps: KeptApps | undefined;
  /** Known divergences that named a cell of this run, and those whose cell diverged as they say: the rest are stale. */
  private readonly named = new Set<KnownDivergence>();
  private readonly diverged = new Set<KnownDivergence>();
  private cutShort: unknown;

  private constructor(
    private readonly options: SessionOptions,
    private readonly io: Io,
    readonly reporters: Reporters<J>,
    readonly suites: readonly PlannedSuite[],
    readonly controller: ReturnType<typeof interruptController>,
    private readonly known: readonly KnownDivergence[],
    readonly cluster: ClusterBackend | undefined,
    readonly environment: RunEnvironment,
  ) {
    this.keptApps = cluster && new KeptApps();
  }

  /** The cluster's name, or the backend's. */
  get backendName(): string {
    return this.cluster?.name ?? this.options.backend;
  }

  /** Reads, predicts and (for suites written by hand) checks every suite, then opens the backend: the run begins. */
  static async open<J extends { pass: boolean } = SuiteResult>(options: SessionOptions, io: Io, chosen: readonly Reporter<J>[]): Promise<Session<J>> {
    const reporters = new Reporters(chosen);
    checkClusterOptions(options);
    await checkOutputPaths(reporters.outputs);
    const suites = typeof options.suites === 'function' ? await options.suites() : await loadSuites(options.suites);
    checkFilters(suites, options.only);
    const known = options.known ? await knownDivergencesFor(options.known.file, options.known.dir) : [];
    const controller = interruptController(io);
    try {
      const predictions = await predictAll(suites, controller.signal);
      if (!predictions) throw new StoppedBeforeRun(interruptedExitCode(controller.signal));
      const planned = suites.map((suite, i) => ({ suite, predictions: predictions[i]!, contradicted: [] }));
      if (options.preflight) {
        const plan = await preflight(planned);
        reporters.planned(plan);
        // On the model such suites fail in the run as well; a cluster is not touched by them.
        if (plan.contradicted.length && options.backend !== 'model') throw new InputError(plan.contradicted[0]!.split(': ')[0]!, undefined, 'fix the suite or the model before running it on a cluster');
      }
      const cluster = await openChosenCluster(options, suites, io.env);
      const session = new Session(options, io, reporters, planned, controller, known, cluster, await runEnvironment(options.backend, cluster));
      reporters.begin({ environment: session.environment, backendName: session.backendName, onCluster: cluster !== undefined, suites });
      return session;
    } catch (e) {
      controller.release();
      throw e;
    }
  }

  /** The run of suite `index`, step by step (vitest: one test per step); `finish` it, also when a step throws. */
  start(index: number): SuiteSession {
    const { suite, predictions } = this.suites[index]!;
    const { only, settleTimeout } = this.options;
    const run = new SuiteRun(suite, this.cluster ?? new ModelBackend(suite.world), predictions, {
      only,
      signal: this.controller.signal,
      ...(settleTimeout !== undefined && { settleTimeoutMs: settleTimeout * 1000 }),
      keptApps: this.keptApps,
      leftBehind: this.leftBehind,
    });
    this.reporters.suiteBegin(suite, index, this.suites.length);
    return new SuiteSession(suite, run, this);
  }

  /** A step ran: its failing cells that a known divergence on these versions explains are marked, and it is reported. */
  stepDone(suite: Suite, step: StepResult): void {
    const { named, diverged } = markKnownInStep(suite.name, step, this.environment, this.known);
    for (const e of named) this.named.add(e);
    for (const e of diverged) this.diverged.add(e);
    this.reporters.step(suite, step, suite.steps.length);
  }

  /** A suite ran: counted again after its known divergences, and kept for the report. */
  suiteDone(result: SuiteResult): void {
    recount(result);
    this.results.push(result);
  }

  /** Runs every suite in turn, each judged by `judge` and reported, until the end, a signal or a report cut short. */
  async walk(judge: (result: SuiteResult, index: number) => J): Promise<void> {
    try {
      for (const index of this.suites.keys()) {
        // An API server a cleanup could not reach would fail every suite after it the same way.
        if (this.controller.signal.aborted || this.leftBehind.unreachable) break;
        const judged = judge(await runToEnd(this.start(index)), index);
        this.judged.push(judged);
        this.cutShort = await this.reporters.suiteEnd(judged, ReportFileWriter.during(this.controller.signal));
        if (this.cutShort) break;
      }
    } finally {
      await this.close();
    }
  }

  /** Releases the apps kept for the next suite. */
  async close(): Promise<void> {
    if (this.cluster) await this.keptApps?.release(this.cluster, this.leftBehind);
  }

  /** The end of the run: reporters' files and closing lines, what was left behind; returns the exit code. */
  async end(): Promise<number> {
    try {
      const { signal } = this.controller;
      const run: RunEnd<J> = { environment: this.environment, backendName: this.backendName, results: this.results, judged: this.judged, stale: [...this.named].filter((e) => !this.diverged.has(e)), interrupted: signal.aborted };
      await this.reporters.end(run, new ReportFileWriter(this.io, signal, this.cutShort));
      this.reporters.totals(run);
      const left = renderLeftBehind(this.leftBehind, chosenContext(this.options));
      if (left) writeLine(this.io.stderr, pc.yellow(left));
      if (signal.aborted) return interruptedExitCode(signal);
      return this.judged.some((j) => !j.pass) || left ? 1 : 0;
    } finally {
      this.controller.release();
    }
  }
}

/** One suite's run in the session: its steps with known divergences marked and reported, then its result. */
export class SuiteSession {
  constructor(
    readonly suite: Suite,
    private readonly run: SuiteRun,
    private readonly session: Session<{ pass: boolean }>,
  ) {}

  async next(): Promise<StepResult | undefined> {
    const step = await this.run.next();
    if (step) this.session.stepDone(this.suite, step);
    return step;
  }

  /** Ends the walk (undoing what the suite did) and totals the run; `error` is why its steps stopped, if they did. */
  async finish(error?: string): Promise<SuiteResult> {
    const result = await this.run.finish(error);
    this.session.suiteDone(result);
    return result;
  }
}

/** A whole run: opened, walked and ended; returns the exit code (see cli/program.ts). */
export async function runSession<J extends { pass: boolean }>(options: SessionOptions, io: Io, reporters: readonly Reporter<J>[], judge: (result: SuiteResult, index: number) => J): Promise<number> {
  let session: Session<J>;
  try {
    session = await Session.open(options, io, reporters);
  } catch (e) {
    if (e instanceof StoppedBeforeRun) return e.exitCode;
    throw e;
  }
  try {
    await session.walk(judge);
  } catch (e) {
    session.controller.release();
    throw e;
  }
  return session.end();
}
