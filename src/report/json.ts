// Report files: the results file written out, and the writers every report file goes through (in pieces, stopped by
// a signal; appended to; their paths checked before a run).
import { appendFile, mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../input/input-error.ts';
import type { RunEnvironment, SuiteResult } from '../results/result.ts';
import { resultsFileOf } from '../results/results-file.ts';
import { gathered } from './chunks.ts';
import { jsonChunks } from './inert.ts';

/** Writes the results file of a run (results/results-file.ts says what goes in it). */
export async function writeResults(file: string, environment: RunEnvironment, suites: SuiteResult[], staleKnown: string[] = [], signal?: AbortSignal): Promise<void> {
  await writeText(file, jsonChunks(resultsFileOf(environment, suites, staleKnown)), signal);
}

/** What is written to a file at once: pieces are gathered up to this, then written, the signal checked between. */
const CHUNK = 1 << 20;

/**
 * Writes a report file, creating its folder; the text in pieces (a results file of 100,000 cells is never one
 * string). Each write waits on the file system, which gives the event loop its turn (a signal handler runs), so that
 * `signal` stops the writing within one piece; the file is then removed, not left half written for a reader to take
 * as results.
 */
export async function writeText(file: string, text: string | Iterable<string>, signal?: AbortSignal): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const handle = await open(file, 'w');
  try {
    for (const chunk of gathered(typeof text === 'string' ? [text] : text, CHUNK)) {
      await handle.write(chunk);
      signal?.throwIfAborted();
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
