// What a reporter hears of a run (session/session.ts tells it, as Playwright's runner tells its reporters): the
// suites planned, the run beginning on its backend, each suite and step, each suite's outcome, and the end. The
// terminal matrices, the live progress, the results file, the HTML page, the step summary and the annotations are
// each one reporter; the run's options choose them, and a multiplexer fans every event out to them in order.
import type { KnownDivergence } from '../results/known-divergences.ts';
import type { RunEnvironment, StepResult, SuiteResult } from '../results/result.ts';
import type { Suite } from '../suite/types.ts';

/** What the pre-flight found before any backend was touched: suites written by hand only. */
export interface Plan {
  /** Manifest ports the image does not serve, as "file:line: message". */
  warnings: string[];
  /** Expectations the model contradicts, as "file:line: ...". */
  contradicted: string[];
}

export interface RunBegin {
  environment: RunEnvironment;
  /** The cluster's name, or the backend's. */
  backendName: string;
  onCluster: boolean;
  suites: readonly Suite[];
}

/** Writes report files: the one place that does, so that a signal during the report leaves the rest unwritten. */
export interface ReportFiles {
  write(file: string, writing: (signal?: AbortSignal) => Promise<void>): Promise<void>;
}

export interface RunEnd<J> {
  environment: RunEnvironment;
  backendName: string;
  /** Every suite that ran, in order, and what the caller judged of each (for `run`, the same results). */
  results: SuiteResult[];
  judged: J[];
  /** Known divergences on these versions whose cells no longer diverge. */
  stale: KnownDivergence[];
  interrupted: boolean;
}

/** A reporter hears what it needs; `J` is what a suite's outcome is judged as (a SuiteResult, or a tutorial's check). */
export interface Reporter<J = SuiteResult> {
  /** The file it writes, checked before anything runs. */
  readonly output?: string;
  planned?(plan: Plan): void;
  begin?(run: RunBegin): void;
  suiteBegin?(suite: Suite, index: number, of: number): void;
  step?(suite: Suite, step: StepResult, of: number): void;
  /** A suite ran; a reason returned (the signal's, while its report was printed) cuts the run's report short. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a reporter that prints nothing returns nothing, as a void method does
  suiteEnd?(judged: J, signal?: AbortSignal): Promise<unknown> | void;
  /** The run ended: files to write go through `files`. */
  end?(run: RunEnd<J>, files: ReportFiles): Promise<void> | void;
  /** After every reporter's end: the closing lines. */
  totals?(run: RunEnd<J>): void;
}

/** Fans each event out to every reporter, in their order. */
export class Reporters<J> implements Reporter<J> {
  constructor(private readonly reporters: readonly Reporter<J>[]) {}

  get outputs(): (string | undefined)[] {
    return this.reporters.map((r) => r.output);
  }

  planned(plan: Plan): void {
    for (const r of this.reporters) r.planned?.(plan);
  }

  begin(run: RunBegin): void {
    for (const r of this.reporters) r.begin?.(run);
  }

  suiteBegin(suite: Suite, index: number, of: number): void {
    for (const r of this.reporters) r.suiteBegin?.(suite, index, of);
  }

  step(suite: Suite, step: StepResult, of: number): void {
    for (const r of this.reporters) r.step?.(suite, step, of);
  }

  async suiteEnd(judged: J, signal?: AbortSignal): Promise<unknown> {
    for (const r of this.reporters) {
      const cutShort = await r.suiteEnd?.(judged, signal);
      if (cutShort) return cutShort;
    }
    return undefined;
  }

  async end(run: RunEnd<J>, files: ReportFiles): Promise<void> {
    for (const r of this.reporters) await r.end?.(run, files);
  }

  totals(run: RunEnd<J>): void {
    for (const r of this.reporters) r.totals?.(run);
  }
}
