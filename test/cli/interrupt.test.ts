// Ctrl-C is a real SIGINT to the real CLI process (issue 15): the model run stops within a step, says so, and exits
// 130 without claiming a result; a second SIGINT quits at once. SIGTERM and SIGHUP do the same (issue 23), also in a
// CPU-heavy step, and while the report of such a step is printed. On the kube backend the signal reaches a request or
// an exec in flight (held there by the stand-in, with bounds far beyond the test's timeout), and a stand-in that dies
// mid-run ends the cleanup after one call's retries with the list of what may be left behind: one of these runs is the
// real process sent a real signal, the others run the command line in-process, stopped as the signal would stop it
// (its abort reason the signal's `Interrupted`). Readiness is read from the output or the stand-in's hooks, not
// waited for.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeGeneratedSuite } from '../../bench/generate-suite.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { Interrupted } from '../../src/session/interrupt.ts';
import { cli, cliWith, runInProcessStoppedBy, runInProcessWith } from '../support/cli.ts';
import { runHere, type RecordedRequest } from '../support/fake-apiserver.ts';
import { fixture, REPO, suiteWith } from '../support/fixture.ts';
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
  it('SIGTERM cuts the report short, writes no results or JUnit file, and the run exits 143', async () => {
    const dir = await fixture({});
    const suite = await writeGeneratedSuite(dir, 142);
    const [results, junit] = [path.join(dir, 'results.json'), path.join(dir, 'junit.xml')];
    const child = spawn(process.execPath, [path.join(REPO, 'bin/netpol-e2e.js'), 'run', suite, '--json', results, '--junit', junit], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
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
    for (const file of [results, junit]) {
      expect(stderr).toContain(`${file}: not written: interrupted (SIGTERM)`);
      expect(existsSync(file)).toBe(false);
    }
  });
});

