// A report of 100,000 cells is megabytes of text: printed in pieces, each after the reader took the one before
// (a pipe's writes are queued, not blocking), with the event loop's turns in between, so that a signal that arrives
// meanwhile cuts the report short at once instead of waiting for its end.
import { once } from 'node:events';

const CHUNK = 1 << 16;

/** Prints `lines` to standard output; with `signal`, stops at the first piece after it aborts and returns the reason. */
export async function printReport(lines: Iterable<string>, signal?: AbortSignal): Promise<unknown> {
  let pending: string[] = [];
  let length = 0;
  const flush = async () => {
    const taken = process.stdout.write(`${pending.join('\n')}\n`);
    pending = [];
    length = 0;
    // A reader that lags (or a pipe nobody reads) holds the report here, where a signal is still heard.
    if (!taken) await once(process.stdout, 'drain', { signal }).catch(() => undefined);
    else await new Promise((resolve) => setImmediate(resolve));
  };
  for (const line of lines) {
    if (signal?.aborted) return signal.reason;
    pending.push(line);
    length += line.length + 1;
    if (length >= CHUNK) await flush();
  }
  if (signal?.aborted) return signal.reason;
  if (pending.length) await flush();
  return undefined;
}
