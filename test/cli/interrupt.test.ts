// Ctrl-C is a real SIGINT to the real CLI process (issue 15): the model run stops within a step, says so, and exits
// 130 without claiming a result; a second SIGINT quits at once. SIGTERM and SIGHUP do the same (issue 23), also in a
// CPU-heavy step. Readiness is read from the output, not waited for.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeGeneratedSuite } from '../../bench/generate-suite.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { cli, cliWith } from '../support/cli.ts';
import { fixture, REPO } from '../support/fixture.ts';
import { ModelApiServer } from '../support/model-apiserver.ts';
import { standInContext } from '../support/stand-in-run.ts';

/** Resolves once `stream` has carried `marker`. */
function printedTo(stream: NodeJS.ReadableStream, marker: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    stream.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(marker)) resolve();
    });
  });
}

/** Resolves once the child's stdout has printed `marker`. */
const printed = (child: ReturnType<typeof cli>, marker: string) => printedTo(child.stdout!, marker);

/** A second signal quits at once by dying of it (a shell reports 128 + its number). */
const quitBy = (done: { signal?: string; exitCode?: number }) => done.signal ?? `exit ${done.exitCode}`;

describe('Ctrl-C', () => {
  it('stops a model run of every suite after the suite it is in, and exits 130', async () => {
    const child = cli('run');
    await printed(child, 'PASS conformance 01');
    child.kill('SIGINT');
    const done = await child;
    expect(done.exitCode).toBe(130);
    expect(done.stderr).toContain('interrupted: cleaning up (Ctrl-C again to quit at once)');
    // Not every suite ran, and no overall PASS was claimed.
    expect(done.stdout).not.toMatch(/^PASS: /m);
    expect(done.stdout).toMatch(/^FAIL: \d+\/\d+ suites pass/m);
    expect(Number(/FAIL: \d+\/(\d+) suites pass/.exec(done.stdout)![1])).toBeLessThan(71);
  });

  it('a second Ctrl-C quits at once', async () => {
    const child = cli('run');
    await printed(child, 'PASS conformance 01');
    child.kill('SIGINT');
    child.kill('SIGINT');
    const done = await child;
    // Two signals sent back to back may reach the handler as one: then the run stops as after one, with 130.
    expect(['SIGINT', 'exit 130']).toContain(quitBy(done));
  });

  it('a second Ctrl-C quits while the results file is a FIFO nobody reads', async () => {
    const dir = await fixture({});
    const fifo = path.join(dir, 'results.json');
    await execa('mkfifo', [fifo]);
    const child = cli('run', 'suites/cilium-dns-aware.suite.yaml', '--json', fifo);
    // The suite's summary is printed just before the results file is opened, which blocks without a reader.
    await printed(child, 'PASS Cilium basics: DNS-aware network policy:');
    child.kill('SIGINT');
    await printedTo(child.stderr!, 'interrupted: cleaning up');
    child.kill('SIGINT');
    expect(quitBy(await child)).toBe('SIGINT');
  });
});

describe('a signal in a step of 20,000 cells (a generated suite)', () => {
  let suite: string;
  beforeAll(async () => {
    suite = await writeGeneratedSuite(await fixture({}), 142);
  });

  it('SIGTERM stops the step it arrives in, and the run exits 143', async () => {
    const child = cli('run', suite);
    // The legend is printed once every suite is predicted: the step's walk, probes and judging follow.
    await printed(child, 'known divergence');
    child.kill('SIGTERM');
    const done = await child;
    expect(done.exitCode).toBe(143);
    expect(done.stderr).toContain('interrupted by SIGTERM: cleaning up');
    // The step was abandoned where the signal found it, not finished first.
    expect(done.stdout).toMatch(/generated .*: 0 steps, 0 cells/);
    expect(done.stdout).toContain('stopped: interrupted (SIGTERM)');
  });
});

