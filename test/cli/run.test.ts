import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/results/results-file.ts';
import type { CellResult, SuiteResult } from '../../src/results/result.ts';
import { parseExpectation, parseObservation, satisfies } from '../../src/probe/outcome.ts';
import { cli, runInProcess, runInProcessWith } from '../support/cli.ts';
import { fixture, REPO, suiteWith } from '../support/fixture.ts';

function cell(suite: SuiteResult, step: string, key: string): CellResult {
  const found = suite.steps.find((s) => s.name.startsWith(step))?.cells.find((c) => `${c.from} -> ${c.to}` === key);
  if (!found) throw new Error(`no cell ${key} in step ${step}`);
  return found;
}

describe('netpol-e2e run, every suite on the model', () => {
  let results: ResultsFile;
  let stdout: string;
  let exitCode: number | undefined;
  beforeAll(async () => {
    const out = path.join(await fixture({}), 'results.json');
    ({ stdout, exitCode } = await runInProcess('run', 'suites', '--json', out));
    results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
  });
  const suite = (name: string) => results.suites.find((s) => s.name.startsWith(name))!;

  it('passes and exits 0', () => {
    expect(exitCode).toBe(0);
    expect(results.pass).toBe(true);
    // The three tutorial suites and the conformance pack.
    expect(results.suites).toHaveLength(71);
    expect(results.suites.filter((s) => !s.pass).map((s) => s.name)).toEqual([]);
  });

  it('holds every tutorial claim of the three seed documents', () => {
    expect(suite('Cilium basics: network').counts.claims).toBe(7);
    expect(suite('Cilium basics: DNS').counts.claims).toBe(4);
    expect(suite('NetworkPolicy tutorial').counts.claims).toBe(14);
    const cells = results.suites.flatMap((s) => s.steps.flatMap((st) => st.cells));
    expect(cells.length).toBeGreaterThanOrEqual(30);
    // On the model every observation must agree with the oracle: one code path, two uses.
    expect(cells.filter((c) => !c.agreesWithModel)).toEqual([]);
    // Each claim's expectation (what the tutorial's text shows) is met by what was observed, claim by claim; and
    // the claims say both things, so a model that dropped everything (or let everything through) fails here.
    const claimed = cells.filter((c) => c.claim !== undefined);
    expect(claimed).toHaveLength(25);
    for (const c of claimed) {
      expect(satisfies(parseExpectation(c.expected!)!, parseObservation(c.observed)!), `${c.claim}: ${c.from} -> ${c.to} expects ${c.expected}, observed ${c.observed}`).toBe(true);
    }
    const outcomes = (prefix: string) => claimed.filter((c) => c.observed.startsWith(prefix)).length;
    expect([outcomes('ok'), outcomes('connect-timeout'), outcomes('dns-timeout')]).toEqual([15, 8, 2]);
  });

  it('tells DNS failure from connect timeout, with curl evidence', () => {
    const tutorial = suite('NetworkPolicy tutorial');
    const dns = cell(tutorial, '06', 'frontend -> backend:8080');
    expect(dns).toMatchObject({ expected: 'dns-timeout', observed: 'dns-timeout', pass: true, claim: 'seeds/004_12ab6aaadef4ac20.txt:506' });
    expect(dns.evidence).toMatchObject({ exitCode: 28, stderr: 'curl: (28) Resolving timed out after 5000 milliseconds' });
    const sideEffect = cell(tutorial, '08', 'backend -> kubernetes.io');
    expect(sideEffect).toMatchObject({ expected: 'connect-timeout', observed: 'connect-timeout', pass: true });
    expect(sideEffect.evidence?.stderr).toBe('curl: (28) Connection timed out after 5001 milliseconds');
    expect(sideEffect.resolved?.name).toBe('kubernetes.io');
  });

  it('records the FQDN policy: kubernetes.io allowed, cilium.io dropped after resolving', () => {
    const dnsAware = suite('Cilium basics: DNS');
    expect(cell(dnsAware, 'backend-egress', 'backend -> https://kubernetes.io')).toMatchObject({ observed: 'ok:200', pass: true });
    const dropped = cell(dnsAware, 'backend-egress', 'backend -> https://cilium.io');
    expect(dropped).toMatchObject({ observed: 'connect-timeout', pass: true });
    expect(dropped.explanation.join('\n')).toMatch(/dns proxy: cilium\.io: allowed, matchPattern \*/);
    expect(cell(dnsAware, 'cleanup', 'backend -> https://cilium.io')).toMatchObject({ observed: 'ok:200', pass: true });
  });

  it('prints a matrix per step and a summary', () => {
    expect(stdout).toContain('Step 2: backend-ingress-deny');
    expect(stdout).toMatch(/│ not-frontend +│ ✓ connect-timeout/);
    expect(stdout).toContain('PASS: 71/71 suites pass');
  });

  it("knows its environment: the backend and netpol-e2e's version and commit, in the JSON and the first line", async () => {
    const { version } = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    const commit = (await execa('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: REPO })).stdout.trim();
    expect(results.environment).toEqual({ backend: 'model', netpolE2e: { version, commit } });
    expect(stdout.split('\n')[0]).toBe(`netpol-e2e ${version} (${commit}) on model`);
  });

  it('says where the time went, per step in the JSON and summed in the last line', () => {
    const steps = results.suites.flatMap((s) => s.steps);
    for (const step of steps) for (const k of ['applyMs', 'enforceMs', 'probeMs', 'settleMs'] as const) expect(step.timing[k]).toBeGreaterThanOrEqual(0);
    // Every step probes something, so probing always takes some time.
    expect(steps.every((s) => s.timing.probeMs > 0)).toBe(true);
    const sum = (k: 'applyMs' | 'probeMs') => (steps.reduce((n, s) => n + s.timing[k], 0) / 1000).toFixed(1);
    expect(stdout.trim().split('\n').at(-1)).toMatch(
      new RegExp(`^time: [\\d.]+ s in steps: ${sum('applyMs').replace('.', '\\.')} s applying, [\\d.]+ s waiting for enforcement, ${sum('probeMs').replace('.', '\\.')} s probing, 0\\.0 s probing until settled$`),
    );
  });
});

describe('under GitHub Actions', () => {
  it("puts each suite's output in a collapsible group", async () => {
    const { stdout } = await runInProcessWith({ GITHUB_ACTIONS: 'true' }, 'run', 'suites/cilium-dns-aware.suite.yaml', 'suites/cilium-basics-network-policies.suite.yaml');
    const markers = stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(markers).toEqual(['::group::Cilium basics: DNS-aware network policy', '::endgroup::', '::group::Cilium basics: network policies', '::endgroup::']);
  });
});

describe('output to a reader that stops reading', () => {
  it('is no crash: no stack trace, and the exit code of the run (| head)', async () => {
    // 110 kB of matrices: far more than a pipe buffers, so the CLI writes into a closed pipe.
    const { exitCode, stderr } = await execa('bash', ['-c', 'set -o pipefail; node bin/netpol-e2e.js run suites | head -1 >/dev/null'], { cwd: REPO, reject: false });
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
  });

  it('output to a full disk (>/dev/full) is one line saying so, exit 1, not a stack trace', async () => {
    // Redirected by the shell: execa's { file } writes through a pipe of its own, so the CLI would never see ENOSPC.
    const { exitCode, stderr } = await execa('bash', ['-c', 'node bin/netpol-e2e.js run suites/cilium-dns-aware.suite.yaml >/dev/full'], { cwd: REPO, reject: false, env: { NO_COLOR: '1' } });
    expect(stderr).toBe('error: cannot write to standard output: ENOSPC: no space left on device, write; the rest of the output is lost');
    expect(exitCode).toBe(1);
  });
});

describe('--only', () => {
  it('probes only the matching cells, while every step still runs its actions', async () => {
    const out = path.join(await fixture({}), 'only.json');
    const { exitCode } = await runInProcess('run', 'suites/cilium-dns-aware.suite.yaml', '--only', 'backend-egress-allow-fqdn / backend -> https://cilium', '--json', out);
    const results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(exitCode).toBe(0);
    const probed = results.suites[0]!.steps.map((s) => s.cells.map((c) => `${s.name}: ${c.from} -> ${c.to} = ${c.observed}`));
    // Had the delete of the step been skipped, cilium.io would still be dropped.
    expect(probed).toEqual([[], [], ['cleanup, kubectl delete cnp backend-egress-allow-fqdn: backend -> https://cilium.io = ok:200']]);
  });

  it('a deny from a source whose connecting cells were filtered out proves nothing, and says that --only did it', async () => {
    const { exitCode, stdout } = await runInProcess('run', 'suites/network-policy-tutorial.suite.yaml', '--only', '06 frontend');
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/unproven: frontend never connected anywhere in this run, so this deny could be a broken pod \(--only left out the cells that would show it can connect; select one of those too\)/);
    expect((await runInProcess('run', 'suites/network-policy-tutorial.suite.yaml', '--only', '06 frontend', '--only', 'baseline, demo app / frontend')).exitCode).toBe(0);
  });

  it('a filter that matches no cell is bad input (exit 2), not an empty PASS', async () => {
    const { exitCode, stdout, stderr } = await runInProcess('run', 'suites/cilium-dns-aware.suite.yaml', '--only', 'backend -> https://cilium', '--only', 'frontned');
    expect(stderr.trim()).toBe('error: --only: "frontned" matches no cell of the suites run (a cell is named "suite / step / from -> to")');
    expect(exitCode).toBe(2);
    expect(stdout).not.toMatch(/PASS/);
  });
});

describe('negative control', () => {
  it('a deliberately wrong expectation fails with a readable diff and exit 1', async () => {
    const original = await readFile(path.join(REPO, 'suites/cilium-basics-network-policies.suite.yaml'), 'utf8');
    const wrong = original
      .replace('manifestDir: ../manifests', `manifestDir: ${path.join(REPO, 'manifests')}`)
      .replace('not-frontend -> backend:8080: { outcome: connect-timeout, claim: seeds/003_87bba962e4e6e360.txt:226 }', 'not-frontend -> backend:8080: "ok:200"');
    expect(wrong).not.toBe(original);
    const dir = await fixture({ 'wrong.suite.yaml': wrong });
    const { exitCode, stdout, stderr } = await runInProcess('run', path.join(dir, 'wrong.suite.yaml'));
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(
      /suite errors: 1 expectation\(s\) contradict the policy model\n +.*wrong\.suite\.yaml:\d+: step "backend-allow-ingress-frontend \(deny policy still loaded\)": not-frontend -> backend:8080 expects ok:200, the model predicts connect-timeout/,
    );
    expect(stdout).toMatch(/✗ not-frontend -> backend:8080 \(line \d+\)\n +expected: ok:200\n +observed: connect-timeout {2}\[exit 28\] curl: \(28\) Connection timed out after 5001 milliseconds\n +model: +connect-timeout/);
    expect(stdout).toMatch(/server ingress: .*denied, default deny by NetworkPolicy default\/backend-ingress-deny/);
    expect(stdout).toMatch(/FAIL Cilium basics: network policies: .* 1 failed/);
  });
});

describe('bad input', () => {
  it('exits 2 with file:line, and runs nothing even when other suites are fine', async () => {
    const dir = await fixture({ 'bad.suite.yaml': `name: bad\nmanifestDir: ${path.join(REPO, 'manifests')}\napps: [demo]\nsteps:\n  - name: a\n    expect:\n      frontend -> backend:8080: okay\n` });
    const { exitCode, stdout, stderr } = await runInProcess('run', 'suites/cilium-dns-aware.suite.yaml', path.join(dir, 'bad.suite.yaml'));
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/^error: .*bad\.suite\.yaml:7: steps\[0\]\.expect\["frontend -> backend:8080"\]: "okay" is not an outcome/);
    expect(stdout).toBe('');
  });

  it('refuses two suites of one name in one run (exit 2), naming both files and lines: results tell suites apart by name', async () => {
    const step = `  - name: a\n    expect:\n      frontend -> backend:8080: ok:200\n`;
    const dir = await fixture({ 'a.suite.yaml': suiteWith(step), 'b.suite.yaml': `# the same suite, renamed file\n${suiteWith(step)}` });
    const { exitCode, stdout, stderr } = await runInProcess('run', dir);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/^error: .*b\.suite\.yaml:2: name: "fixture" is already the name of .*a\.suite\.yaml:1: suites that run together need names of their own/);
    expect(stdout).toBe('');
  });

  // Through the binary: its exit code is the process's.
  it('exits 2 for a path that does not exist and for an unavailable backend', async () => {
    expect((await cli('run', 'suites/nope.suite.yaml')).exitCode).toBe(2);
    const nope = await cli('run', '--backend', 'nope');
    expect(nope.exitCode).toBe(2);
    expect(nope.stderr).toMatch(/backend "nope" is not available \(available: model, kind, context\)/);
  });

  it('checks output paths before running: a folder is refused at once (exit 2), a missing folder is created', async () => {
    const dir = await fixture({ file: 'x' });
    for (const args of [
      ['--json', dir],
      ['--html', `${dir}/`],
      ['--json', path.join(dir, 'file', 'r.json')],
    ]) {
      const done = await runInProcess('run', 'suites/cilium-dns-aware.suite.yaml', ...args);
      expect([done.exitCode, done.stdout]).toEqual([2, '']);
      expect(done.stderr).toMatch(/^error: .*(is a folder: give the path of a file to write|is a file, not a folder)/);
    }
    const deep = path.join(dir, 'new', 'deeper', 'r.json');
    expect((await runInProcess('run', 'suites/cilium-dns-aware.suite.yaml', '--json', deep)).exitCode).toBe(0);
    expect(JSON.parse(await readFile(deep, 'utf8')).pass).toBe(true);
    const extracted = path.join(dir, 'x', 'y', 'suite.yaml');
    expect((await runInProcess('docs', 'extract', 'tutorials/seeds/003_87bba962e4e6e360.txt', '-o', extracted)).exitCode).toBe(0);
    expect(await readFile(extracted, 'utf8')).toMatch(/^name: /m);
  });

  it.each([['run', '--bogus'], ['explain'], ['docs', 'check'], ['run', '--settle-timeout', '-5'], ['run', '--request-timeout', '0'], ['docs', 'frobnicate'], ['lint', '--bogus'], ['compare']])(
    'a usage error under a subcommand exits 2 as at top level, with usage help: %j',
    async (...args) => {
      const { exitCode, stderr } = await runInProcess(...args);
      expect(exitCode).toBe(2);
      expect(stderr).toMatch(/^error: /m);
      expect(stderr).toMatch(/--help|Usage:/);
    },
  );
});

