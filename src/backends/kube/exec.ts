// Runs a command in a pod through the API server's WebSocket exec endpoint and returns what it printed and its
// exit code from the status channel. Failures are sorted by whether the command can have run: a connection that
// never opened or was lost before the status arrived is a TransportError (safe to retry, no verdict); a refusal
// (no such pod or container, not allowed) is a plain Error that retrying would not mend.
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import WebSocket from 'ws';
import type { ExecResult } from '../../probe/classify.ts';
import { TransportError } from '../backend.ts';
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

async function refusal(res: IncomingMessage): Promise<Error> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  let message = body.trim();
  try {
    message = (JSON.parse(body) as { message?: string }).message ?? message;
  } catch {
    // not a Status object: keep the text
  }
  const text = `exec refused with HTTP ${res.statusCode}: ${message || res.statusMessage}`;
  // The API server or a proxy in front of it failing is transient; a 4xx answer is about the request itself.
  return (res.statusCode ?? 0) >= 500 || res.statusCode === 429 ? new TransportError(text) : new Error(text);
}

export async function execInPod(config: KubeConfig, target: ExecTarget, argv: readonly string[], timeoutMs: number): Promise<ExecResult> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const url = cluster.server.replace(/^http/, 'ws').replace(/\/$/, '') + execPath(target, argv);
  const options: WebSocket.ClientOptions & Record<string, unknown> = {};
  await config.applyToHTTPSOptions(options);

  return new Promise<ExecResult>((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let end: ExecEnd | undefined;
    let settled = false;
    const socket = new WebSocket(url, [...EXEC_PROTOCOLS], options);
    const finish = (outcome: ExecResult | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => {});
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => finish(new TransportError(`exec in ${target.namespace}/${target.pod} did not end within ${timeoutMs} ms`)), timeoutMs);

    socket.on('unexpected-response', (_req: ClientRequest, res: IncomingMessage) => {
      refusal(res).then(finish, (e: Error) => finish(new TransportError(e.message)));
    });
    socket.on('error', (e) => finish(new TransportError(`exec connection to ${target.namespace}/${target.pod} failed: ${e.message}`)));
    socket.on('open', () => {
      if (!(EXEC_PROTOCOLS as readonly string[]).includes(socket.protocol)) {
        finish(new Error(`the API server chose exec protocol "${socket.protocol}", not one of ${EXEC_PROTOCOLS.join(', ')}`));
      }
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const frame = decodeFrame(isBinary ? data : Buffer.from(data.toString('utf8'), 'utf8'));
      if (!frame) return;
      if (frame.channel === CHANNEL.stdout) stdout.push(frame.payload);
      else if (frame.channel === CHANNEL.stderr) stderr.push(frame.payload);
      else if (frame.channel === CHANNEL.status && frame.payload.length > 0) end = readStatus(frame.payload.toString('utf8'));
      // v5's close signal (255) and anything else carry nothing the result needs.
    });
    socket.on('close', (code, reason) => {
      if (!end) {
        finish(new TransportError(`exec in ${target.namespace}/${target.pod}: connection closed (${code}${reason.length ? ` ${reason}` : ''}) before the command's status arrived`));
      } else if (end.kind === 'failed') {
        finish(new Error(`exec in ${target.namespace}/${target.pod} failed: ${end.message}`));
      } else {
        finish({ exitCode: end.exitCode, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
      }
    });
  });
}
