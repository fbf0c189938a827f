// The package as a user gets it: `npm pack` of this repository (prepack's build included), the tarball installed with
// npm into an empty project, and there: what the tarball carries; through the installed bin, `--version`, example
// suites on the model, a tutorial it carries, a cluster backend, each with the packages and the package's own files
// the command loaded (recorded by test/support/record-loads.mjs); the `exports`; then, through
// node_modules/.bin/netpol-e2e, `init`, the suite it writes (the built-in demo app, read from the installed package)
// and `docs check` on the tutorial it writes. One pack and one install serve all of it.
//
// Offline, as npm test runs in CI (no internet, an empty npm cache). npm cannot fetch the package's dependencies, so
// this test puts them where npm would: each one the tarball's package.json needs (and theirs, transitively) is
// copied from this repository's node_modules (the versions its lockfile pins) into the empty project's
// node_modules, with the bin links npm makes. Then the real `npm install --offline ./netpol-e2e-*.tgz` runs: npm
// reads the tarball's manifest, checks every dependency range against what is there (one that is missing or out of
// range fails the install with ENOTCACHED), unpacks the tarball as it ships (`files`, prepack's build) and links
// the bin. What this does not exercise: downloading the dependencies from the registry, and their install scripts.
// A module the package uses but does not declare is not copied, so it fails here as it would for a user; so does a
// development dependency (tsx and the like are not there), and the recorder names one a command even tries to load.
import { cp, mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/fixture.ts';

interface Manifest {
  name: string;
  version: string;
  bin?: string | Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const readManifest = async (dir: string) => JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Manifest;

// The npm_* variables of an `npm test` around this test (its cache, its command) are not the child npm's.
const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))), NO_COLOR: '1', npm_config_update_notifier: 'false' };

