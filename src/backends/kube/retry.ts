// Idempotent API calls retried when the server did not answer (a transport error), never when it answered no.
import pRetry from 'p-retry';
import { TransportError, UnreachableError } from '../backend.ts';
import { apiError } from './api-errors.ts';

/** Attempts of an idempotent call: the first and three retries, 0.3, 0.6 and 1.2 s apart (p-retry's backoff). */
const ATTEMPTS = 4;

/**
 * Idempotent calls only: a read, a server-side apply, a delete, a list. `signal` ends the call and its retries at
 * once, with the signal's reason (never mistaken for a failure of the request). A server that never answered is
 * said so with the number of attempts.
 */
export const retried = <T>(what: string, server: string, call: () => Promise<T>, signal?: AbortSignal) =>
  pRetry(
    () =>
      call().catch((e: unknown) => {
        if (signal?.aborted) throw signal.reason;
        throw apiError(what, e, server);
      }),
    { retries: ATTEMPTS - 1, minTimeout: 300, signal, shouldRetry: ({ error }) => error instanceof TransportError },
  ).catch((e: unknown) => {
    if (e instanceof UnreachableError) e.message += ` (${ATTEMPTS} attempts)`;
    throw e;
  });
