// Every request to the API server is bounded: an answer in full within a timeout, a body no larger than a cap, and
// an error naming the server and the request (method and path) when either is broken. client-node would not:
// its generated clients send through IsomorphicFetchHttpLibrary (dist/gen/http/isomorphic-fetch.js), node-fetch
// with no timeout and `resp.text()` reading any body whole; its Watch (dist/watch.js) builds a 30 s timeout signal
// and then overwrites it with its own controller's, and reads lines with readline, which buffers a line without
// end. So requests go through here instead: client-node's Configuration takes an httpApi of our own
// (dist/gen/configuration.js, createConfiguration), given the same agent and headers its kubeconfig
// authentication puts on each request (dist/config.js, applySecurityAuthentication).
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { createConfiguration, HttpMethod, RequestContext, ResponseContext, SelfDecodingBody, ServerConfiguration, wrapHttpLibrary, type Configuration, type KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_BOUNDS } from './cluster-choice.ts';

export interface ApiBounds {
  /** A whole answer (headers and body; for a watch, its headers) within this long. */
  requestTimeoutMs: number;
  /** The most a response body (or one watch event, or an exec's output) may hold. */
  maxResponseBytes: number;
  /** A watch with no event, not even a bookmark, for this long is closed and opened again. */
  watchIdleMs: number;
}

/** An error naming the server and the request, with a code apiError() sorts by (ETIMEDOUT is transient). */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RequestError';
  }
}

export const TOO_LARGE = 'ERESPONSETOOLARGE';

const seconds = (ms: number) => `${ms / 1000} s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 3 : 0)} MiB`;

/** "GET /api/v1/namespaces/demo/pods on https://127.0.0.1:6443": the request and the server, as errors name them. */
export function describeRequest(method: string, url: URL): string {
  return `${method} ${url.pathname} on ${url.origin}`;
}

export function tooLarge(what: string, bytes: number, cap: number): RequestError {
  return new RequestError(`${what}: the answer exceeded ${mib(cap)} (${bytes} bytes read); gave up on it`, TOO_LARGE);
}

export interface SentRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  agent?: http.Agent;
  body?: string;
}

/**
 * Sends a request and resolves with the response once its headers are in, within `timeoutMs`; `cancel` ends it
 * (and the response being read) at any time after, and so does `signal` (the run's Ctrl-C), with its reason.
 */
export function open(request: SentRequest, timeoutMs: number, signal?: AbortSignal): { response: Promise<IncomingMessage>; cancel: (error: Error) => void } {
  signal?.throwIfAborted();
  const what = describeRequest(request.method, request.url);
  const send = request.url.protocol === 'https:' ? https.request : http.request;
  const req = send(request.url, { method: request.method, headers: request.headers, agent: request.agent });
  let timer: NodeJS.Timeout | undefined;
  const abort = () => req.destroy(signal!.reason as Error);
  const settle = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  };
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    timer = setTimeout(() => req.destroy(new RequestError(`${what}: no answer within ${seconds(timeoutMs)}`, 'ETIMEDOUT')), timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      settle();
      // The signal's reason (Interrupted) goes up as it is: it is no failure of the request, and never retried.
      reject(e instanceof RequestError || e === signal?.reason ? e : new RequestError(`${what}: ${e.message}`, e.code ?? 'ECONNRESET', { cause: e }));
    });
    // Also while the body is read: destroying the request ends its response too.
    req.on('close', settle);
  });
  signal?.addEventListener('abort', abort, { once: true });
  // A rejection nobody awaits yet (the caller cancelled before asking) must not crash the process.
  response.catch(() => {});
  req.end(request.body);
  return {
    response,
    cancel: (error) => {
      settle();
      req.destroy(error);
    },
  };
}

/** The whole answer: headers and body within `timeoutMs`, the body within `maxBytes`; `signal` ends it with its reason. */
export async function fetchBounded(request: SentRequest, bounds: Pick<ApiBounds, 'requestTimeoutMs' | 'maxResponseBytes'>, signal?: AbortSignal): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const what = describeRequest(request.method, request.url);
  const began = Date.now();
  const { response, cancel } = open(request, bounds.requestTimeoutMs, signal);
  const res = await response;
  const chunks: Buffer[] = [];
  let bytes = 0;
  // Why the body was cut off: the stream itself only says "aborted".
  let cutOff: RequestError | undefined;
  const timer = setTimeout(
    () => cancel((cutOff = new RequestError(`${what}: the answer did not end within ${seconds(bounds.requestTimeoutMs)} (${bytes} bytes read)`, 'ETIMEDOUT'))),
    Math.max(0, bounds.requestTimeoutMs - (Date.now() - began)),
  );
  try {
    for await (const chunk of res) {
      bytes += (chunk as Buffer).length;
      if (bytes > bounds.maxResponseBytes) {
        const error = tooLarge(what, bytes, bounds.maxResponseBytes);
        cancel(error);
        throw error;
      }
      chunks.push(chunk as Buffer);
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (signal?.aborted) throw signal.reason;
    throw cutOff ?? (err instanceof RequestError ? err : new RequestError(`${what}: ${err.message}`, err.code ?? 'ECONNRESET', { cause: e }));
  } finally {
    clearTimeout(timer);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return { status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) };
}

/** The API server of a kubeconfig's current cluster, every request to it bounded. */
export class ApiTransport {
  readonly bounds: ApiBounds;

  constructor(
    readonly config: KubeConfig,
    bounds: Partial<ApiBounds> = {},
  ) {
    this.bounds = { ...DEFAULT_BOUNDS, ...bounds };
  }

  get server(): string {
    const cluster = this.config.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    return cluster.server.replace(/\/$/, '');
  }

  /**
   * client-node's Configuration, as KubeConfig.makeApiClient builds it (dist/config.js), sending through fetchBounded;
   * every request it sends ends when `signal` aborts.
   */
  configuration(signal?: AbortSignal): Configuration {
    return createConfiguration({
      baseServer: new ServerConfiguration(this.server, {}),
      authMethods: { default: this.config },
      httpApi: wrapHttpLibrary({
        send: async (request: RequestContext) => {
          const { status, headers, body } = await fetchBounded(this.sent(request), this.bounds, signal);
          return new ResponseContext(status, headers, new SelfDecodingBody(Promise.resolve(body)));
        },
      }),
    });
  }

  /** A GET of `path` with the kubeconfig's credentials, as client-node authenticates its own requests. */
  async authorized(path: string, query: Record<string, string | undefined>): Promise<SentRequest> {
    const context = new RequestContext(this.server + path, HttpMethod.GET);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) context.setQueryParam(key, value);
    await this.config.applySecurityAuthentication(context);
    return this.sent(context);
  }

  private sent(request: RequestContext): SentRequest {
    const body = request.getBody();
    if (body !== undefined && typeof body !== 'string') throw new Error('only string request bodies are supported');
    return { method: request.getHttpMethod(), url: new URL(request.getUrl()), headers: request.getHeaders(), agent: request.getAgent() as http.Agent | undefined, body };
  }
}
