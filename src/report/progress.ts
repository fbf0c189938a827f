// Progress on long runs (a cluster run takes minutes). On a terminal: one live line (suite, step, cells, elapsed),
// rewritten in place on stderr. Elsewhere (CI logs): a line per step with where its time went. (The terminal
// reporter makes each suite's output a collapsible group under GitHub Actions.)
import pc from 'picocolors';
import type { StepResult } from '../results/result.ts';
import { inert } from './inert.ts';
import type { Io } from './io.ts';
import type { Reporter } from './reporter.ts';

export interface ProgressOptions {
  /** A terminal that shows the live line. */
  live: boolean;
  /** Without a live line: a line per step (worth it on a cluster, where steps take seconds). */
  perStep: boolean;
  write: (text: string) => void;
  now?: () => number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export class Progress {
  private readonly started: number;
  private cells = 0;
  private shown = false;
  /** "2/50 name" of the suite running. */
  private suite = '';

  constructor(private readonly options: ProgressOptions) {
    this.started = this.now();
  }

  /** On the command's stderr: live where it is a terminal (and not CI), a line per step on a cluster elsewhere. */
  static forIo(io: Io, onCluster: boolean): Progress {
    const live = (io.stderr as { isTTY?: boolean }).isTTY === true && !io.env.CI;
    return new Progress({ live, perStep: !live && onCluster, write: (t) => void io.stderr.write(t) });
  }

  private now(): number {
    return (this.options.now ?? performance.now.bind(performance))();
  }

  suiteStarts(name: string, index: number, of: number): void {
    this.clear();
    this.suite = `${index + 1}/${of} ${inert(name)}`;
  }

  step(step: StepResult, of: number): void {
    this.cells += step.cells.length;
    const { applyMs, enforceMs, probeMs, settleMs } = step.timing;
    if (this.options.live) {
      this.options.write(`\r\u001b[2K${pc.dim(`suite ${this.suite} · step ${step.index + 1}/${of} · ${this.cells} cells · ${seconds(this.now() - this.started)}`)}`);
      this.shown = true;
    } else if (this.options.perStep) {
      this.options.write(`  step ${step.index + 1}/${of} ${inert(step.name)}: ${step.cells.length} cells; apply ${seconds(applyMs)}, enforce ${seconds(enforceMs)}, probe ${seconds(probeMs)}, settle ${seconds(settleMs)}\n`);
    }
  }

  /** Takes the live line away before other output. */
  clear(): void {
    if (this.shown) this.options.write('\r\u001b[2K');
    this.shown = false;
  }
}

/** The progress reporter: listed before the terminal's, so that the live line is gone before a suite's report. */
export function progressReporter(io: Io): Reporter<unknown> {
  let progress: Progress | undefined;
  return {
    begin: ({ onCluster }) => void (progress = Progress.forIo(io, onCluster)),
    suiteBegin: (suite, index, of) => progress?.suiteStarts(suite.name, index, of),
    step: (_suite, step, of) => progress?.step(step, of),
    suiteEnd: () => progress?.clear(),
  };
}
