// Progress on long runs (a cluster run takes minutes). On a terminal: one live line (suite, step, cells, elapsed),
// rewritten in place on stderr. Elsewhere (CI logs): a line per step with where its time went. Under GitHub Actions
// each suite's output is a collapsible group (the ::group:: workflow command).
import pc from 'picocolors';
import type { StepResult } from '../results/result.ts';
import { inert, workflowData } from './inert.ts';

export interface ProgressOptions {
  /** A terminal that shows the live line. */
  live: boolean;
  /** Without a live line: a line per step (worth it on a cluster, where steps take seconds). */
  perStep: boolean;
  githubActions: boolean;
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

  /** On `stderr` (live when it is a terminal, outside CI), under the environment `env`: a command's own. */
  static forStream(stderr: NodeJS.WritableStream, env: NodeJS.ProcessEnv, onCluster: boolean): Progress {
    const live = (stderr as { isTTY?: boolean }).isTTY === true && !env.CI;
    return new Progress({ live, perStep: !live && onCluster, githubActions: env.GITHUB_ACTIONS === 'true', write: (t) => void stderr.write(t) });
  }

  private now(): number {
    return (this.options.now ?? performance.now.bind(performance))();
  }

  /** Before a suite's output: opens its group under GitHub Actions. */
  suiteStarts(name: string, index: number, of: number): string {
    this.clear();
    this.suite = `${index + 1}/${of} ${inert(name)}`;
    return this.options.githubActions ? `::group::${workflowData(name)}\n` : '';
  }

  /** After a suite's output: closes its group. */
  suiteEnds(): string {
    this.clear();
    return this.options.githubActions ? '::endgroup::\n' : '';
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
