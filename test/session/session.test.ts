// The run session in-process: what its reporters hear and in what order, which files a signal leaves unwritten,
// and the exit codes it returns (0 pass, 1 a failure, 128 + the signal's number when stopped; bad input throws, the
// command line's exit 2).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/input-error.ts';
import { jsonReporter } from '../../src/report/file-reporters.ts';
import type { Io } from '../../src/report/io.ts';
import type { Reporter } from '../../src/report/reporter.ts';
import { terminalReporter } from '../../src/report/terminal-reporter.ts';
import type { SuiteResult } from '../../src/results/result.ts';
import { Interrupted } from '../../src/session/interrupt.ts';
import { runSession, type SessionOptions } from '../../src/session/session.ts';
import { fixture, REPO, suiteWith } from '../support/fixture.ts';

/** An Io whose streams are read into strings, and whose signal the test fires. */
function memoryIo(env: NodeJS.ProcessEnv = {}) {
  const text = { stdout: '', stderr: '' };
  const stream = (name: keyof typeof text) => new PassThrough().on('data', (chunk: Buffer) => void (text[name] += chunk.toString()));
  const controller = new AbortController();
  const io: Io = { stdout: stream('stdout'), stderr: stream('stderr'), env, signal: controller.signal };
  return { io, text, stop: (signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP') => controller.abort(new Interrupted(signal)) };
}

/** A reporter that writes down every event it hears, by name (and suite or step); `on` acts on one of them. */
function recorder(on: Partial<Record<string, () => void>> = {}) {
  const heard: string[] = [];
  const hear = (event: string) => {
    heard.push(event);
    on[event.split(' ')[0]!]?.();
  };
  const reporter: Reporter<SuiteResult> = {
    planned: () => hear('planned'),
    begin: ({ backendName }) => hear(`begin ${backendName}`),
    suiteBegin: (suite) => hear(`suiteBegin ${suite.name}`),
    step: (_suite, step) => hear(`step ${step.index + 1}`),
    suiteEnd: (result) => hear(`suiteEnd ${result.name} ${result.pass ? 'pass' : 'fail'}`),
    end: ({ results }) => hear(`end ${results.length}`),
    totals: () => hear('totals'),
  };
  return { heard, reporter };
}

const DNS_AWARE = path.join(REPO, 'suites/cilium-dns-aware.suite.yaml');
const options = (suites: string[]): SessionOptions => ({ backend: 'model', suites, preflight: true });
const identity = (result: SuiteResult) => result;

describe('the run session', () => {
  it('tells its reporters each event in order, and exits 0 when every expectation holds', async () => {
    const { io } = memoryIo();
    const { heard, reporter } = recorder();
    expect(await runSession(options([DNS_AWARE]), io, [reporter], identity)).toBe(0);
    expect(heard).toEqual(['planned', 'begin model', 'suiteBegin Cilium basics: DNS-aware network policy', 'step 1', 'step 2', 'step 3', 'suiteEnd Cilium basics: DNS-aware network policy pass', 'end 1', 'totals']);
  });

  it('under GitHub Actions, each suite report is a collapsible group', async () => {
    const { io, text } = memoryIo({ GITHUB_ACTIONS: 'true' });
    expect(await runSession(options([DNS_AWARE]), io, [terminalReporter(io)], identity)).toBe(0);
    expect(text.stdout.split('\n').filter((l) => l.startsWith('::'))).toEqual(['::group::Cilium basics: DNS-aware network policy', '::endgroup::']);
  });

  it('exits 1 when a cell fails', async () => {
    const dir = await fixture({ 'wrong.suite.yaml': suiteWith('  - name: a\n    expect:\n      frontend -> backend:8080: connect-timeout\n') });
    const { io, text } = memoryIo();
    expect(await runSession(options([dir]), io, [terminalReporter(io)], identity)).toBe(1);
    expect(text.stdout).toMatch(/^FAIL: 0\/1 suites pass/m);
  });

  it('stops at bad input before any reporter hears the run begin', async () => {
    const dir = await fixture({ 'bad.suite.yaml': suiteWith('  - name: a\n    expect:\n      frontend -> backend:8080: okay\n') });
    const { heard, reporter } = recorder();
    await expect(runSession(options([dir]), memoryIo().io, [reporter], identity)).rejects.toThrow(InputError);
    expect(heard).toEqual([]);
  });

  it('a signal before the run: no reporter hears it begin, and the exit code names the signal', async () => {
    const { io, stop } = memoryIo();
    stop('SIGHUP');
    const { heard, reporter } = recorder();
    expect(await runSession(options([DNS_AWARE]), io, [reporter], identity)).toBe(129);
    expect(heard).toEqual([]);
  });

  it('a signal while a suite report is printed cuts the report short: the files after it are not written', async () => {
    const { io, text, stop } = memoryIo();
    const results = path.join(await fixture({}), 'results.json');
    // The signal arrives as the suite's report begins (the recorder hears the suite end before the terminal prints).
    const { reporter } = recorder({ suiteEnd: () => stop('SIGTERM') });
    expect(await runSession(options([DNS_AWARE]), io, [reporter, terminalReporter(io), jsonReporter(results)], identity)).toBe(143);
    expect(text.stdout).toContain('report cut short: interrupted (SIGTERM)');
    expect(text.stderr).toContain(`${results}: not written: interrupted (SIGTERM)`);
    expect(existsSync(results)).toBe(false);
  });

  it('a signal during a step stops the run, and the report of what ran is still printed and written', async () => {
    const { io, text, stop } = memoryIo();
    const results = path.join(await fixture({}), 'results.json');
    const { reporter } = recorder({ step: () => stop('SIGINT') });
    expect(await runSession(options([DNS_AWARE, path.join(REPO, 'suites/cilium-basics-network-policies.suite.yaml')]), io, [reporter, terminalReporter(io), jsonReporter(results)], identity)).toBe(130);
    const written = JSON.parse(await readFile(results, 'utf8')) as { suites: SuiteResult[] };
    // The first suite stopped after its first step; the second never began.
    expect(written.suites.map((s) => [s.name, s.steps.length])).toEqual([['Cilium basics: DNS-aware network policy', 1]]);
    expect(text.stdout).toMatch(/^FAIL: 0\/1 suites pass/m);
  });
});