describe('Ctrl-C, and a dead API server, on the kube backend (the API server stand-in, the model as datapath)', () => {
  const SUITE = path.join(REPO, 'suites/network-policy-tutorial.suite.yaml');
  let api: ModelApiServer;
  afterEach(() => api.stop());

  beforeEach(async () => {
    api = await new ModelApiServer((await loadSuite(SUITE)).world).start();
  });

  /** The real CLI on the stand-in, sent SIGINT when the stand-in first sees an object of a kind `when` picks applied. */
  async function runSignalled(when: (kind: string | undefined) => boolean) {
    const { env, args } = await standInContext(api);
    const child = cliWith(env, 'run', ...args, SUITE);
    let sent = false;
    api.changes.push((object, type) => {
      if (!sent && type === 'applied' && when(object.kind)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const done = await child;
    expect(sent).toBe(true);
    return done;
  }

  /** The command line in-process on the stand-in, stopped as by `signal` when the stand-in first sees an object of a kind `when` picks applied. */
  async function runInterrupted(when: (kind: string | undefined) => boolean, signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP' = 'SIGINT') {
    const { env, args } = await standInContext(api);
    const stop = new AbortController();
    api.changes.push((object, type) => {
      if (!stop.signal.aborted && type === 'applied' && when(object.kind)) stop.abort(new Interrupted(signal));
    });
    const done = await runInProcessStoppedBy(stop.signal, env, 'run', ...args, SUITE);
    expect(stop.signal.aborted).toBe(true);
    return done;
  }

  it('ends a wait for a rollout that never completes at once, deletes what it applied, and exits 130 (a real SIGINT to the process)', async () => {
    // Deployments never become available: without the signal reaching the watch, the run would wait out its 180 s.
    api.rolloutDelayMs = undefined;
    const done = await runSignalled((kind) => kind === 'Deployment');
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

  /** The command line in-process on the stand-in running `suite`, stopped as by `signal` when a request `when` picks arrives (before it is answered). */
  async function interruptedIn(when: (request: RecordedRequest) => boolean, signal: 'SIGINT' | 'SIGTERM', suite: string, ...args: string[]) {
    const { env, args: context } = await standInContext(api);
    const stop = new AbortController();
    api.arrivals.push((request) => {
      if (!stop.signal.aborted && when(request)) stop.abort(new Interrupted(signal));
    });
    const done = await runInProcessStoppedBy(stop.signal, env, 'run', ...context, ...args, suite);
    expect(stop.signal.aborted).toBe(true);
    return done;
  }

  const policyApply = (r: RecordedRequest) => r.method === 'PATCH' && r.path.includes('/networkpolicies/');

  // The request is held unanswered, and its bound is an hour: only the signal reaching it ends the run in the test's time.
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s ends a request in flight at once, undoes the suite and exits %i', async (signal, code) => {
    api.misbehave(policyApply, 'silent', 1);
    const done = await interruptedIn(policyApply, signal, SUITE, '--request-timeout', '3600');
    expect(done.exitCode).toBe(code);
    expect(api.misbehaved).toHaveLength(1);
    expect(done.stdout).not.toMatch(/^PASS: /m);
    expect(api.leftovers()).toEqual([]);
    expect(api.namespaceLabels('kube-system')).toEqual({ 'kubernetes.io/metadata.name': 'kube-system' });
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s ends an exec whose probe never ends at once, undoes the suite and exits %i', async (signal, code) => {
    // A connect timeout of 60 s bounds the exec by 3 x 60 + 15 s: only the signal reaching it ends the run in the test's time.
    const dir = await fixture({
      'hang.suite.yaml': suiteWith('  - name: a probe that hangs\n    expect:\n      frontend -> backend:8080: "ok:200"\n', 'probe: { connectTimeout: 60 }\n'),
      'bin/curl': '#!/bin/sh\n# a probe that never ends\nexec sleep 3600\n',
    });
    await chmod(path.join(dir, 'bin/curl'), 0o755);
    // The stand-in's exec runs the probe script in a real sh, whose curl hangs.
    api.exec = runHere({ PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` });
    const done = await interruptedIn((r) => r.path.endsWith('/exec'), signal, path.join(dir, 'hang.suite.yaml'));
    expect(done.exitCode).toBe(code);
    expect(done.stderr).toContain('cleaning up');
    expect(api.execs).toHaveLength(1);
    expect(api.leftovers()).toEqual([]);
  });

  it("a dead API server (the stand-in dies mid-run) ends the cleanup after one call's retries, lists what may be left behind with the commands to remove it, and exits 1", async () => {
    const { env, args } = await standInContext(api);
    const run = runInProcessWith(env, 'run', ...args, SUITE, SUITE.replace('network-policy-tutorial', 'cilium-dns-aware'));
    let left: string[] = [];
    api.changes.push((object, type) => {
      if (type === 'applied' && object.kind === 'NetworkPolicy' && left.length === 0) {
        // What netpol-e2e has created when the server dies, the policy being applied included.
        left = api.leftovers();
        api.die();
      }
    });
    const done = await run;
    expect(left.length).toBeGreaterThan(3);
    expect(done.exitCode).toBe(1);
    const [head, ...rest] = done.stderr.slice(done.stderr.indexOf('cleanup stopped')).trimEnd().split('\n');
    expect(head).toMatch(
      new RegExp(`^cleanup stopped: the API server ${api.url.replace(/[.]/g, '[.]')} could not be reached \\(delete NetworkPolicy default/.*ECONNREFUSED.* \\(4 attempts\\)\\)\\. These may be left behind on the cluster:$`),
    );
    const listed = rest.slice(0, rest.indexOf('Undo them by hand once the cluster answers:'));
    // Exactly what netpol-e2e had created, each once: from the policy back to the namespaces, none tried after the first.
    expect(listed.map((l) => l.trim()).sort()).toEqual(left.map((l) => l.replace(' /', ' ')).sort());
    const commands = rest.slice(listed.length + 1).map((l) => l.trim());
    expect(commands).toContain('kubectl --context stand-in delete --ignore-not-found -n default deployment frontend');
    expect(commands.every((c) => c.startsWith('kubectl --context stand-in '))).toBe(true);
    // Every object is named by a command: its own, or its namespace's.
    for (const entry of listed.map((l) => l.trim())) {
      const [kind, ref] = entry.split(' ') as [string, string];
      const [namespace, name] = ref.includes('/') ? ref.split('/') : [undefined, ref];
      expect(commands.some((c) => c.endsWith(`${kind.toLowerCase()} ${name}`) || (namespace && c.endsWith(`namespace ${namespace}`)))).toBe(true);
    }
    // The second suite never started: its server is gone.
    expect(done.stdout).not.toContain('Cilium basics');
  });
});
