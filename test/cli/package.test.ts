// The package as npm packs it, installed the way npm lays a dependency out (node_modules/netpol-e2e beside the
// packages it depends on): what it carries, and that its CLI runs the build, loading only what each command needs.
import { mkdir, mkdtemp, readFile, readdir, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/fixture.ts';

let project: string;
let installed: string;
let files: string[];
const RECORDER = path.join(REPO, 'test/support/record-loads.mjs');

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'netpol-e2e-package-'));
  // The unit project's global setup has built dist/; the build a pack would run again has nothing to do.
  const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], { cwd: REPO });
  const [tarball] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  files = tarball!.files.map((f) => f.path);
  const modules = path.join(project, 'node_modules');
  await mkdir(modules);
  // The dependencies are the repository's, one link each; which of them a command loads is checked below.
  for (const name of await readdir(path.join(REPO, 'node_modules'))) if (!name.startsWith('.')) await symlink(path.join(REPO, 'node_modules', name), path.join(modules, name));
  await execa('tar', ['-xzf', path.join(project, tarball!.filename), '-C', project]);
  installed = path.join(modules, 'netpol-e2e');
  await rename(path.join(project, 'package'), installed);
});

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

/** The installed CLI, run in the user's project, and the packages and files it loaded. */
async function installedCli(...args: string[]) {
  const loads = path.join(project, `loads-${args.join('-').replace(/\W+/g, '_')}.txt`);
  const env = { NO_COLOR: '1', NETPOL_E2E_LOADS: loads, HOME: project, KUBECONFIG: path.join(project, 'no-kubeconfig') };
  const result = await execa(process.execPath, ['--import', RECORDER, path.join(installed, 'bin/netpol-e2e.js'), ...args], { cwd: project, reject: false, env });
  const urls = [...new Set((await readFile(loads, 'utf8')).split('\n').filter(Boolean))];
  await unlink(loads);
  const packages = new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []).filter((p) => p !== 'netpol-e2e'));
  const own = urls.flatMap((u) => (u.includes('/node_modules/netpol-e2e/') ? [u.split('/node_modules/netpol-e2e/')[1]!] : []));
  return { ...result, packages, own };
}

/** Packages only development needs, as package-lock.json marks them: none may load from the installed package. */
async function devOnlyPackages(): Promise<Set<string>> {
  const lock = JSON.parse(await readFile(path.join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  return new Set(Object.entries(lock.packages).flatMap(([p, entry]) => (entry.dev && p.lastIndexOf('node_modules/') === 0 ? [p.slice('node_modules/'.length)] : [])));
}

describe('the packed package', () => {
  it('carries the build, its types, the apps, the example suites and tutorials, and none of the repository\'s own work', () => {
    for (const f of ['bin/netpol-e2e.js', 'dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts', 'dist/backends/kube/cluster-target.d.ts', 'manifests/apps/demo.yaml', 'manifests/apps/conformance.yaml', 'suites/cilium-dns-aware.suite.yaml', 'tutorials/seeds/000_89d52f9fa1fc5b7b.netpol-docs.yaml', 'docs/suite-format.md', 'CHANGELOG.md', 'README.md']) {
      expect(files).toContain(f);
    }
    const unwanted = files.filter((f) => /^(src|test|scripts|bench|results|cluster|\.ci|\.github)\/|^tutorials\/corpus\/|tsbuildinfo|^docs\/ANATOMY\.md$/.test(f));
    expect(unwanted).toEqual([]);
  });

  it('prints its version, from package.json, with no commit: an installed package is no clone', async () => {
    const { version } = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as { version: string };
    const r = await installedCli('--version');
    expect(r.stdout).toBe(version);
    // Nothing but the command line and the version: no model, no suite loader.
    expect(r.own.filter((f) => !/^bin\/netpol-e2e\.js$|^dist\/(cli\/(main|cluster-options|version)|input\/input-error|report\/(environment|inert)|suite\/known-divergences-file)\.js$/.test(f))).toEqual([]);
    expect([...r.packages].sort()).toEqual(['commander', 'picocolors']);
  });

  it('runs an example suite on the model from its build, without tsx, the kube backend or the docs readers', async () => {
    const r = await installedCli('run', path.join(installed, 'suites/cilium-dns-aware.suite.yaml'));
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('PASS: 1/1 suites pass');
    expect(r.own.every((f) => f.startsWith('dist/') || f === 'bin/netpol-e2e.js'), r.own.join('\n')).toBe(true);
    expect(r.own.filter((f) => f.startsWith('dist/backends/kube/') || f.startsWith('dist/docs/'))).toEqual([]);
    for (const heavy of ['@kubernetes/client-node', 'ws', 'mdast-util-from-markdown', 'smol-toml']) expect(r.packages).not.toContain(heavy);
    const dev = await devOnlyPackages();
    expect(dev).toContain('tsx');
    expect([...r.packages].filter((p) => dev.has(p))).toEqual([]);
  });

  it('checks a tutorial it carries, with the apps from its own manifests', async () => {
    const r = await installedCli('docs', 'check', path.join(installed, 'tutorials/seeds/000_89d52f9fa1fc5b7b.txt'));
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('PASS: 1/1 tutorial(s) pass; 4 claims: 4 hold');
    expect(r.own).toContain('dist/docs/read/tutorial.js');
    expect(r.packages).toContain('mdast-util-from-markdown');
    expect(r.packages).not.toContain('@kubernetes/client-node');
    const dev = await devOnlyPackages();
    expect([...r.packages].filter((p) => dev.has(p))).toEqual([]);
  });

  it('loads the kube backend once a cluster is asked for (what the model runs above leave out)', async () => {
    const r = await installedCli('run', '--backend', 'context', '--context', 'none', path.join(installed, 'suites/cilium-dns-aware.suite.yaml'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('cannot read the kubeconfig');
    expect(r.packages).toContain('@kubernetes/client-node');
    expect(r.own).toContain('dist/backends/kube/cluster-target.js');
  });

  it('exports the suite API, and the kube backend apart', async () => {
    const script = path.join(project, 'use.mjs');
    await writeFile(
      script,
      `import { discoverSuites, loadSuite, predictSuite, runSuite, ModelBackend } from 'netpol-e2e';
const [file] = await discoverSuites(['node_modules/netpol-e2e/suites/cilium-dns-aware.suite.yaml']);
const suite = await loadSuite(file);
const result = await runSuite(suite, new ModelBackend(suite.world), await predictSuite(suite));
const { openClusterBackend } = await import('netpol-e2e/kube');
console.log(result.pass, result.counts.cells, typeof openClusterBackend);
`,
    );
    const r = await execa(process.execPath, [script], { cwd: project, reject: false });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^true \d+ function$/);
  });
});
