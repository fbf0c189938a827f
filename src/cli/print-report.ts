// A report of 100,000 cells is megabytes of text: printed in pieces, each after the reader took the one before
// (a pipe's writes are queued, not blocking), with the event loop's turns in between, so that a signal that arrives
// meanwhile cuts the report short at once instead of waiting for its end.
import { once } from 'node:events';
import { gathered } from '../report/chunks.ts';

const CHUNK = 1 << 16;

function* ended(lines: Iterable<string>): Generator<string> {
  for (const line of lines) yield `${line}\n`;
}

/** Prints `lines` to `out`; with `signal`, stops at the first piece after it aborts and returns the reason. */
export async function printReport(out: NodeJS.WritableStream, lines: Iterable<string>, signal?: AbortSignal): Promise<unknown> {
  for (const chunk of gathered(ended(lines), CHUNK)) {
    if (signal?.aborted) return signal.reason;
    // A reader that lags (or a pipe nobody reads) holds the report here, where a signal is still heard.
    if (!out.write(chunk)) await once(out, 'drain', { signal }).catch(() => undefined);
    else await new Promise((resolve) => setImmediate(resolve));
  }
  return undefined;
}
