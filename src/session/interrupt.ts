// Ctrl-C (SIGINT), SIGTERM (a CI timeout, `docker stop`) or SIGHUP (a closed terminal) during a command: the first
// stops the work within a step and lets it clean up what it changed (the command then exits 128 + the signal's
// number: 130, 143, 129); a second quits at once.
import { setMaxListeners } from 'node:events';
import { constants } from 'node:os';
import pc from 'picocolors';
import type { Io } from '../report/io.ts';

export const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type Interrupt = (typeof INTERRUPTS)[number];

/** Why a command was stopped: the signal, and the exit code that tells it (128 + its number). */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  readonly exitCode: number;
  constructor(readonly signal: Interrupt) {
    super(`interrupted (${signal})`);
    this.exitCode = 128 + constants.signals[signal];
  }
}

/** The exit code of a command whose work `signal` stopped: 128 + the number of the signal that stopped it. */
export function interruptedExitCode(signal: AbortSignal): number {
  return signal.reason instanceof Interrupted ? signal.reason.exitCode : 130;
}

/**
 * Dies of the signal itself (a shell reports 128 + its number). Not process.exit: at exit libuv joins its thread
 * pool, and a thread blocked in opening a FIFO nobody reads (`--json`, GITHUB_STEP_SUMMARY) would hold the exit.
 */
function quitAtOnce(signal: Interrupt): never {
  for (const s of INTERRUPTS) process.removeAllListeners(s);
  process.kill(process.pid, signal);
  // The signal is delivered to this thread at once; should it not kill the process, exit is what is left.
  process.exit(new Interrupted(signal).exitCode);
}

const cleaningUp = (signal: Interrupt, more: string) => pc.yellow(`\ninterrupted${signal === 'SIGINT' ? '' : ` by ${signal}`}: cleaning up${more}\n`);

/**
 * The command's interruption: the caller's signal in-process (`Io.signal`), else the process's signals. The command
 * removes the process's listeners when it ends (`release`), so that commands run one after another in one process.
 */
export function interruptController(io: Io): AbortController & { release(): void } {
  const controller = Object.assign(new AbortController(), { release: () => {} });
  // Every call of the run in flight listens to it until it ends: each wait of a step's workloads at once, each request
  // and exec (Node warns of a leak past 10). A leak would still show, past a thousand.
  setMaxListeners(1000, controller.signal);
  if (io.signal) {
    // Said as for a signal, without the second Ctrl-C: the caller decides what stops it at once.
    const abort = () => {
      const reason: unknown = io.signal!.reason;
      io.stderr.write(cleaningUp(reason instanceof Interrupted ? reason.signal : 'SIGINT', ''));
      controller.abort(reason);
    };
    if (io.signal.aborted) abort();
    else io.signal.addEventListener('abort', abort, { once: true });
    controller.release = () => io.signal!.removeEventListener('abort', abort);
    return controller;
  }
  const interrupt = (signal: Interrupt) => {
    if (controller.signal.aborted) quitAtOnce(signal);
    // The terminal of a SIGHUP is gone: what is written to it is lost (main.ts ignores EIO), the cleanup still runs.
    io.stderr.write(cleaningUp(signal, ' (Ctrl-C again to quit at once)'));
    controller.abort(new Interrupted(signal));
  };
  for (const signal of INTERRUPTS) process.on(signal, interrupt);
  controller.release = () => {
    for (const signal of INTERRUPTS) process.off(signal, interrupt);
  };
  return controller;
}
