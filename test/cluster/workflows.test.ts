// The GitHub workflows pass actionlint and bash -n, and the lint command does find what is wrong in a broken copy;
// the stand-ins of npm run rehearse answer as the real tools do, checked against the real ones where this machine has them.
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixture, REPO } from '../support/fixture.ts';

const lint = (dir?: string) => execa(process.execPath, ['--import', 'tsx', 'scripts/lint-workflows.ts', ...(dir ? [dir] : [])], { cwd: REPO, reject: false });

describe('workflow lint', () => {
  it('runs only the suites project beside the cluster, and the unit tests offline (ci.yml)', async () => {
    const e2e = parse(await readFile(path.join(REPO, '.github/workflows/e2e.yml'), 'utf8')) as { jobs: Record<string, { steps: { run?: string }[] }> };
    const ci = parse(await readFile(path.join(REPO, '.github/workflows/ci.yml'), 'utf8')) as typeof e2e;
    const tests = (w: typeof e2e) => Object.values(w.jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')).filter((r) => /\bnpm (run )?test\b|vitest/.test(r));
    expect(tests(e2e)).toEqual(['npm test -- --project suites']);
    expect(tests(ci)).toEqual(['npm test']);
  });

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

  it('runs every run: block through bash -n with its env: an unclosed if in the step summary is found at its line', async () => {
    const dir = await fixture({});
    await cp(path.join(REPO, '.github/workflows'), dir, { recursive: true });
    const e2e = path.join(dir, 'e2e.yml');
    const text = await readFile(e2e, 'utf8');
    await writeFile(e2e, text.replace('            { echo "## Cilium $CILIUM_VERSION', '            { echo "## Cilium $(CILIUM_VERSION'));
    const { exitCode, stdout } = await lint(dir);
    expect(exitCode).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('Step summary with the matrices')) + 3;
    expect(stdout).toMatch(new RegExp(`e2e\\.yml:${line}: .*(unexpected EOF|syntax error).* \\[bash -n\\]`));
  });
});

