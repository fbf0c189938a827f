// The JSON result file (docs/results-json.md).
import { appendFile, mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../input/input-error.ts';
import { RESULTS_FORMAT } from '../results/format.ts';
import type { RunEnvironment, SuiteResult } from '../results/result.ts';
import { turn } from '../backends/event-loop.ts';
import { gathered } from './chunks.ts';
import { jsonChunks } from './inert.ts';

export { RESULTS_FORMAT };

export interface ResultsFile {
  format: typeof RESULTS_FORMAT;
  environment: RunEnvironment;
  backend: string;
  pass: boolean;
  suites: SuiteResult[];
  /** Known divergences (file:line) whose versions matched this run but whose cell no longer diverges. */
  staleKnown?: string[];
  /** How many cells the backend could not run, by the reason it gave (no SCTP in the nodes' kernel, ...); only when any. */
  notRunnable?: Record<string, number>;
}

/** The cells not run, counted by reason: what a run silently lost (SCTP on a kernel without it) shows as a number. */
export function notRunnableByReason(suites: readonly SuiteResult[]): Record<string, number> {
  // A Map: a reason read from a results file is any text, "__proto__" and "constructor" too.
  const counts = new Map<string, number>();
  for (const cell of suites.flatMap((s) => s.steps.flatMap((step) => step.cells))) if (cell.notRunnable !== undefined) counts.set(cell.notRunnable, (counts.get(cell.notRunnable) ?? 0) + 1);
  return Object.fromEntries(counts);
}

export async function writeResults(file: string, environment: RunEnvironment, suites: SuiteResult[], staleKnown: string[] = [], signal?: AbortSignal): Promise<void> {
  const notRunnable = notRunnableByReason(suites);
  const results: ResultsFile = { format: RESULTS_FORMAT, environment, backend: environment.backend, pass: suites.every((s) => s.pass), suites, ...(staleKnown.length && { staleKnown }), ...(Object.keys(notRunnable).length && { notRunnable }) };
  await writeText(file, jsonChunks(results), signal);
}

/** What is written to a file at once: pieces are gathered up to this, then written with a turn of the event loop. */
const CHUNK = 1 << 20;

/**
 * Writes a report file, creating its folder; the text in pieces (a results file of 100,000 cells is never one
 * string). Between writes the event loop has its turns, so that `signal` stops the writing within one piece; the
 * file is then removed, not left half written for a reader to take as results.
 */
export async function writeText(file: string, text: string | Iterable<string>, signal?: AbortSignal): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const handle = await open(file, 'w');
  try {
    for (const chunk of gathered(typeof text === 'string' ? [text] : text, CHUNK)) {
      await handle.write(chunk);
      await turn(signal);
    }
  } catch (e) {
    await handle.close();
    if (signal?.aborted) await rm(file, { force: true });
    throw e;
  }
  await handle.close();
}

/** Appends to a report file (a step summary, which other steps and commands write too), creating its folder. */
export async function appendText(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await appendFile(file, text);
}

/**
 * Checked before anything runs, so that a long run does not end in a crash at its last step: each output path must
 * name a file, not a folder, and no part of its folder may be a file. Missing folders are created when writing.
 */
export async function checkOutputPaths(paths: readonly (string | undefined)[]): Promise<void> {
  for (const file of paths) {
    if (file === undefined) continue;
    if (file === '' || file.endsWith('/') || (await stat(file).catch(() => undefined))?.isDirectory()) {
      throw new InputError(file, undefined, 'is a folder: give the path of a file to write');
    }
    for (let dir = path.dirname(path.resolve(file)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      const info = await stat(dir).catch(() => undefined);
      if (info && !info.isDirectory()) throw new InputError(file, undefined, `cannot be written: ${dir} is a file, not a folder`);
      if (info) break;
    }
  }
}
