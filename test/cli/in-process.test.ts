// The command line in-process (runCli, as tests and programmatic callers run it): a command leaves nothing of its own
// behind in the process (no signal listener, no state a second run would see), and the caller's AbortSignal stops it
// as the signal its reason names would stop the binary.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Interrupted, INTERRUPTS } from '../../src/session/interrupt.ts';
import { runCli } from '../../src/cli/program.ts';
import { runInProcess, runInProcessStoppedBy } from '../support/cli.ts';

const SUITE = 'suites/cilium-dns-aware.suite.yaml';
const listeners = () => INTERRUPTS.map((s) => process.listenerCount(s));
/** The report without the lines that time it. */
const untimed = (text: string) => text.split('\n').filter((l) => !/\d s\b|\d+ms\b/.test(l));

describe("runCli on the process's signals (no AbortSignal given)", () => {
  it.each([[['run', SUITE]], [['docs', 'check', 'tutorials/seeds/002_76b179241617974a.txt']], [['run', 'suites/nope.suite.yaml']]])('%j leaves no signal listener behind', async (argv) => {
    const before = listeners();
    const sink = new PassThrough().resume();
    const code = await runCli(argv, { stdout: sink, stderr: sink, env: process.env });
    expect(code).toBe(argv.includes('suites/nope.suite.yaml') ? 2 : 0);
    expect(listeners()).toEqual(before);
  });
});

describe('runs one after another in one process', () => {
  it('the same run twice prints the same report and results', async () => {
    const [first, second] = [await runInProcess('run', SUITE), await runInProcess('run', SUITE)];
    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    expect(untimed(second.stdout)).toEqual(untimed(first.stdout));
    expect(second.stderr).toBe(first.stderr);
  });
});

describe('an AbortSignal whose reason is an Interrupted', () => {
  it.each([
    ['SIGINT', 130, 'interrupted: cleaning up'],
    ['SIGTERM', 143, 'interrupted by SIGTERM: cleaning up'],
  ] as const)('%s: the run stops before its first suite, says so, and ends with exit %i', async (signal, code, said) => {
    const stop = new AbortController();
    stop.abort(new Interrupted(signal));
    const done = await runInProcessStoppedBy(stop.signal, {}, 'run', SUITE);
    expect(done.exitCode).toBe(code);
    expect(done.stderr.trim()).toBe(said);
    expect(done.stdout).not.toMatch(/^PASS/m);
  });
});
