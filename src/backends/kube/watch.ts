// Waiting for an object to reach a state, through the watch API rather than sleeps. A watch the server ends early
// is opened again; the wait is bounded and its error names the object and the last state seen.
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { TransportError } from '../backend.ts';

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
  config: KubeConfig,
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
  const watch = new Watch(config);
  let last = 'no event seen';
  let resourceVersion = target.resourceVersion;
  let controller: AbortController | undefined;
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
      timer = setTimeout(() => finish(new Error(`${options.what}: not done after ${options.timeoutMs / 1000} s (${last})`)), options.timeoutMs);
      options.signal?.addEventListener('abort', () => finish(options.signal!.reason as Error), { once: true });
      let failures = 0;
      const reopen = () => {
        if (finished) return;
        if (!options.settled) return open();
        options.settled().then((done) => (done ? finish() : open()), (e: Error) => finish(new TransportError(`${options.what}: ${e.message}`)));
      };
      const open = () => {
        if (finished) return;
        const query = { fieldSelector: target.name && `metadata.name=${target.name}`, labelSelector: target.labelSelector, resourceVersion, allowWatchBookmarks: true };
        watch
          .watch(
            target.path,
            query,
            (type, object: KubernetesObject) => {
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
            (err: (Error & { statusCode?: number }) | null) => {
              if (finished) return;
              // 410 Gone: the start version is too old; start from the current state instead.
              if (err?.statusCode === 410) resourceVersion = undefined;
              else if (err && ++failures > 5) return finish(new TransportError(`${options.what}: watch failed: ${err.message}`));
              setTimeout(reopen, err ? 500 : 0);
            },
          )
          .then(
            (c) => {
              controller = c;
              if (finished) c.abort();
            },
            (e: Error) => finish(new TransportError(`${options.what}: ${e.message}`)),
          );
      };
      open();
    });
  } finally {
    clearTimeout(timer);
    controller?.abort();
  }
}