// The stand-ins of npm run rehearse refuse what the real tools refuse (scripts/rehearse/stand-in.mjs).
const netns = process.getuid?.() === 0 && (await execa('busybox', ['true'], { reject: false }).catch(() => ({ exitCode: 127 }))).exitCode === 0;
const realOpenssl = (await execa('openssl', ['version'], { reject: false }).catch(() => ({ exitCode: 127 }))).exitCode === 0;
describe('rehearsal stand-ins', () => {
  async function standIn(tool: string, args: string[], state: object) {
    const dir = await fixture({ 'state.json': JSON.stringify({ clusters: {}, containers: {}, configmaps: {}, reached: [], ...state }), 'log.jsonl': '' });
    const env = { REHEARSAL_STATE: path.join(dir, 'state.json'), REHEARSAL_LOG: path.join(dir, 'log.jsonl'), REHEARSAL_SCENARIO: 'test' };
    const r = await execa(process.execPath, [path.join(REPO, 'scripts/rehearse/stand-in.mjs'), tool, ...args], { env, reject: false });
    return { ...r, log: (await readFile(env.REHEARSAL_LOG, 'utf8')).trim().split('\n').map((l) => JSON.parse(l)) };
  }
  const world = { containers: { 'netpol-e2e-world': { ip: '172.18.0.10', capAdd: ['NET_ADMIN'], addresses: [] } } };

  it('answers docker inspect with the template as one argument, and refuses it split as a shell would split it', async () => {
    const template = '{{(index .NetworkSettings.Networks "kind").IPAddress}}';
    const whole = await standIn('docker', ['inspect', '-f', template, 'netpol-e2e-world'], world);
    expect([whole.exitCode, whole.stdout]).toEqual([0, '172.18.0.10']);
    const split = await standIn('docker', ['inspect', '-f', '{{(index', '.NetworkSettings.Networks', '"kind").IPAddress}}', 'netpol-e2e-world'], world);
    expect(split.exitCode).toBe(1);
    expect(split.stderr).toMatch(/unclosed action/);
    expect(split.log).toEqual([{ scenario: 'test', tool: 'docker', argv: ['inspect', '-f', '{{(index', '.NetworkSettings.Networks', '"kind").IPAddress}}', 'netpol-e2e-world'], exitCode: 1 }]);
  });

  it('refuses unknown flags with each tool\'s own words and exit code, and a chart version that is not pinned', async () => {
    expect((await standIn('docker', ['run', '--bogus', 'x'], world)).exitCode).toBe(125);
    expect((await standIn('kubectl', ['--context', 'kind-x', 'get', 'pods', '--bogus'], {})).stderr).toMatch(/^error: unknown flag: --bogus/);
    const charts = JSON.stringify({ cilium: { repo: 'https://helm.cilium.io', versions: ['1.20.2'] } });
    const cluster = { clusters: { x: { nodes: [] } } };
    const dir = await fixture({ 'state.json': JSON.stringify({ containers: {}, configmaps: {}, reached: [], ...cluster }), 'log.jsonl': '' });
    const env = { REHEARSAL_CHARTS: charts, REHEARSAL_STATE: path.join(dir, 'state.json'), REHEARSAL_LOG: path.join(dir, 'log.jsonl') };
    const helm = (version: string) => execa(process.execPath, [path.join(REPO, 'scripts/rehearse/stand-in.mjs'), 'helm', 'upgrade', '--install', 'cilium', 'cilium', '--repo', 'https://helm.cilium.io', '--version', version, '--kube-context', 'kind-x'], { reject: false, env });
    expect((await helm('1.20.2')).exitCode).toBe(0);
    expect((await helm('1.20.1')).stderr).toMatch(/not a pinned one/);
    expect((await standIn('docker', ['exec', 'netpol-e2e-world', 'ip', 'addr', 'add', '198.18.0.7/32', 'dev', 'lo'], { containers: { 'netpol-e2e-world': { ip: '172.18.0.10', capAdd: [], addresses: [] } } })).stderr).toMatch(/Operation not permitted/);
  });

  it.skipIf(!realOpenssl)('openssl: refuses an unknown option and writes key and certificate as the real openssl 3 does (needs openssl)', async () => {
    const dir = await fixture({});
    const argv = (d: string, extra: string[] = []) => ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=netpol-e2e-world', '-keyout', path.join(d, 'tls.key'), '-out', path.join(d, 'tls.crt'), ...extra];
    const real = await execa('openssl', argv(dir, ['-bogus']), { reject: false });
    const stand = await standIn('openssl', argv(dir, ['-bogus']), {});
    expect([stand.exitCode, stand.stderr]).toEqual([real.exitCode, real.stderr]);
    const ok = await standIn('openssl', argv(dir), {});
    expect(ok.exitCode).toBe(0);
    expect(await readFile(path.join(dir, 'tls.crt'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect((await execa('openssl', argv(dir), { reject: false })).exitCode).toBe(0);
  });

  it.skipIf(!netns)('ip in the world server and on the nodes: answers as real busybox ip and iproute2 do (needs root and busybox)', async () => {
    // The real ones, in a network namespace of this test's own.
    const real = (script: string) => execa('unshare', ['-n', 'sh', '-c', `${script} 2>&1; echo "exit $?"`], { reject: false }).then((r) => r.stdout);
    const viaStandIn = async (container: object, argv: string[], times = 1) => {
      let out = '';
      const dir = await fixture({ 'state.json': JSON.stringify({ clusters: {}, containers: { c: container, world: { ip: '172.18.0.10' } }, configmaps: {}, reached: [] }), 'log.jsonl': '' });
      const env = { REHEARSAL_STATE: path.join(dir, 'state.json'), REHEARSAL_LOG: path.join(dir, 'log.jsonl') };
      for (let i = 0; i < times; i++) {
        const r = await execa(process.execPath, [path.join(REPO, 'scripts/rehearse/stand-in.mjs'), 'docker', 'exec', 'c', ...argv], { reject: false, env });
        out = `${r.stderr}${r.stderr ? '\n' : ''}exit ${r.exitCode}`;
      }
      return out;
    };
    const add = ['ip', 'addr', 'add', '198.18.0.7/32', 'dev', 'lo'];
    const admin = { ip: '172.18.0.11', capAdd: ['NET_ADMIN'], addresses: [] };
    expect(await viaStandIn(admin, add, 2)).toBe((await real(`busybox ${add.join(' ')}; busybox ${add.join(' ')}`)).split('\n').slice(-2).join('\n'));
    expect(await viaStandIn({ ...admin, capAdd: [] }, add)).toBe(await real(`setpriv --inh-caps=-all --bounding-set=-net_admin busybox ${add.join(' ')}`));
    const route = ['ip', 'route', 'replace', '198.18.0.7/32', 'via', '172.31.0.1'];
    expect(await viaStandIn(admin, route)).toBe(await real(route.join(' ')));
  });
});
