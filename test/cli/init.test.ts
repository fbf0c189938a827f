// `netpol-e2e init`: every file it writes passes as written (the suite on the model, the tutorial's claims, the
// workflow through the repository's own workflow lint), and nothing a user has is overwritten without --force.
import { lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { initFiles } from '../../src/cli/init.ts';
import { checkDocs } from '../support/check-docs.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { InputError } from '../../src/input/input-error.ts';
import { ModelBackend } from '../../src/backends/model/model-backend.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { runSuite } from '../../src/runner/run-suite.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { cli } from '../support/cli.ts';
import { fixture, REPO } from '../support/fixture.ts';

const WRITTEN = [
  'docs/netpol-e2e-example.md',
  'docs/netpol-e2e-example.netpol-docs.yaml',
  '.github/workflows/netpol-e2e.yml',
  'netpol/00-default-deny.suite.yaml',
  'netpol/policies/backend-allow-frontend.yaml',
  'netpol/policies/default-deny-ingress.yaml',
];

describe('init', () => {
  it('writes a suite that passes on the model with the built-in demo app', async () => {
    const dir = await fixture({});
    expect(await initFiles(dir, false)).toEqual(WRITTEN);
    const suite = await loadSuite(path.join(dir, 'netpol/00-default-deny.suite.yaml'));
    expect(suite.apps?.map((a) => [a.name, a.builtIn])).toEqual([['demo', true]]);
    const result = await runSuite(suite, new ModelBackend(suite.world), await predictSuite(suite));
    expect(result.pass).toBe(true);
    expect(result.counts).toMatchObject({ asserted: 6, failed: 0 });
  });

  it('writes a tutorial whose every claim holds with its docs config', async () => {
    const dir = await fixture({});
    await initFiles(dir, false);
    const { extraction, suite } = await extractTutorial(path.join(dir, 'docs/netpol-e2e-example.md'));
    const check = await checkDocs(extraction, suite);
    expect(check.config).toBe(path.join(dir, 'docs/netpol-e2e-example.netpol-docs.yaml'));
    expect(check.pass).toBe(true);
    expect(check.claims.map((c) => c.verdict)).toEqual(['holds', 'holds', 'holds']);
    expect(check.claims.map((c) => c.claimed)).toContain('connect-timeout');
  });

  it('writes a workflow that passes the repository workflow lint (actionlint, bash -n)', async () => {
    const dir = await fixture({});
    await initFiles(dir, false);
    const lint = await execa(process.execPath, ['--import', 'tsx', path.join(REPO, 'scripts/lint-workflows.ts'), path.join(dir, '.github/workflows')], { cwd: REPO, reject: false });
    expect(lint.stdout).toContain('actionlint: no findings in 1 workflow(s): netpol-e2e.yml');
    expect(lint.exitCode).toBe(0);
  });

  it("points each YAML file at the installed package's schema, relative to where it is written", async () => {
    const dir = await fixture({});
    await initFiles(dir, false);
    for (const [file, schema] of [
      ['netpol/00-default-deny.suite.yaml', 'suite.schema.json'],
      ['docs/netpol-e2e-example.netpol-docs.yaml', 'docs-config.schema.json'],
    ] as const) {
      const first = (await readFile(path.join(dir, file), 'utf8')).split('\n')[0]!;
      const written = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
      expect(written && path.resolve(path.dirname(path.join(dir, file)), written), file).toBe(path.join(dir, 'node_modules/netpol-e2e/schemas', schema));
    }
  });

  it('overwrites nothing that exists, names what it would overwrite, and writes nothing then; --force overwrites', async () => {
    const mine = 'name: mine\n';
    const dir = await fixture({ 'netpol/00-default-deny.suite.yaml': mine });
    await mkdir(path.join(dir, '.github/workflows'), { recursive: true });
    await symlink(path.join(dir, 'nowhere'), path.join(dir, '.github/workflows/netpol-e2e.yml'));
    const e: unknown = await initFiles(dir, false).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toBe(`${dir}: would overwrite .github/workflows/netpol-e2e.yml, netpol/00-default-deny.suite.yaml: move them away, or give --force to overwrite them`);
    expect(await readFile(path.join(dir, 'netpol/00-default-deny.suite.yaml'), 'utf8')).toBe(mine);
    await expect(readFile(path.join(dir, 'docs/netpol-e2e-example.md'))).rejects.toThrow(/ENOENT/);
    await writeFile(path.join(dir, 'netpol/00-default-deny.suite.yaml'), mine);
    expect(await initFiles(dir, true)).toEqual(WRITTEN);
    expect(await readFile(path.join(dir, 'netpol/00-default-deny.suite.yaml'), 'utf8')).toMatch(/^# yaml-language-server/);
    expect((await lstat(path.join(dir, '.github/workflows/netpol-e2e.yml'))).isFile()).toBe(true);
    await expect(lstat(path.join(dir, 'nowhere'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses, --force or not, a file where one of its folders goes, and a DIR that is a file, writing nothing', async () => {
    const dir = await fixture({ netpol: 'a file\n' });
    const e: unknown = await initFiles(dir, true).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((e as InputError).message).toBe(`${dir}: netpol: a file where init writes a folder: move it away`);
    await mkdir(path.join(dir, 'docs/netpol-e2e-example.md'), { recursive: true });
    await expect(initFiles(dir, true)).rejects.toThrow(`${dir}: docs/netpol-e2e-example.md: a folder where init writes a file; netpol: a file where init writes a folder: move it away`);
    await expect(readFile(path.join(dir, 'docs/netpol-e2e-example.netpol-docs.yaml'))).rejects.toThrow(/ENOENT/);
    await expect(initFiles(path.join(dir, 'netpol'), false)).rejects.toThrow(`${path.join(dir, 'netpol')}: is not a folder to write into`);
  });

  it('is exit 2 from the command line when it would overwrite, exit 0 with --force', async () => {
    const dir = await fixture({ 'docs/netpol-e2e-example.md': '# mine\n' });
    const refused = await cli('init', dir);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('would overwrite docs/netpol-e2e-example.md: move them away, or give --force');
    const forced = await cli('init', dir, '--force');
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toContain(`wrote ${path.join(dir, 'netpol/00-default-deny.suite.yaml')}`);
  });
});
