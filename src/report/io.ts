// Where a command writes, what it reads of the environment and what stops it: for the binary, the process's own
// streams, environment and signals (SIGINT, SIGTERM, SIGHUP); in-process (`runCli` in cli/program.ts, as tests call
// it), the caller's, so that a command runs without a process of its own. Here, below cli/, because the run session
// and its reporters write to it too.
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** What the command reads of the environment: GITHUB_STEP_SUMMARY, NETPOL_E2E_DEBUG, KUBECONFIG, CI, GITHUB_ACTIONS. */
  env: NodeJS.ProcessEnv;
  /** Stops the command as a signal would (its reason an `Interrupted`); absent, the process's signals do. */
  signal?: AbortSignal;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Writes one line. */
export function writeLine(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${text}\n`);
}
