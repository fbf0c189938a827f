// What the client lab's real programs printed, kept in test/fixtures/client-lab/captures.json, so that tests of
// classification and of claimed output read real output without root or a network namespace (and can run under
// mutation testing). test/lab/client-lab.test.ts runs the programs again and holds the file to what they print now.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO } from '../fixture.ts';

export const CAPTURES_FILE = path.join(REPO, 'test/fixtures/client-lab/captures.json');

/** One scenario's program run in the lab, and what it printed. */
export interface LabObservation {
  name: string;
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Captures {
  /** The system that recorded them, as os-release names it: ID and VERSION_ID ("debian 12"). */
  system: string;
  /** The first line of each program's version output: the lab test compares every word only with the same version. */
  programs: Record<string, string>;
  observations: LabObservation[];
}

export async function readCaptures(): Promise<Captures> {
  return JSON.parse(await readFile(CAPTURES_FILE, 'utf8')) as Captures;
}

export async function writeCaptures(captures: Captures): Promise<void> {
  await writeFile(CAPTURES_FILE, `${JSON.stringify(captures, null, 2)}\n`);
}

/** The capture of one scenario; a scenario without one is a test error, not a skip. */
export function captured(captures: Captures, name: string): LabObservation {
  const found = captures.observations.find((o) => o.name === name);
  if (!found) throw new Error(`no capture for the lab scenario "${name}": record the captures again (see test/lab/client-lab.test.ts)`);
  return found;
}

/**
 * An observation without what changes from run to run: the Date header and dig's `;; WHEN:` line (clock readings with
 * day and month names), timestamps, timings, transfer rates and round-trip times (every number), and the padding of
 * wget's progress line.
 */
export function comparable(o: LabObservation): { exitCode: number; stdout: string; stderr: string } {
  const words = (text: string) =>
    text
      .split('\n')
      .filter((line) => !/^\s*Date: /i.test(line) && !/^;; WHEN: /.test(line))
      .join('\n')
      .replace(/\d+(\.\d+)*[KMG]?/g, 'N')
      .replace(/ +/g, ' ');
  return { exitCode: o.exitCode, stdout: words(o.stdout), stderr: words(o.stderr) };
}
