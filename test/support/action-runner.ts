// action.yml's steps run as GitHub's runner runs a composite action's: in order, each `run:` through
// `bash --noprofile --norc -eo pipefail FILE` in its working-directory, its env: mapped from the inputs, with
// GITHUB_ACTION_PATH, GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY (one file per step, as the runner gives), GITHUB_OUTPUT and
// GITHUB_ENV; a step's `if:` decides (success() by default: nothing runs after a failure but always()). `uses:` steps
// are not run (setup-node, upload-artifact) but their `with:` is evaluated and returned. Expressions: only the few the
// action uses; any other is refused, so that no step is run with an expression silently left unevaluated.
// The shell line is actions/runner's for `shell: bash` (src/Runner.Worker/Handlers/ScriptHandlerHelpers.cs, the
// default arguments of bash; job logs show it as `shell: /usr/bin/bash --noprofile --norc -e -o pipefail {0}`).
// Not emulated: secret masking, `::add-mask::` and other workflow commands, job containers, step timeouts.
// Used by test/action/action.test.ts (the model path) and scripts/rehearse.ts (the kind path, with stand-in tools).
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';

interface ActionStep {
  name?: string;
  uses?: string;
  if?: string;
  run?: string;
  shell?: string;
  'working-directory'?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

interface ActionFile {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface StepOutcome {
  name: string;
  /** Not run: its `if:` was false. */
  skipped?: boolean;
  /** A `uses:` step: what it is and its evaluated `with:`. */
  uses?: string;
  with?: Record<string, string>;
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  /** What the step wrote to its GITHUB_STEP_SUMMARY. */
  summary?: string;
}

export interface ActionRun {
  actionPath: string;
  workspace: string;
  inputs: Record<string, string>;
  /** Added to every step's environment (PATH with stand-ins, KUBECONFIG, ...). */
  env?: Record<string, string>;
  /** Called before each step that runs: the rehearsal puts the cluster side in place after the bring-up. */
  before?: (step: string) => Promise<void>;
}

/** The action's steps, run in order; the outcome of each. */
export async function runAction(options: ActionRun): Promise<StepOutcome[]> {
  const action = parse(await readFile(path.join(options.actionPath, 'action.yml'), 'utf8')) as ActionFile;
  if (action.runs.using !== 'composite') throw new Error(`action.yml: runs.using is ${action.runs.using}, not composite`);
  for (const name of Object.keys(options.inputs)) if (!(name in action.inputs)) throw new Error(`action.yml has no input "${name}"`);
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, options.inputs[name] ?? input.default ?? '']));
  const work = await mkdtemp(path.join(tmpdir(), 'netpol-e2e-runner-'));
  const files = { GITHUB_OUTPUT: path.join(work, 'output'), GITHUB_ENV: path.join(work, 'env') };
  for (const file of Object.values(files)) await writeFile(file, '');
  const value = (expression: string): string => {
    const e = expression.trim();
    const input = /^inputs\.([\w-]+)$/.exec(e);
    if (input) {
      if (!(input[1]! in inputs)) throw new Error(`action.yml: \${{ ${e} }} names no input`);
      return inputs[input[1]!]!;
    }
    if (e === 'github.action_path') return options.actionPath;
    if (e === 'github.workspace') return options.workspace;
    throw new Error(`action-runner: no value for \${{ ${e} }}`);
  };
  const substitute = (text: string) => text.replace(/\$\{\{([^}]*)\}\}/g, (_, e: string) => value(e));
  let failed = false;
  /** `if:` as the action writes it: always(), success(), failure(), inputs.X == / != 'literal', joined by &&. */
  const condition = (text: string | undefined): boolean => {
    if (text === undefined) return !failed;
    // Every term evaluated (map, then every), so that an unknown one is refused on every path.
    const terms = text.split('&&').map((term) => {
      const t = term.trim();
      if (t === 'always()') return true;
      if (t === 'success()') return !failed;
      if (t === 'failure()') return failed;
      const comparison = /^(inputs\.[\w-]+)\s*(==|!=)\s*'([^']*)'$/.exec(t);
      if (!comparison) throw new Error(`action-runner: cannot evaluate if: ${text}`);
      return (value(comparison[1]!) === comparison[3]) === (comparison[2] === '==');
    });
    // As GitHub does, an if: without a status function means success() && it.
    const status = /\b(always|success|failure|cancelled)\(\)/.test(text);
    return terms.every(Boolean) && (status || !failed);
  };
  const outcomes: StepOutcome[] = [];
  for (const [i, step] of action.runs.steps.entries()) {
    const name = step.name ?? step.uses ?? `step ${i + 1}`;
    const runs = condition(step.if);
    if (step.uses) {
      const evaluated = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v))]));
      outcomes.push({ name, uses: step.uses, with: evaluated, ...(!runs && { skipped: true }) });
      continue;
    }
    if (step.shell !== 'bash') throw new Error(`action.yml: step "${name}" runs in shell ${step.shell}, not bash`);
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v))]));
    const cwd = step['working-directory'] ? substitute(step['working-directory']) : options.workspace;
    const script = substitute(step.run!);
    if (!runs) {
      outcomes.push({ name, skipped: true });
      continue;
    }
    await options.before?.(name);
    const file = path.join(work, `step-${i}.sh`);
    const summary = path.join(work, `summary-${i}.md`);
    await writeFile(file, script);
    await writeFile(summary, '');
    const r = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
      cwd,
      reject: false,
      env: { ...options.env, ...env, ...files, GITHUB_ACTIONS: 'true', GITHUB_ACTION_PATH: options.actionPath, GITHUB_WORKSPACE: options.workspace, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: work },
    });
    outcomes.push({ name, exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr, summary: await readFile(summary, 'utf8') });
    if (r.exitCode !== 0) failed = true;
  }
  return outcomes;
}
