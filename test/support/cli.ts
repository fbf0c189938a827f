// The netpol-e2e command line, for tests: in-process (runCli, as most tests call it: no process to start, so a test
// takes milliseconds where a process took seconds), or the real binary, as a user would run it after npm ci, where the
// process itself is what is tested (exit codes through the process, signals, pipes, the bin's choice of build).
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { execa } from 'execa';
import { runCli } from '../../src/cli/program.ts';
import { REPO } from './fixture.ts';

/** The running CLI: await it for its result, or hold it to signal it (Ctrl-C tests). */
export function cli(...args: string[]) {
  return cliWith({}, ...args);
}

export function cliWith(env: Record<string, string>, ...args: string[]) {
  return execa(process.execPath, [path.join(REPO, 'bin/netpol-e2e.js'), ...args], { cwd: REPO, reject: false, env: { NO_COLOR: '1', ...env } });
}

/**
 * The CLI as a user for whom a mode-000 file is unreadable: root reads every file, so as root it runs
 * as nobody through util-linux's setpriv; the repository has to be readable to others for that, as a clone is.
 */
export function unprivileged(...args: string[]) {
  if (process.getuid?.() !== 0) return cli(...args);
  return execa('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, path.join(REPO, 'bin/netpol-e2e.js'), ...args], { cwd: REPO, reject: false, env: { NO_COLOR: '1', PATH: process.env.PATH } });
}

/** What a command did, as execa tells it of a process: its exit code and its output, without the final newline. */
export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The command line in-process, in the test's environment (NO_COLOR: vitest.config.ts) and folder (the repository). */
export function runInProcess(...args: string[]): Promise<CliResult> {
  return runInProcessStoppedBy(undefined, {}, ...args);
}

/** In-process, with `env` over the test's environment (as `cliWith` sets it over the process's). */
export function runInProcessWith(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return runInProcessStoppedBy(undefined, env, ...args);
}

/**
 * In-process, stopped when `signal` aborts as by the process signal its reason names (`new Interrupted('SIGTERM')`).
 * A signal is always given, so that the command never listens to the test process's own signals.
 */
export async function runInProcessStoppedBy(signal: AbortSignal | undefined, env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  const [stdout, stderr] = [collected(), collected()];
  const exitCode = await runCli(args, { stdout: stdout.stream, stderr: stderr.stream, env: { ...process.env, NO_COLOR: '1', ...env }, signal: signal ?? new AbortController().signal });
  return { exitCode, stdout: await stdout.text(), stderr: await stderr.text() };
}

/** A stream that keeps what is written to it, read at once so that a writer waiting for 'drain' goes on. */
function collected(): { stream: PassThrough; text: () => Promise<string> } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  // Ended once the command returned: every piece written has then been read.
  const text = async () => {
    await finished(stream.end());
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  };
  return { stream, text };
}
