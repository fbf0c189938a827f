// Known divergences: a cell that fails on some versions for a reason known upstream is reported as known, not
// failed, on those versions only; an entry whose cell no longer diverges is reported stale; a bad file is bad input.
// Through the command line (in-process) against the API server stand-in, whose agents report Cilium 1.20.2, with a datapath that lets
// one flow through against the policy, as a Cilium with that bug would.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSuite } from '../../src/suite/load.ts';
import { runInProcess } from '../support/cli.ts';
import { fixture, REPO } from '../support/fixture.ts';
import { ModelApiServer } from '../support/model-apiserver.ts';
import { runOnStandIn } from '../support/stand-in-run.ts';

const SUITE = path.join(REPO, 'suites/network-policy-tutorial.suite.yaml');
const NAME = 'NetworkPolicy tutorial: ingress, namespaces, egress and DNS';
let api: ModelApiServer;

beforeEach(async () => {
  api = await new ModelApiServer((await loadSuite(SUITE)).world, { ciliumAgents: true }).start();
  const modelled = api.model.simulate.bind(api.model);
  api.model.simulate = (pod, argv) => (pod.name.startsWith('frontend') && argv.at(-1) === 'http://backend:8080/' ? { exitCode: 0, stdout: 'HTTP/1.1 200 OK\r\n\r\n', stderr: '' } : modelled(pod, argv));
});
afterEach(() => api.stop());

const entry = (cilium: string, extra = '') => `- suite: "${NAME}"
  step: 01 backend ingress
  from: frontend
  to: backend:8080
  cilium: "${cilium}"
  observed: ok:200
  why: https://github.com/cilium/cilium/issues/00000 (a stand-in bug)
${extra}`;

describe('known divergences', () => {
  it('reports the cell as known on the versions named, and the run passes', async () => {
    const dir = await fixture({ 'known.yaml': entry('>=1.20.0 <1.21.0') });
    const { exitCode, stdout, stderr, results } = await runOnStandIn(api, SUITE, '--only', '01 ', '--settle-timeout', '1', '--known', path.join(dir, 'known.yaml'));
    expect(exitCode).toBe(0);
    // Not a terminal, on a cluster backend: a progress line per step with where its time went.
    expect(stderr).toMatch(/^ {2}step 2\/\d+ 01 backend ingress default deny: \d+ cells; apply [\d.]+ s, enforce [\d.]+ s, probe [\d.]+ s, settle [\d.]+ s$/m);
    const cell = results.suites[0]!.steps.flatMap((s) => s.cells).find((c) => c.from === 'frontend' && c.to === 'backend:8080')!;
    expect(cell).toMatchObject({ observed: 'ok:200', expected: 'connect-timeout', pass: true, known: expect.stringMatching(/issues\/00000 .*known\.yaml:1\)$/) });
    expect(stdout).toMatch(/~ ok:200 \(known\)/);
    expect(stdout).toMatch(/1 known divergence\(s\)/);
  });

  it('leaves the failure a failure on other versions', async () => {
    const dir = await fixture({ 'known.yaml': entry('<1.20.0') });
    const { exitCode, results } = await runOnStandIn(api, SUITE, '--only', '01 ', '--settle-timeout', '1', '--known', path.join(dir, 'known.yaml'));
    expect(exitCode).toBe(1);
    expect(results.suites[0]!.steps.flatMap((s) => s.cells).find((c) => c.from === 'frontend' && c.to === 'backend:8080')).toMatchObject({ pass: false });
  });

  it('names an entry stale whose cell no longer diverges on its versions', async () => {
    const stale = entry('1.20.x').replace('from: frontend', 'from: backend').replace('to: backend:8080', 'to: kubernetes.io').replace('observed: ok:200', 'observed: connect-timeout');
    const dir = await fixture({ 'known.yaml': `${entry('1.20.x')}${stale}` });
    const { exitCode, stdout, results } = await runOnStandIn(api, SUITE, '--only', '01 ', '--settle-timeout', '1', '--known', path.join(dir, 'known.yaml'));
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/stale known divergence at .*known\.yaml:8: .* backend -> kubernetes.io no longer diverges/);
    expect(results.staleKnown).toEqual([`${path.join(dir, 'known.yaml')}:8`]);
  });

  it('refuses a bad file with file:line and exit 2', async () => {
    const dir = await fixture({ 'a.yaml': entry('not a range'), 'b.yaml': entry('1.20.x').replace(/ {2}cilium: .*\n/, ''), 'c.yaml': entry('1.20.x', '  color: red\n') });
    const run = (file: string) => runInProcess('run', SUITE, '--known', path.join(dir, file));
    const a = await run('a.yaml');
    expect(a.exitCode).toBe(2);
    expect(a.stderr).toMatch(/a\.yaml:5: \[0\]\.cilium: not a semver range/);
    expect((await run('b.yaml')).stderr).toMatch(/b\.yaml:1: \[0\]: name the versions it diverges on/);
    const c = await run('c.yaml');
    expect(c.exitCode).toBe(2);
    expect(c.stderr).toMatch(/c\.yaml:8: \[0\]\.color: unknown field "color"/);
  });
});
