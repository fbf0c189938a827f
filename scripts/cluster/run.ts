// Runs the cluster tools (docker, kind, helm, kubectl, openssl) with argv arrays: no shell stands between us and a
// tool, so no argument is ever re-split or re-parsed (a Go template such as {{(index ...)}} reaches docker as the one
// argument it is). Every command is echoed first, quoted as a shell would need it, so that a log can be replayed.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';

export interface RunOptions {
  /** Written to the tool's standard input. */
  input?: string;
  /** A non-zero exit is returned, not thrown. */
  nothrow?: boolean;
  /** Not echoed (lookups whose output is the point, not the action). */
  quiet?: boolean;
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A tool exited non-zero; carries its stderr for the step that ran it. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly argv: string[],
    readonly result: RunResult,
  ) {
    super(`${argv.map(displayArg).join(' ')} exited with ${result.exitCode}`);
  }
  get stderr(): string {
    return this.result.stderr || this.result.stdout;
  }
}

const displayArg = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`);

export async function run(tool: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const argv = [tool, ...args];
  if (!options.quiet) console.log(`$ ${argv.map((a, i) => (i === 0 ? path.basename(a) : displayArg(a))).join(' ')}`);
  const r = await execa(tool, args, { input: options.input, reject: false, timeout: options.timeoutMs, stripFinalNewline: false });
  // execa reports a tool that could not start (a missing executable) as a failure without an exit code: 127, as a shell says.
  const result = { stdout: r.stdout ?? '', stderr: r.stderr || (r.exitCode === undefined ? (r.message ?? '') : ''), exitCode: r.exitCode ?? 127 };
  if (result.exitCode !== 0 && !options.nothrow) throw new CommandError(argv, result);
  return result;
}

/** The first executable of that name on the PATH, like `command -v`. */
export async function findOnPath(name: string, pathVariable = process.env.PATH ?? ''): Promise<string | null> {
  for (const dir of pathVariable.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

export async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}