describe('a signal while the report of a step of 20,000 cells is printed', () => {
  it('SIGTERM cuts the report short, writes no results file, and the run exits 143', async () => {
    const dir = await fixture({});
    const suite = await writeGeneratedSuite(dir, 142);
    const results = path.join(dir, 'results.json');
    const child = spawn(process.execPath, [path.join(REPO, 'bin/netpol-e2e.js'), 'run', suite, '--json', results], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // The report begins with its title; once it is read, reading stops: the report (half a megabyte) then waits for
    // this reader, so the signal arrives while it is being printed, whatever the speed of the machine.
    await new Promise<void>((resolve) => {
      const read = (chunk: Buffer) => {
        stdout += chunk.toString();
        if (!stdout.includes('━━ generated')) return;
        child.stdout.pause();
        child.stdout.off('data', read);
        resolve();
      };
      child.stdout.on('data', read);
    });
    child.kill('SIGTERM');
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stdout.resume();
    expect(await exited).toBe(143);
    expect(stderr).toContain('interrupted by SIGTERM: cleaning up');
    expect(stdout).toContain('report cut short: interrupted (SIGTERM)');
    // Neither the rest of the matrix nor the suite's verdict was printed, and no overall PASS claimed.
    expect(stdout).not.toMatch(/^PASS generated/m);
    expect(stdout).not.toMatch(/^PASS: /m);
    expect(stdout).toMatch(/^FAIL: 1\/1 suites pass/m);
    expect(stderr).toContain(`${results}: not written: interrupted (SIGTERM)`);
    expect(existsSync(results)).toBe(false);
  });
});

describe('Ctrl-C on the kube backend (the API server stand-in, the model as datapath)', () => {
  const SUITE = path.join(REPO, 'suites/network-policy-tutorial.suite.yaml');
  let api: ModelApiServer;
  afterEach(() => api.stop());

  beforeEach(async () => {
    api = await new ModelApiServer((await loadSuite(SUITE)).world).start();
  });

  /** The real CLI on the stand-in, sent `signal` when the stand-in first sees an object of a kind `when` picks applied. */
  async function runInterrupted(when: (kind: string | undefined) => boolean, signal: NodeJS.Signals = 'SIGINT') {
    const { env, args } = await standInContext(api);
    const child = cliWith(env, 'run', ...args, SUITE);
    let sent = false;
    api.changes.push((object, type) => {
      if (!sent && type === 'applied' && when(object.kind)) {
        sent = true;
        child.kill(signal);
      }
    });
    const done = await child;
    expect(sent).toBe(true);
    return done;
  }

  it('ends a wait for a rollout that never completes at once, deletes what it applied, and exits 130', async () => {
    // Deployments never become available: without the signal reaching the watch, the run would wait out its 180 s.
    api.rolloutDelayMs = undefined;
    const done = await runInterrupted((kind) => kind === 'Deployment');
    expect(done.exitCode).toBe(130);
    expect(done.stderr).toContain('interrupted: cleaning up (Ctrl-C again to quit at once)');
    expect(done.stdout).not.toMatch(/^PASS/m);
    expect(api.leftovers()).toEqual([]);
  });

  it('stops within the step that applies a policy, undoes the suite and restores what it relabelled', async () => {
    const done = await runInterrupted((kind) => kind === 'NetworkPolicy');
    expect(done.exitCode).toBe(130);
    expect(done.stdout).not.toMatch(/^PASS: /m);
    expect(api.leftovers()).toEqual([]);
    expect(api.namespaceLabels('kube-system')).toEqual({ 'kubernetes.io/metadata.name': 'kube-system' });
    // The run got as far as a policy, and no further than the step that applied it.
    expect(api.requests.some((r) => r.method === 'PATCH' && r.path.includes('/networkpolicies/'))).toBe(true);
  });

  // A CI timeout or `docker stop` sends SIGTERM, a closed terminal SIGHUP: the same cleanup, exit 128 + the signal.
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s cleans up as Ctrl-C does, also in a rollout wait, and exits %i', async (signal, code) => {
    const inStep = await runInterrupted((kind) => kind === 'NetworkPolicy', signal);
    expect(inStep.exitCode).toBe(code);
    expect(inStep.stderr).toContain(`interrupted by ${signal}: cleaning up`);
    expect(inStep.stdout).not.toMatch(/^PASS: /m);
    expect(api.leftovers()).toEqual([]);
    expect(api.namespaceLabels('kube-system')).toEqual({ 'kubernetes.io/metadata.name': 'kube-system' });
    api.rolloutDelayMs = undefined;
    const inRollout = await runInterrupted((kind) => kind === 'Deployment', signal);
    expect(inRollout.exitCode).toBe(code);
    expect(api.leftovers()).toEqual([]);
  });
});
