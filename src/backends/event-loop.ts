// Long loops of model work (predicting, resolving, probing, judging 100,000 cells of one step) give the event loop a
// turn every few dozen milliseconds, so that a signal (Ctrl-C, SIGTERM, SIGHUP) is acted on at once instead of when
// the step ends. The time of the last turn is shared: once it is due, every loop that checks waits for it, so
// concurrent loops (one per source pod) cannot hand the CPU to each other past it.
const SLICE_MS = 25;
let lastTurn = performance.now();
let pending: Promise<void> | undefined;

/** Awaited in a loop: undefined while the event loop had a turn recently, else a promise of the next turn. */
export function turn(signal?: AbortSignal): Promise<void> | undefined {
  signal?.throwIfAborted();
  if (performance.now() - lastTurn < SLICE_MS) return undefined;
  pending ??= new Promise<void>((resolve) =>
    setImmediate(() => {
      lastTurn = performance.now();
      pending = undefined;
      resolve();
    }),
  );
  return pending.then(() => signal?.throwIfAborted());
}
