// API failures sorted the way the harness must act on them: NotFound is an answer, a struggling API server (5xx,
// 429) is a TransportError, a server that did not answer at all is an UnreachableError (both retried where the call
// is idempotent), anything else names the object and what the server said.
//
// Whether the server answered is told as client-node and node-fetch tell it: every HTTP answer, whatever its
// status, becomes an ApiException (@kubernetes/client-node 1.4.0 dist/object.js, processResponse; the generated
// APIs alike), while a request that got no answer fails with the socket's system error, whose code node-fetch keeps
// (node-fetch 2.7.0 lib/index.mjs: `new FetchError(..., 'system', err)`, "when err.type is `system`, err.code
// contains system error code"). bounded-http.ts keeps the same codes, and ETIMEDOUT for an answer not complete
// within the request timeout.
import { ApiException } from '@kubernetes/client-node';
import { TransportError, UnreachableError } from '../backend.ts';

/** The system errors of a request that never got an answer: refused, reset or cut (EPIPE), unroutable, no such host, or timed out. */
export const NO_ANSWER_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/** A 404 from the API server, as client-node raised it or as apiError() wrapped it. */
export function isNotFound(e: unknown): boolean {
  if (e instanceof ApiException) return e.code === 404;
  return e instanceof Error && e.cause !== undefined && isNotFound(e.cause);
}

function serverMessage(body: unknown): string {
  if (typeof body === 'string') {
    try {
      return serverMessage(JSON.parse(body));
    } catch {
      return body.trim();
    }
  }
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  return JSON.stringify(body);
}

/**
 * What `what` (e.g. "apply NetworkPolicy demo/x") failed with, as an error the caller can act on; `server` is the
 * API server's address, named by an UnreachableError.
 */
export function apiError(what: string, e: unknown, server = 'the API server'): Error {
  if (e instanceof TransportError) return e;
  if (e instanceof ApiException) {
    const code = e.code as number;
    const text = `${what}: HTTP ${code}: ${serverMessage(e.body)}`;
    if (code === 429 || code >= 500) return new TransportError(text, { cause: e });
    if (code === 401 || code === 403) return new Error(`${text} (check the kubeconfig's credentials and RBAC)`, { cause: e });
    return new Error(text, { cause: e });
  }
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err?.code ?? err?.cause?.code;
  if ((code && NO_ANSWER_CODES.has(code)) || err?.name === 'FetchError') return new UnreachableError(`${what}: ${err.message}`, server, { cause: e });
  return new Error(`${what}: ${err?.message ?? String(e)}`, { cause: e });
}

/** client-node's resource lookup when the API server serves the group/version but not the kind. */
export function isUnrecognizedKind(e: unknown): boolean {
  return /Unrecognized API version and kind/.test((e as Error)?.message ?? '');
}