/** The folder Node finds `name` in from `dir`, within this repository's node_modules. */
function resolveIn(dir: string, name: string): string | undefined {
  for (let d = dir; d.startsWith(REPO); d = path.dirname(d)) {
    const candidate = path.join(d, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}

/** The top-level node_modules entries (`yaml`, `@kubernetes/client-node`) the manifest needs, transitively. */
async function dependencyClosure(manifest: Manifest): Promise<string[]> {
  const top = new Set<string>();
  const missing: string[] = [];
  const seen = new Set<string>();
  const walk = async (from: string, m: Manifest) => {
    const optional = { ...m.optionalDependencies, ...m.peerDependencies };
    for (const name of Object.keys({ ...m.dependencies, ...optional })) {
      const found = resolveIn(from, name);
      if (!found) {
        if (!(name in optional)) missing.push(`${name} (for ${m.name})`);
        continue;
      }
      const parts = path.relative(path.join(REPO, 'node_modules'), found).split(path.sep);
      top.add(parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
      if (seen.has(found)) continue;
      seen.add(found);
      await walk(found, await readManifest(found));
    }
  };
  await walk(REPO, manifest);
  expect(missing, 'dependencies not installed in this repository').toEqual([]);
  return [...top].sort();
}

/** Copies the dependencies into `modules` with the bin links npm would make (it keeps a package whose links are there). */
async function placeDependencies(modules: string, names: readonly string[]): Promise<void> {
  await mkdir(path.join(modules, '.bin'), { recursive: true });
  for (const name of names) {
    // From its real folder: where node_modules holds links (a worktree's), the package is copied, not the link.
    await cp(await realpath(path.join(REPO, 'node_modules', name)), path.join(modules, name), { recursive: true, verbatimSymlinks: true });
    const { bin } = await readManifest(path.join(modules, name));
    const bins = typeof bin === 'string' ? { [name.split('/').pop()!]: bin } : (bin ?? {});
    for (const [command, file] of Object.entries(bins)) await symlink(path.posix.join('..', name, file), path.join(modules, '.bin', command));
  }
}

let work = '';
let project = '';
let installed = '';
/** The tarball's files, as npm pack lists them (without tar's `package/` prefix). */
let files: string[] = [];
const RECORDER = path.join(REPO, 'test/support/record-loads.mjs');
const bin = (...args: string[]) => execa(path.join(project, 'node_modules/.bin/netpol-e2e'), args, { cwd: project, env, extendEnv: false, reject: false });

/** The installed CLI, run in the user's project, and the packages (loaded, or tried and not found) and own files it loaded. */
async function installedCli(...args: string[]) {
  const loads = path.join(project, `loads-${args.join('-').replace(/\W+/g, '_')}.txt`);
  // No kubeconfig of the user running the tests: one is asked for only where a cluster is.
  const recorded = { ...env, NETPOL_E2E_LOADS: loads, HOME: project, KUBECONFIG: path.join(project, 'no-kubeconfig') };
  const result = await execa(process.execPath, ['--import', RECORDER, path.join(installed, 'bin/netpol-e2e.js'), ...args], { cwd: project, env: recorded, extendEnv: false, reject: false });
  const lines = [...new Set((await readFile(loads, 'utf8')).split('\n').filter(Boolean))];
  await unlink(loads);
  const loaded = lines.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []);
  const tried = lines.flatMap((l) => /^unresolved (?!node:)((?:@[^/]+\/)?[^./][^/]*)/.exec(l)?.[1] ?? []);
  const packages = new Set([...loaded, ...tried].filter((p) => p !== 'netpol-e2e'));
  const own = lines.flatMap((u) => (u.includes('/node_modules/netpol-e2e/') ? [u.split('/node_modules/netpol-e2e/')[1]!] : []));
  return { ...result, packages, own };
}

/** Packages only development needs, as package-lock.json marks them: none may load from the installed package. */
async function devOnlyPackages(): Promise<Set<string>> {
  const lock = JSON.parse(await readFile(path.join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  return new Set(Object.entries(lock.packages).flatMap(([p, entry]) => (entry.dev && p.lastIndexOf('node_modules/') === 0 ? [p.slice('node_modules/'.length)] : [])));
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'netpol-e2e-installed-'));
  // A copy of the working tree, so that prepack's build writes there and not under the tests running beside this one.
  const source = path.join(work, 'source');
  const listed = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO });
  for (const file of listed.stdout.split('\0').filter((f) => f && f !== 'node_modules' && existsSync(path.join(REPO, f)))) {
    await cp(path.join(REPO, file), path.join(source, file), { verbatimSymlinks: true });
  }
  await symlink(path.join(REPO, 'node_modules'), path.join(source, 'node_modules'));
  const cache = path.join(work, 'npm-cache');
  // The tarball is the one file in a folder of its own: stdout also holds what prepack's scripts print.
  const packs = path.join(work, 'packed');
  await mkdir(packs);
  const packed = await execa('npm', ['pack', '--pack-destination', packs, '--cache', cache], { cwd: source, env, extendEnv: false, reject: false });
  expect(packed.exitCode, `${packed.stdout}\n${packed.stderr}`).toBe(0);
  const [tarball, ...more] = (await readdir(packs)).map((f) => path.join(packs, f));
  expect(more).toEqual([]);
  files = (await execa('tar', ['-tzf', tarball!])).stdout.split('\n').map((f) => f.replace(/^package\//, ''));

  project = path.join(work, 'project');
  await mkdir(project);
  await writeFile(path.join(project, 'package.json'), '{ "name": "a-users-project", "version": "1.0.0", "private": true }\n');
  const shipped = JSON.parse((await execa('tar', ['-xzOf', tarball!, 'package/package.json'])).stdout) as Manifest;
  await placeDependencies(path.join(project, 'node_modules'), await dependencyClosure(shipped));
  const install = await execa('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', cache, tarball!], { cwd: project, env, extendEnv: false, reject: false });
  expect(install.exitCode, `${install.stdout}\n${install.stderr}`).toBe(0);
  expect(install.stdout).toMatch(/added 1 package/);
  installed = path.join(project, 'node_modules/netpol-e2e');
}, 600_000);

// The copies of the dependencies are about 100 MB: not left behind.
afterAll(() => rm(work, { recursive: true, force: true }));

