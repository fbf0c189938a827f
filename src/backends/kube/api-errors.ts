// API failures sorted the way the harness must act on them: NotFound is an answer, a lost connection or a
// struggling API server is a TransportError (retried where the call is idempotent), anything else names the
// object and what the server said.
import { ApiException } from '@kubernetes/client-node';
import { TransportError } from '../backend.ts';

const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

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

/** What `what` (e.g. "apply NetworkPolicy demo/x") failed with, as an error the caller can act on. */
export function apiError(what: string, e: unknown): Error {
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
  if ((code && TRANSIENT_CODES.has(code)) || err?.name === 'FetchError' || err?.name === 'AbortError') {
    return new TransportError(`${what}: ${err.message}`, { cause: e });
  }
  return new Error(`${what}: ${err?.message ?? String(e)}`, { cause: e });
}

/** client-node's resource lookup when the API server serves the group/version but not the kind. */
export function isUnrecognizedKind(e: unknown): boolean {
  return /Unrecognized API version and kind/.test((e as Error)?.message ?? '');
}
