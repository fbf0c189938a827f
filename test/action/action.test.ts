// The GitHub Action (action.yml) on the model, in a temporary "user repository": its suites (with their own copy of
// the demo app's manifests) and a tutorial with its docs config, the action's steps run as the runner runs them
// (test/support/action-runner.ts) with this repository as the action's folder. The kind path runs in
// `npm run rehearse`, with stand-in tools.
import { access, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction, type StepOutcome } from '../support/action-runner.ts';
import { fixture, REPO } from '../support/fixture.ts';

const SUITE = (expectAfterDeny: string) => `name: backend deny
manifestDir: manifests
apps: [demo]
steps:
  - name: baseline
    expect:
      frontend -> backend:8080: "ok:200"
  - name: deny
    apply: [policies/backend-ingress-deny.yaml]
    expect:
      frontend -> backend:8080: ${expectAfterDeny}
`;

const TUTORIAL = `# Deny ingress to the backend

Apply a policy that denies all ingress to the backend:

\`\`\`shell
kubectl apply -f backend-ingress-deny.yaml
\`\`\`

The frontend cannot reach the backend any more:

\`\`\`shell
kubectl exec deploy/frontend -- curl -s --connect-timeout 5 backend:8080
\`\`\`

\`\`\`
curl: (28) Connection timed out after 5001 milliseconds
command terminated with exit code 28
\`\`\`
`;

/** A user's repository: suites in a folder whose name has a space, a tutorial and its docs config. */
async function userRepository(expectAfterDeny: string): Promise<string> {
  const dir = await fixture({
    'net pol/deny.suite.yaml': SUITE(expectAfterDeny),
    'docs/deny.md': TUTORIAL,
    'docs/tutorial-config.yaml': 'apps: [demo]\n',
  });
  await mkdir(path.join(dir, 'net pol/manifests/apps'), { recursive: true });
  await mkdir(path.join(dir, 'net pol/manifests/policies'), { recursive: true });
  await copyFile(path.join(REPO, 'manifests/apps/demo.yaml'), path.join(dir, 'net pol/manifests/apps/demo.yaml'));
  const policy = path.join(REPO, 'manifests/policies/cilium-basics/backend-ingress-deny.yaml');
  await copyFile(policy, path.join(dir, 'net pol/manifests/policies/backend-ingress-deny.yaml'));
  await copyFile(policy, path.join(dir, 'docs/backend-ingress-deny.yaml'));
  return dir;
}