describe('netpol-e2e explain', () => {
  it('names the policy and rule with file and line on each side', async () => {
    const { exitCode, stdout } = await runInProcess('explain', 'suites/network-policy-tutorial.suite.yaml', '--step', '11', '--cell', 'frontend -> backend:8080');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('predicted ok:200');
    expect(stdout).toMatch(
      /allow client egress: default\/frontend-0 -> kube-system\/coredns-0:53\/UDP \(kube-dns\): allowed by NetworkPolicy default\/all-pods-egress-allow-dns spec\.egress\[0\] \(manifests\/policies\/network-policy-tutorial\/08-all-pods-egress-allow-dns\.yaml:10\)/,
    );
    expect(stdout).toMatch(/allow client egress: default\/frontend-0 -> default\/backend-0:8080\/TCP: allowed by NetworkPolicy default\/frontend-egress-allow-to-backend spec\.egress\[0\] \(.*07-frontend-egress-allow-to-backend\.yaml:12\)/);
    expect(stdout).toMatch(/allow server ingress: .*all-pods-ingress-allow-within-namespace spec\.ingress\[0\]/);
    expect(stdout).toMatch(/NetworkPolicy default\/frontend-egress-deny \(.*06-frontend-egress-deny\.yaml:4\)\n +selects: default\/frontend-0\n +isolates: egress\n/);
  });

  it('explains every cell of a step when no cell is named, inline manifests with their suite lines', async () => {
    const file = 'suites/conformance/40-should-enforce-except-clause-while-egress-access-to-server-in-cidr-blo.suite.yaml';
    const { exitCode, stdout } = await runInProcess('explain', file, '--step', '1');
    expect(exitCode).toBe(0);
    expect(stdout.match(/: predicted /g)).toHaveLength(8);
    expect(stdout).toMatch(
      /x\/a -> tcp:\/\/198\.51\.100\.20:80: predicted connect-timeout\n +Connection:\n +deny {2}client egress: x\/a-0 -> world \(198\.51\.100\.20\):80\/TCP: denied, default deny by NetworkPolicy x\/allow-client-a-via-cidr-egress-rule \(.*40-should.*:\d+\)/,
    );
    expect(stdout).toContain('the probe would exit 1: TIMEOUT');
  });

  it('explains a denial by the policies that isolate the pod', async () => {
    const { stdout } = await runInProcess('explain', 'suites/network-policy-tutorial.suite.yaml', '--step', '06 frontend', '--cell', 'frontend -> backend:8080');
    expect(stdout).toContain('predicted dns-timeout');
    expect(stdout).toMatch(/deny {2}client egress: .*:53\/UDP \(kube-dns\): denied, default deny by NetworkPolicy default\/frontend-egress-deny/);
  });

  it('exits 2 for an unknown step or cell (the binary)', async () => {
    const { exitCode, stderr } = await cli('explain', 'suites/cilium-dns-aware.suite.yaml', '--step', '9', '--cell', 'a -> b');
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/no step "9"/);
  });
});