describe('the packed package', () => {
  it("carries the build, its types, the apps, the example suites and tutorials, and none of the repository's own work", () => {
    for (const f of [
      'bin/netpol-e2e.js',
      'dist/cli/main.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/backends/kube/cluster-target.d.ts',
      'manifests/apps/demo.yaml',
      'manifests/apps/conformance.yaml',
      'suites/cilium-dns-aware.suite.yaml',
      'tutorials/seeds/000_89d52f9fa1fc5b7b.netpol-docs.yaml',
      'docs/suite-format.md',
      'CHANGELOG.md',
      'README.md',
      'LICENSE',
    ]) {
      expect(files).toContain(f);
    }
    const unwanted = files.filter((f) => /^(src|test|scripts|bench|results|cluster|\.ci|\.github)\/|^tutorials\/corpus\/|tsbuildinfo|^docs\/ANATOMY\.md$/.test(f));
    expect(unwanted).toEqual([]);
  });

  it('prints its version, from package.json, with no commit: an installed package is no clone', async () => {
    const { version } = await readManifest(installed);
    const r = await installedCli('--version');
    expect(r.stdout).toBe(version);
    // Nothing but the command line and the version: no model, no suite loader. The cluster options' declaration
    // (backends/kube/cluster-choice) is no kube backend: it loads nothing (the package check below says so).
    expect(
      r.own.filter(
        (f) =>
          !/^bin\/netpol-e2e\.js$|^dist\/(cli\/(main|program|cluster-options)|session\/version|input\/(input-error|own-package)|report\/(environment|inert|io)|results\/(known-divergences-file|versions-label)|backends\/kube\/cluster-choice)\.js$/.test(
            f,
          ),
      ),
    ).toEqual([]);
    expect([...r.packages].sort()).toEqual(['commander', 'picocolors']);
  });

  it('runs an example suite on the model from its build, without tsx, the kube backend or the docs readers', async () => {
    const r = await installedCli('run', path.join(installed, 'suites/cilium-dns-aware.suite.yaml'));
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('PASS: 1/1 suites pass');
    expect(
      r.own.every((f) => f.startsWith('dist/') || f === 'bin/netpol-e2e.js'),
      r.own.join('\n'),
    ).toBe(true);
    expect(r.own.filter((f) => (f.startsWith('dist/backends/kube/') && f !== 'dist/backends/kube/cluster-choice.js') || f.startsWith('dist/tutorials/'))).toEqual([]);
    for (const heavy of ['@kubernetes/client-node', 'ws', 'mdast-util-from-markdown', 'smol-toml']) expect(r.packages).not.toContain(heavy);
    const dev = await devOnlyPackages();
    expect(dev).toContain('tsx');
    expect([...r.packages].filter((p) => dev.has(p))).toEqual([]);
  });

  it('checks a tutorial it carries, with the apps from its own manifests', async () => {
    const r = await installedCli('docs', 'check', path.join(installed, 'tutorials/seeds/000_89d52f9fa1fc5b7b.txt'));
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('PASS: 1/1 tutorial(s) pass; 4 claims: 4 hold');
    expect(r.own).toContain('dist/tutorials/read/tutorial.js');
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
    const r = await execa(process.execPath, [script], { cwd: project, env, extendEnv: false, reject: false });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^true \d+ function$/);
  });
});

describe('the packed package, installed into an empty project', () => {
  it("init writes its files, the suite runs with the installed package's built-in demo app, and docs check passes", async () => {
    const init = await bin('init');
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toContain('wrote netpol/00-default-deny.suite.yaml');

    const run = await bin('run', 'netpol', '--json', 'results/run.json');
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('apps: demo (built-in, node_modules/netpol-e2e/manifests/apps/demo.yaml)');
    expect(run.stdout).toContain('PASS: 1/1 suites pass, 6 cells');
    const results = JSON.parse(await readFile(path.join(project, 'results/run.json'), 'utf8')) as { suites: { apps: unknown }[] };
    expect(results.suites[0]!.apps).toEqual([{ name: 'demo', file: 'node_modules/netpol-e2e/manifests/apps/demo.yaml', builtIn: true }]);

    const docs = await bin('docs', 'check', 'docs/netpol-e2e-example.md');
    expect(docs.exitCode, `${docs.stdout}\n${docs.stderr}`).toBe(0);
    expect(docs.stdout).toContain('docs config docs/netpol-e2e-example.netpol-docs.yaml');
    expect(docs.stdout).toContain('PASS: 1/1 tutorial(s) pass; 3 claims: 3 hold, 0 contradicted');
  }, 300_000);

  it("refuses an app that is neither the suite's nor built-in, naming the built-in ones", async () => {
    await writeFile(path.join(project, 'typo.suite.yaml'), 'name: typo\napps: [dmeo]\nsteps:\n  - name: a\n');
    const run = await bin('run', 'typo.suite.yaml');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('typo.suite.yaml:2: apps[0]: app "dmeo" is neither apps/dmeo.yaml nor a built-in app (built-in: cilium-connectivity, conformance, conformance-sctp, demo, monitoring)');
  }, 120_000);
});