const step = (steps: StepOutcome[], name: string) => {
  const found = steps.find((s) => s.name === name);
  if (!found) throw new Error(`no step "${name}" in ${steps.map((s) => s.name).join(', ')}`);
  return found;
};
/** A `run:` step that ran: its exit code, output and summary. */
const ran = (steps: StepOutcome[], name: string) => {
  const { exitCode, stdout, stderr, summary } = step(steps, name);
  if (exitCode === undefined) throw new Error(`step "${name}" did not run`);
  return { exitCode, stdout: stdout!, stderr: stderr!, summary: summary! };
};
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('the GitHub Action on the model, in a user repository', { timeout: 180_000 }, () => {
  it('runs the suites and the tutorial, writes the step summary and the results folder, and uploads it', async () => {
    const workspace = await userRepository('connect-timeout');
    const steps = await runAction({
      actionPath: REPO,
      workspace,
      inputs: { suites: '  net pol/deny.suite.yaml\n\n', tutorials: 'docs/deny.md', 'docs-config': 'docs/tutorial-config.yaml', results: 'out/netpol' },
    });
    expect(steps.map((s) => [s.name, s.skipped ?? false])).toEqual([
      ['actions/setup-node@v7', false],
      ['Install netpol-e2e', false],
      ['Raise the inotify limits kind asks for', true],
      ['Bring up kind with Cilium', true],
      ['Run netpol-e2e', false],
      ['actions/upload-artifact@v7', false],
      ['Delete the cluster', true],
    ]);
    expect(step(steps, 'actions/setup-node@v7').with).toEqual({ 'node-version': '24' });
    // This clone has run npm ci: its node_modules are used (a fresh checkout of the action installs: below).
    const install = ran(steps, 'Install netpol-e2e');
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stdout).toContain(`netpol-e2e: using the node_modules already in ${REPO}`);
    const run = ran(steps, 'Run netpol-e2e');
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('PASS: 1/1 suites pass, 2 cells');
    expect(run.stdout).toContain('PASS: 1/1 tutorial(s) pass; 2 claims: 2 hold');
    expect(run.stdout).not.toMatch(/^::error/m);
    // The run's summary, then docs check's, in the step's own summary file; files named as in the workspace.
    expect(run.summary).toMatch(/^### ✅ netpol-e2e run: 1\/1 suites pass\n/);
    expect(run.summary).toContain('| ✅ | backend deny | net pol/deny.suite.yaml | 2 | 0 | 0 |  |');
    expect(run.summary).toContain('### ✅ docs/deny.md (model)');
    expect(run.summary).toContain('| ✅ holds | docs/deny.md:16 |');
    for (const file of ['run.json', 'run.html', 'docs-check.json', 'docs-check.html']) expect(await exists(path.join(workspace, 'out/netpol', file)), file).toBe(true);
    const results = JSON.parse(await readFile(path.join(workspace, 'out/netpol/run.json'), 'utf8')) as { pass: boolean; suites: { file: string }[] };
    expect(results.pass).toBe(true);
    expect(results.suites.map((s) => s.file)).toEqual(['net pol/deny.suite.yaml']);
    expect(step(steps, 'actions/upload-artifact@v7').with).toEqual({ name: 'netpol-e2e-results', path: 'out/netpol', 'if-no-files-found': 'ignore' });
  });

  it('fails the step with exit 1 on a failing suite and a contradicted tutorial, annotates their lines, and still uploads the results', async () => {
    const workspace = await userRepository('"ok:200"');
    // The tutorial without its policy: the timeout it shows is contradicted.
    await writeFile(path.join(workspace, 'docs/wrong.md'), TUTORIAL.replace(/Apply a policy[\s\S]*?```\n\n/, ''));
    const steps = await runAction({ actionPath: REPO, workspace, inputs: { suites: 'net pol', tutorials: 'docs/wrong.md', 'docs-config': 'docs/tutorial-config.yaml' } });
    const run = ran(steps, 'Run netpol-e2e');
    expect(run.exitCode).toBe(1);
    // GITHUB_ACTIONS is set: the suite's log is a group, its failed cell an annotation at its line, and so is the claim.
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::'))).toEqual([
      '::group::backend deny',
      '::endgroup::',
      '::error file=net pol/deny.suite.yaml,line=11,title=fails on model::backend deny / step 2: frontend -> backend:8080 observed connect-timeout, expected ok:200 (model connect-timeout)',
      '::error file=docs/wrong.md,line=3,title=contradicted on model::kubectl exec deploy/frontend -- curl -s --connect-timeout 5 backend:8080: claimed fails, observed ok:200: the text shows "The frontend cannot reach the backend any more:" (fails), the probe observed ok:200',
      '::error file=docs/wrong.md,line=10,title=contradicted on model::kubectl exec deploy/frontend -- curl -s --connect-timeout 5 backend:8080: claimed connect-timeout, observed ok:200: the text shows curl: (28) Connection timed out after 5001 milliseconds, the probe observed ok:200',
    ]);
    expect(run.summary).toContain('### ❌ docs/wrong.md (model)');
    expect(run.summary).toMatch(/^### ❌ netpol-e2e run: 0\/1 suites pass\n/);
    expect(run.summary).toContain('- net pol/deny.suite.yaml:11: backend deny / step 2: frontend -&gt; backend:8080 observed connect-timeout, expected ok:200 (model connect-timeout)');
    expect(step(steps, 'actions/upload-artifact@v7')).toMatchObject({ with: { path: 'netpol-e2e-results' } });
    expect(step(steps, 'actions/upload-artifact@v7').skipped).toBeUndefined();
    expect(await exists(path.join(workspace, 'netpol-e2e-results/run.json'))).toBe(true);
  });

  it('exits 2 on bad input, and no input becomes shell', async () => {
    const workspace = await userRepository('connect-timeout');
    const runWith = async (inputs: Record<string, string>) => ran(await runAction({ actionPath: REPO, workspace, inputs }), 'Run netpol-e2e');
    const backend = await runWith({ suites: 'net pol', backend: 'minikube' });
    expect(backend.exitCode).toBe(2);
    expect(backend.stdout).toContain('::error title=netpol-e2e::backend is model or kind, not "minikube"');
    const nothing = await runWith({ suites: ' \n ' });
    expect(nothing.exitCode).toBe(2);
    expect(nothing.stdout).toContain('::error title=netpol-e2e::give suites or tutorials (one path per line)');
    // A path that would be a command substitution in shell text is one argument: a suite path that does not exist.
    const hostile = await runWith({ suites: '$(touch pwned)\n`touch pwned`; touch pwned' });
    expect(hostile.exitCode).toBe(2);
    expect(hostile.stderr).toContain('$(touch pwned)');
    expect(await exists(path.join(workspace, 'pwned'))).toBe(false);
    const results = await runWith({ suites: 'net pol', results: '$(touch pwned)' });
    expect(results.exitCode, results.stderr).toBe(0);
    expect(await exists(path.join(workspace, '$(touch pwned)/run.json'))).toBe(true);
    expect(await exists(path.join(workspace, 'pwned'))).toBe(false);
  });

  it('installs its dependencies with npm ci in a fresh checkout of the action', async () => {
    // A checkout of an action with one dependency, local (file:), so that npm ci needs no registry.
    const lock = {
      name: 'action',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: 'action', version: '1.0.0', dependencies: { dep: 'file:dep' } }, dep: { version: '1.0.0' }, 'node_modules/dep': { resolved: 'dep', link: true } },
    };
    const action = await fixture({
      'package.json': JSON.stringify({ name: 'action', version: '1.0.0', dependencies: { dep: 'file:dep' } }),
      'package-lock.json': JSON.stringify(lock),
      'dep/package.json': JSON.stringify({ name: 'dep', version: '1.0.0' }),
    });
    await writeFile(path.join(action, 'action.yml'), await readFile(path.join(REPO, 'action.yml')));
    const env = { PATH: process.env.PATH!, npm_config_cache: path.join(action, '.npm'), npm_config_offline: 'true', npm_config_update_notifier: 'false' };
    const install = ran(await runAction({ actionPath: action, workspace: await fixture({}), inputs: { suites: 'x' }, env }), 'Install netpol-e2e');
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stdout).toContain('added 1 package');
    expect(await exists(path.join(action, 'node_modules/dep/package.json'))).toBe(true);
  });
});

describe("the runner of the action's steps", () => {
  const action = (step: string) => `inputs:\n  x:\n    default: ""\nruns:\n  using: composite\n  steps:\n${step}`;
  it('refuses an expression it does not evaluate, in env:, run:, with: or if:, even in a step that would not run', async () => {
    for (const step of [
      '    - shell: bash\n      env:\n        T: ${{ github.token }}\n      run: "true"\n',
      '    - shell: bash\n      run: echo ${{ runner.os }}\n',
      "    - uses: actions/cache@v5\n      with:\n        key: ${{ hashFiles('x') }}\n",
      '    - if: github.event_name == \'push\'\n      shell: bash\n      run: "true"\n',
      "    - if: inputs.x == 'kind' && steps.a.outcome == 'success'\n      shell: bash\n      run: \"true\"\n",
    ]) {
      const dir = await fixture({ 'action.yml': action(step) });
      await expect(runAction({ actionPath: dir, workspace: dir, inputs: {} }), step).rejects.toThrow(/no value for|cannot evaluate/);
    }
    const dir = await fixture({ 'action.yml': action('    - shell: bash\n      run: "true"\n') });
    await expect(runAction({ actionPath: dir, workspace: dir, inputs: { y: '1' } })).rejects.toThrow('action.yml has no input "y"');
  });

  it('after a failed step runs only steps whose if: says always(), as the implicit success() && of GitHub does', async () => {
    const steps = ['    - name: fails\n      shell: bash\n      run: exit 3\n'];
    steps.push('    - name: plain\n      if: inputs.x == \'\'\n      shell: bash\n      run: "true"\n');
    steps.push("    - name: always\n      if: always() && inputs.x == ''\n      shell: bash\n      run: echo $PWD\n");
    steps.push('    - name: not this input\n      if: always() && inputs.x != \'\'\n      shell: bash\n      run: "true"\n');
    const dir = await fixture({ 'action.yml': action(steps.join('')) });
    const outcomes = await runAction({ actionPath: dir, workspace: dir, inputs: {} });
    expect(outcomes.map((o) => [o.name, o.skipped ?? false, o.exitCode])).toEqual([
      ['fails', false, 3],
      ['plain', true, undefined],
      ['always', false, 0],
      ['not this input', true, undefined],
    ]);
    expect(outcomes[2]!.stdout).toBe(dir);
  });
});
