// The Kubernetes exec stream protocol (channel.k8s.io, versions 4 and 5): every WebSocket message is one byte of
// channel number followed by payload. 1 and 2 carry stdout and stderr, 3 carries a JSON v1 Status when the
// command ends (its exit code in details.causes[reason=ExitCode]), and v5 adds channel 255 to close a stream.

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

interface ExecStatus {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

/** How the command ended, read from the status channel. */
export type ExecEnd = { kind: 'exited'; exitCode: number } | { kind: 'failed'; message: string };

export function decodeFrame(data: Buffer): { channel: number; payload: Buffer } | undefined {
  if (data.length === 0) return undefined;
  return { channel: data[0]!, payload: data.subarray(1) };
}

export function encodeFrame(channel: number, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([Buffer.from([channel]), body]);
}

/**
 * A status message to an end: Success is exit code 0; Failure with reason NonZeroExitCode carries the code as
 * an ExitCode cause. Any other Failure (container gone, runtime error) means the command did not run to an end.
 */
export function readStatus(text: string): ExecEnd {
  let status: ExecStatus;
  try {
    status = JSON.parse(text) as ExecStatus;
  } catch {
    return { kind: 'failed', message: `unreadable exec status: ${text.slice(0, 200)}` };
  }
  if (status.status === 'Success') return { kind: 'exited', exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return { kind: 'exited', exitCode: code };
    return { kind: 'failed', message: `exit code missing from status: ${status.message ?? text}` };
  }
  return { kind: 'failed', message: status.message ?? status.reason ?? text };
}
