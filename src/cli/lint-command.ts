// `netpol-e2e lint`: findings of suites walked on the model (src/lint).
import pc from 'picocolors';
import { lintSuite } from '../lint/lint.ts';
import { inertDeep } from '../report/inert.ts';
import { discoverSuites } from '../suite/discover.ts';
import { loadSuite } from '../suite/load.ts';
import { writeLine, type Io } from '../report/io.ts';

export async function lintCommand(paths: string[], io: Io): Promise<number> {
  const files = await discoverSuites(paths.length ? paths : ['suites']);
  let count = 0;
  for (const file of files) {
    for (const f of inertDeep(await lintSuite(await loadSuite(file)))) {
      count++;
      writeLine(io.stdout, `${f.file}${f.line ? `:${f.line}` : ''}: ${pc.yellow(f.rule)}: ${f.message}`);
    }
  }
  writeLine(io.stdout, `${count ? pc.yellow(`${count} finding(s)`) : pc.green('no findings')} in ${files.length} suite(s)`);
  return count ? 1 : 0;
}
