// Waiting for an object to reach a state, through the watch API rather than sleeps. A watch the server ends early
// is opened again; the wait is bounded and its error names the object and the last state seen. Each watch is
// bounded too (bounded-http.ts): its headers within the request timeout, each event within the size cap, and a
// watch silent for longer than the idle timeout (no event, not even a bookmark) is closed and opened again.
import type { KubernetesObject } from '@kubernetes/client-node';
import { TransportError } from '../backend.ts';
import { describeRequest, open, RequestError, tooLarge, TOO_LARGE, type ApiTransport } from './bounded-http.ts';

/** A watch closed for being quiet too long: opened again at once, not counted as a failure. */
const IDLE = 'EWATCHIDLE';

type WatchEvent = { type: string; object: KubernetesObject };

/**
 * Opens one watch and calls `event` for each of its events (one JSON object a line, as the API server streams
 * them) and `done` once when it ends: null when the server closed it or it was idle too long, else the error.
 */
function watchOnce(transport: ApiTransport, path: string, query: Record<string, string | undefined>, event: (e: WatchEvent) => void, done: (err: (Error & { statusCode?: number }) | null) => void): () => void {
  let ended = false;
  let cancel: ((e: Error) => void) | undefined;
  let idle: NodeJS.Timeout | undefined;
  const end = (err: (Error & { statusCode?: number }) | null) => {
    if (ended) return;
    ended = true;
    clearTimeout(idle);
    cancel?.(err ?? new Error('watch closed'));
    done(err);
  };
  void (async () => {
    const request = await transport.authorized(path, { ...query, watch: 'true' });
    const what = `watch ${describeRequest(request.method, request.url)}`;
    if (ended) return;
    const opened = open(request, transport.bounds.requestTimeoutMs);
    cancel = opened.cancel;
    const res = await opened.response;
    if (res.statusCode !== 200) {
      res.resume();
      return end(Object.assign(new Error(`${what}: HTTP ${res.statusCode}`), { statusCode: res.statusCode }));
    }
    const quiet = () => {
      clearTimeout(idle);
      // Quiet is not broken (nothing changed, and bookmarks may be rarer than the idle timeout): open it again.
      idle = setTimeout(() => end(new RequestError(`${what}: no event within ${transport.bounds.watchIdleMs / 1000} s`, IDLE)), transport.bounds.watchIdleMs);
    };
    quiet();
    let pending = Buffer.alloc(0);
    for await (const chunk of res) {
      if (ended) return;
      pending = Buffer.concat([pending, chunk as Buffer]);
      let newline: number;
      while ((newline = pending.indexOf(10)) >= 0) {
        const line = pending.subarray(0, newline).toString('utf8');
        pending = pending.subarray(newline + 1);
        if (!line.trim()) continue;
        quiet();
        try {
          event(JSON.parse(line) as WatchEvent);
        } catch {
          // not an event: ignored, as client-node's Watch does
        }
        if (ended) return;
      }
      if (pending.length > transport.bounds.maxResponseBytes) return end(tooLarge(`${what}: one event`, pending.length, transport.bounds.maxResponseBytes));
    }
    end(null);
  })().catch((e: Error) => end(e instanceof RequestError && !e.message.startsWith('watch ') ? new RequestError(`watch ${e.message}`, e.code, { cause: e }) : e));
  return () => end(null);
}

export interface WatchTarget {
  /** Collection path, e.g. /apis/apps/v1/namespaces/demo/deployments */
  path: string;
  /** The object's name, or a label selector for the objects watched. */
  name?: string;
  labelSelector?: string;
  /** Where to start: a resourceVersion read just before, or undefined for "the current state, then changes". */
  resourceVersion?: string;
}

/** Resolves once `done(event, object)` holds for an event on the named object (or one the selector matches). */
export async function waitForEvent(
  transport: ApiTransport,
  target: WatchTarget,
  done: (type: string, object: KubernetesObject) => boolean,
  options: {
    timeoutMs: number;
    what: string;
    describe?: (object: KubernetesObject) => string;
    signal?: AbortSignal;
    /** Asked before a watch is opened again: whether the wait is over already (a watch reopened from the current state does not replay a deletion). */
    settled?: () => Promise<boolean>;
  },
): Promise<void> {
  // An abort listener added after the abort never fires.
  options.signal?.throwIfAborted();
  let last = 'no event seen';
  let lastError: string | undefined;
  let resourceVersion = target.resourceVersion;
  let stop: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = false;
      const finish = (error?: Error) => {
        if (finished) return;
        finished = true;
        if (error) reject(error);
        else resolve();
      };
      timer = setTimeout(() => finish(new Error(`${options.what}: not done after ${options.timeoutMs / 1000} s (${last}${lastError ? `; last watch error: ${lastError}` : ''})`)), options.timeoutMs);
      options.signal?.addEventListener('abort', () => finish(options.signal!.reason as Error), { once: true });
      let failures = 0;
      const reopen = () => {
        if (finished) return;
        if (!options.settled) return open();
        options.settled().then(
          (done) => (done ? finish() : open()),
          (e: Error) => finish(new TransportError(`${options.what}: ${e.message}`)),
        );
      };
      const open = () => {
        if (finished) return;
        const query = { fieldSelector: target.name && `metadata.name=${target.name}`, labelSelector: target.labelSelector, resourceVersion, allowWatchBookmarks: 'true' };
        stop = watchOnce(
          transport,
          target.path,
          query,
          ({ type, object }) => {
            // An ERROR event carries a Status; 410 means the start version expired: start from the current state.
            if (type === 'ERROR') {
              if ((object as { code?: number }).code === 410) resourceVersion = undefined;
              return;
            }
            if (object?.metadata?.resourceVersion) resourceVersion = object.metadata.resourceVersion;
            if (type === 'BOOKMARK') return;
            last = `${type.toLowerCase()}${options.describe ? `: ${options.describe(object)}` : ''}`;
            if (done(type, object)) finish();
          },
          (err) => {
            if (finished) return;
            // An event larger than the cap will be as large when asked again.
            if ((err as RequestError | null)?.code === TOO_LARGE) return finish(new Error(`${options.what}: ${err!.message}`));
            // 410 Gone: the start version is too old; start from the current state instead.
            if (err?.statusCode === 410) resourceVersion = undefined;
            else if ((err as RequestError | null)?.code === IDLE) lastError = err!.message;
            else if (err) {
              lastError = err.message;
              if (++failures > 5) return finish(new TransportError(`${options.what}: watch failed: ${err.message}`));
            }
            setTimeout(reopen, err && (err as RequestError).code !== IDLE ? 500 : 0);
          },
        );
      };
      open();
    });
  } finally {
    clearTimeout(timer);
    stop?.();
  }
}
