// The GitHub workflows pass actionlint, and the lint command does find what is wrong in a broken copy.
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { fixture, REPO } from '../support/fixture.ts';

const lint = (dir?: string) => execa(process.execPath, ['--import', 'tsx', 'scripts/lint-workflows.ts', ...(dir ? [dir] : [])], { cwd: REPO, reject: false });

describe('workflow lint', () => {
  it('passes ci.yml and e2e.yml', async () => {
    const { exitCode, stdout } = await lint();
    expect(stdout).toMatch(/actionlint: no findings in 2 workflow\(s\): ci\.yml, e2e\.yml/);
    expect(exitCode).toBe(0);
  });

  it('reports a reference to a job that does not exist and broken YAML with file:line:column, and exits 1', async () => {
    const dir = await fixture({});
    await cp(path.join(REPO, '.github/workflows'), dir, { recursive: true });
    const e2e = path.join(dir, 'e2e.yml');
    await writeFile(e2e, (await readFile(e2e, 'utf8')).replace('fromJSON(needs.versions.outputs.matrix)', 'fromJSON(needs.version.outputs.matrix)'));
    await writeFile(path.join(dir, 'bad.yml'), 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo {include: x}\n');
    const { exitCode, stdout } = await lint(dir);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/bad\.yml:6:14: .* \[yaml\]/);
    expect(stdout).toMatch(/e2e\.yml:\d+:\d+: property "version" is not defined/);
  });
});
