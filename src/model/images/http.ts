// HTTP replies as the catalog's servers send them: a status and the reason phrase on their status line.
import type { HttpReply } from './types.ts';

// The phrases of Go's net/http StatusText and Node's http.STATUS_CODES, which agree on these.
const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export function reply(status: number, reason = REASONS[status] ?? ''): HttpReply {
  return { status, reason };
}

/** The path of a request target, without its query. */
export function pathOf(target: string): string {
  return target.split('?')[0]!;
}

/** A query parameter of a request target. */
export function queryValue(target: string, name: string): string | undefined {
  const query = target.split('?')[1];
  return query === undefined ? undefined : (new URLSearchParams(query).get(name) ?? undefined);
}
