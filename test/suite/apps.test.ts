// `apps: [NAME]`: the suite's own <manifestDir>/apps/NAME.yaml when there is one, else the package's built-in copy,
// wherever the suite is; an unknown name is bad input at its line; the report says which file was used.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../../src/backends/model/model-backend.ts';
import { loadDocsConfig } from '../../src/tutorials/config.ts';
import { setupActions, suiteYaml } from '../../src/tutorials/extract/suite.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { InputError } from '../../src/input/input-error.ts';
import { packageRootFrom, PACKAGE_ROOT } from '../../src/input/own-package.ts';
import { appsLine, renderSuite } from '../../src/report/terminal.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { runSuite } from '../../src/runner/run-suite.ts';
import { BUILT_IN_APPS_DIR, builtInApps } from '../../src/suite/apps.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { fixture, REPO } from '../support/fixture.ts';
import { HOSTILE_STRINGS, terminalProblems } from '../support/hostile.ts';

const STEP = 'steps:\n  - name: open\n    expect:\n      frontend -> backend:8080: ok:200\n';
const shown = (file: string) => path.relative(process.cwd(), file);

async function loadError(files: Record<string, string>, suite = 'x.suite.yaml'): Promise<InputError> {
  const dir = await fixture(files);
  const e: unknown = await loadSuite(path.join(dir, suite)).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

describe('built-in apps', () => {
  it('are the manifests the package ships', () => {
    expect(PACKAGE_ROOT).toBe(REPO);
    expect(BUILT_IN_APPS_DIR).toBe(path.join(REPO, 'manifests', 'apps'));
    expect(builtInApps()).toEqual(['cilium-connectivity', 'conformance', 'conformance-sctp', 'demo', 'monitoring']);
  });

  it('resolve for a suite outside the repository with no apps folder of its own, and the run passes', async () => {
    const dir = await fixture({ 'x.suite.yaml': `name: x\napps: [demo, monitoring]\n${STEP}` });
    const suite = await loadSuite(path.join(dir, 'x.suite.yaml'));
    expect(suite.apps).toEqual([
      { name: 'demo', file: shown(path.join(BUILT_IN_APPS_DIR, 'demo.yaml')), builtIn: true },
      { name: 'monitoring', file: shown(path.join(BUILT_IN_APPS_DIR, 'monitoring.yaml')), builtIn: true },
    ]);
    expect(suite.setup.map((a) => a.what)).toEqual(['deploy app demo', 'deploy app monitoring']);
    const result = await runSuite(suite, new ModelBackend(suite.world), await predictSuite(suite));
    expect(result.pass).toBe(true);
    expect(result.apps).toEqual(suite.apps);
    expect(renderSuite(result)).toContain(`apps: demo (built-in, ${shown(path.join(BUILT_IN_APPS_DIR, 'demo.yaml'))}), monitoring (built-in, `);
  });

  it('are named in the terminal report inertly, whatever the folder they were read from is called', () => {
    for (const file of HOSTILE_STRINGS) expect(terminalProblems(appsLine([{ name: 'demo', file, builtIn: false }])), JSON.stringify(file)).toEqual([]);
  });

  it("give way to the suite's own apps/NAME.yaml in its manifestDir", async () => {
    const own = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: mine }\n';
    const dir = await fixture({ 'm/apps/demo.yaml': own, 'x.suite.yaml': 'name: x\nmanifestDir: m\napps: [demo]\nsteps:\n  - name: nothing\n' });
    const suite = await loadSuite(path.join(dir, 'x.suite.yaml'));
    expect(suite.apps).toEqual([{ name: 'demo', file: shown(path.join(dir, 'm/apps/demo.yaml')), builtIn: false }]);
    expect(suite.setup[0]!.kind === 'apply' && suite.setup[0]!.objects.map((o) => o.metadata.name)).toEqual(['mine']);
  });

  it("count as built-in when the manifestDir is the package's own manifests folder", async () => {
    const dir = await fixture({ 'x.suite.yaml': `name: x\nmanifestDir: ${path.join(REPO, 'manifests')}\napps: [demo]\n${STEP}` });
    expect((await loadSuite(path.join(dir, 'x.suite.yaml'))).apps).toEqual([{ name: 'demo', file: shown(path.join(BUILT_IN_APPS_DIR, 'demo.yaml')), builtIn: true }]);
  });

  it('an unknown name is bad input at its line, listing the built-in names', async () => {
    const e = await loadError({ 'x.suite.yaml': `name: x\napps:\n  - demo\n  - demoo\n${STEP}` });
    expect(e.file).toMatch(/x\.suite\.yaml$/);
    expect(e.line).toBe(4);
    expect(e.message).toContain('apps[1]: app "demoo" is neither');
    expect(e.message).toContain('apps/demoo.yaml nor a built-in app (built-in: cilium-connectivity, conformance, conformance-sctp, demo, monitoring)');
  });

  it("the suite's own file that cannot be read is not silently replaced by the built-in one", async () => {
    const e = await loadError({ 'apps/demo.yaml/inside': '', 'x.suite.yaml': `name: x\napps: [demo]\n${STEP}` });
    expect(e.line).toBe(2);
    expect(e.detail).toMatch(/apps\/demo\.yaml: is a folder, not a file to read$/);
  });

  it('in a docs config resolve to the built-in copy, and an unknown one is bad input at the config line', async () => {
    const dir = await fixture({ 'netpol-docs.yaml': 'external: {}\napps:\n  - demo\n  - nope\n', 'README.md': '# x\n' });
    const config = await loadDocsConfig(path.join(dir, 'README.md'));
    const e: unknown = await setupActions(config).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toBe(`${path.join(dir, 'netpol-docs.yaml')}:4: apps[1]: app "nope" is not a built-in app (built-in: cilium-connectivity, conformance, conformance-sctp, demo, monitoring)`);
    const { apps } = await setupActions({ ...config, apps: [{ name: 'demo', line: 3 }] });
    expect(apps).toEqual([{ name: 'demo', file: shown(path.join(BUILT_IN_APPS_DIR, 'demo.yaml')), builtIn: true }]);
  });
  it('named by a docs config stay names in the suite docs extract writes, which loads anywhere', async () => {
    const { extraction, suite } = await extractTutorial(path.join(REPO, 'templates/init/docs/netpol-e2e-example.md'));
    expect(suite.apps?.map((a) => a.name)).toEqual(['demo']);
    const yaml = suiteYaml(extraction, suite);
    expect(yaml).not.toContain('manifestDir');
    const dir = await fixture({ 'extracted.suite.yaml': yaml });
    const reloaded = await loadSuite(path.join(dir, 'extracted.suite.yaml'));
    expect(reloaded.apps).toEqual([{ name: 'demo', file: shown(path.join(BUILT_IN_APPS_DIR, 'demo.yaml')), builtIn: true }]);
    expect((await runSuite(reloaded, new ModelBackend(reloaded.world), await predictSuite(reloaded))).pass).toBe(true);
  });
});

describe('the package root', () => {
  it('is found from src/ or from a compiled dist/ at any depth, and not taken from a project that installed it', async () => {
    const project = await fixture({
      'package.json': '{ "name": "my-project" }',
      'node_modules/netpol-e2e/package.json': '{ "name": "netpol-e2e" }',
      'node_modules/other/package.json': '{ "name": "other" }',
    });
    const installed = path.join(project, 'node_modules/netpol-e2e');
    for (const under of ['dist/suite', 'dist/src/input', 'src/input']) {
      await mkdir(path.join(installed, under), { recursive: true });
      expect(packageRootFrom(path.join(installed, under))).toBe(installed);
    }
    await writeFile(path.join(installed, 'dist/package.json'), '{ "type": "module" }');
    expect(packageRootFrom(path.join(installed, 'dist/suite'))).toBe(installed);
    expect(() => packageRootFrom(path.join(project, 'node_modules/other'))).toThrow(/no package\.json named netpol-e2e at or above/);
  });
});
