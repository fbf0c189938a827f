// Runs a command in a pod through the API server's WebSocket exec endpoint and returns what it printed and its
// exit code from the status channel. Failures are sorted by whether the command can have run: a connection that
// never opened or was lost before the status arrived is a TransportError (safe to retry, no verdict); a refusal
// (no such pod or container, not allowed) is a plain Error that retrying would not mend.
import type { ClientRequest, IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { ExecResult } from '../../probe/classify.ts';
import { TransportError, UnreachableError } from '../backend.ts';
import { NO_ANSWER_CODES } from './api-errors.ts';
import { describeRequest, tooLarge, type ApiTransport } from './bounded-http.ts';
import { CHANNEL, decodeFrame, EXEC_PROTOCOLS, readStatus, type ExecEnd } from './exec-protocol.ts';

export interface ExecTarget {
  namespace: string;
  pod: string;
  container?: string;
}

export function execPath(target: ExecTarget, argv: readonly string[]): string {
  const query = new URLSearchParams({ stdout: 'true', stderr: 'true' });
  if (target.container) query.set('container', target.container);
  for (const arg of argv) query.append('command', arg);
  return `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/exec?${query}`;
}

/** A refused upgrade's answer: a Status, read up to its first 64 KiB (a body without end is not waited for). */
async function refusal(res: IncomingMessage, what: string): Promise<Error> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of res) {
    chunks.push(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    if (bytes >= REFUSAL_BYTES) break;
  }
  res.destroy();
  const body = Buffer.concat(chunks).subarray(0, REFUSAL_BYTES).toString('utf8');
  let message = body.trim();
  try {
    message = (JSON.parse(body) as { message?: string }).message ?? message;
  } catch {
    // not a Status object: keep the text
  }
  const text = `${what} refused with HTTP ${res.statusCode}: ${message || res.statusMessage}`;
  // The API server or a proxy in front of it failing is transient; a 4xx answer is about the request itself.
  return (res.statusCode ?? 0) >= 500 || res.statusCode === 429 ? new TransportError(text) : new Error(text);
}

const REFUSAL_BYTES = 64 * 1024;

/**
 * Bounded as every request is (bounded-http.ts): the upgrade answered within the request timeout (ws's
 * handshakeTimeout), no message and no output in all larger than the size cap (ws's maxPayload, and a count), and
 * the whole exec within `timeoutMs`. An output over the cap is a plain error: asking again would not shrink it.
 * `signal` (the run's Ctrl-C) ends it at once, with the signal's reason.
 */
export async function execInPod(transport: ApiTransport, target: ExecTarget, argv: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ExecResult> {
  const server = transport.server;
  const url = server.replace(/^http/, 'ws') + execPath(target, argv);
  const what = `exec in ${target.namespace}/${target.pod} (${describeRequest('GET', new URL(server + execPath(target, [])))})`;
  const { requestTimeoutMs, maxResponseBytes } = transport.bounds;
  const options: WebSocket.ClientOptions & Record<string, unknown> = { handshakeTimeout: requestTimeoutMs, maxPayload: maxResponseBytes };
  await transport.config.applyToHTTPSOptions(options);
  signal?.throwIfAborted();

  return new Promise<ExecResult>((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let bytes = 0;
    let end: ExecEnd | undefined;
    let settled = false;
    const socket = new WebSocket(url, [...EXEC_PROTOCOLS], options);
    const finish = (outcome: ExecResult | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      socket.removeAllListeners();
      socket.on('error', () => {});
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => finish(new TransportError(`${what} did not end within ${timeoutMs} ms`)), timeoutMs);
    const abort = () => finish(signal!.reason as Error);
    signal?.addEventListener('abort', abort, { once: true });

    socket.on('unexpected-response', (_req: ClientRequest, res: IncomingMessage) => {
      refusal(res, what).then(finish, (e: Error) => finish(new TransportError(`${what}: ${e.message}`)));
    });
    socket.on('error', (e: Error & { code?: string }) => {
      // ws refuses a message over maxPayload (RFC 6455 close 1009): too large, not lost.
      if (e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return finish(tooLarge(what, maxResponseBytes + 1, maxResponseBytes));
      const text = `${what}: connection failed: ${e.message}`;
      // No connection at all (refused, reset, unroutable): the server is not there, as for any other request.
      finish(e.code && NO_ANSWER_CODES.has(e.code) ? new UnreachableError(text, server) : new TransportError(text));
    });
    socket.on('open', () => {
      if (!(EXEC_PROTOCOLS as readonly string[]).includes(socket.protocol)) {
        finish(new Error(`the API server chose exec protocol "${socket.protocol}", not one of ${EXEC_PROTOCOLS.join(', ')}`));
      }
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const frame = decodeFrame(isBinary ? data : Buffer.from(data.toString('utf8'), 'utf8'));
      if (!frame) return;
      bytes += frame.payload.length;
      if (bytes > maxResponseBytes) return finish(tooLarge(what, bytes, maxResponseBytes));
      if (frame.channel === CHANNEL.stdout) stdout.push(frame.payload);
      else if (frame.channel === CHANNEL.stderr) stderr.push(frame.payload);
      else if (frame.channel === CHANNEL.status && frame.payload.length > 0) end = readStatus(frame.payload.toString('utf8'));
      // v5's close signal (255) and anything else carry nothing the result needs.
    });
    socket.on('close', (code, reason) => {
      if (!end) {
        finish(new TransportError(`${what}: connection closed (${code}${reason.length ? ` ${reason}` : ''}) before the command's status arrived`));
      } else if (end.kind === 'failed') {
        finish(new Error(`${what} failed: ${end.message}`));
      } else {
        finish({ exitCode: end.exitCode, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
      }
    });
  });
}
