// npm run rehearse: the whole cluster path, here, without Docker. cluster:up in every option combination (default,
// each Cilium/Kubernetes pair of the e2e matrix, --kpr, --monitoring, a kernel without SCTP, --offline-fqdn), the
// CLI with --backend kind, a resumed bring-up and cluster:down, with stand-in docker, kind, helm, kubectl (one per
// pinned version), openssl and sysctl (scripts/rehearse/stand-in.mjs) first on the PATH and the API server stand-in
// serving the cluster side; then the e2e workflow's own shell blocks against the same stand-ins (and sudo, apt-get and
// modprobe), on a runner whose kernel has SCTP and on one whose kernel has not; then every step of the GitHub Action
// (action.yml) with backend kind, as the runner runs them (test/support/action-runner.ts). Each bring-up is also checked for what
// it leaves: the apps' images loaded into the nodes, the inotify limits kind asks for, and a kubectl of the cluster's
// own minor for every kubectl command. Writes results/rehearsal.jsonl (one line per external command), names the
// scripted commands no scenario reached, and exits 1 if any scenario failed.
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { release, tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { INOTIFY } from './cluster/host.ts';
import { externalHosts } from './cluster/offline-names.ts';
import { clusterNetworkPolicyCrd, loadedImages, readVersions, REPO } from './cluster/versions.ts';
import type { SuiteResult } from '../src/results/result.ts';
import { writeResults } from '../src/report/json.ts';
import { runAction } from '../test/support/action-runner.ts';
import { ModelApiServer } from '../test/support/model-apiserver.ts';

const versions = readVersions();
const STAND_IN = path.join(REPO, 'scripts/rehearse/stand-in.mjs');
const TOOLS = ['docker', 'kind', 'helm', 'kubectl', 'openssl', 'sysctl', 'sudo', 'apt-get', 'modprobe'];
/** The runner's kernel: the workflow's shell asks the real uname, so the stand-ins answer for this machine's release. */
const KERNEL = release();
/** A runner as it boots: inotify limits below kind's asks; with SCTP only where linux-modules-extra is to be had. */
const host = (sctp: boolean) => ({ kernel: KERNEL, sysctl: { 'fs.inotify.max_user_watches': '65536', 'fs.inotify.max_user_instances': '128' }, packages: sctp ? [`linux-modules-extra-${KERNEL}`] : [], modules: [] });
/** The SCTP reason the kube backend gives for a cell it cannot run (src/backends/kube/kube-backend.ts unprobeable). */
const NO_SCTP = "the nodes' kernel has no SCTP (cluster:up found no sctp module)";
// CoreDNS's Corefile as kubeadm writes it (kubernetes cmd/kubeadm/app/phases/addons/dns/manifests.go).
const KUBEADM_COREFILE = `.:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n`;
const CHARTS = {
  cilium: { repo: 'https://helm.cilium.io', versions: Object.values(versions.cilium) },
  prometheus: { repo: 'https://prometheus-community.github.io/helm-charts', versions: [versions.monitoring.prometheus] },
  grafana: { repo: 'https://grafana.github.io/helm-charts', versions: [versions.monitoring.grafana] },
};

interface Scenario {
  name: string;
  up: string[];
  sctp?: boolean;
  /** Then the CLI on the cluster, a resumed bring-up, and cluster:down. */
  full?: boolean;
}

const scenarios: Scenario[] = [
  { name: 'default', up: [] },
  ...versions.e2eMatrix.map((m) => ({ name: `cilium ${m.cilium} / kubernetes ${m.kubernetes}`, up: ['--cilium', m.cilium, '--kubernetes', m.kubernetes] })),
  { name: 'kpr', up: ['--kpr'] },
  { name: 'monitoring', up: ['--monitoring'] },
  { name: 'no SCTP in the kernel', up: [], sctp: false },
  { name: 'offline-fqdn, run --backend kind, resume, down', up: ['--offline-fqdn'], full: true },
];

const work = await mkdtemp(path.join(tmpdir(), 'netpol-e2e-rehearsal-'));
const bin = path.join(work, 'bin');
await mkdir(bin);
const wrapper = async (file: string, tool: string) => {
  await writeFile(path.join(bin, file), `#!/bin/sh\nexec "${process.execPath}" "${STAND_IN}" ${tool} "$@"\n`);
  await chmod(path.join(bin, file), 0o755);
};
for (const tool of TOOLS) await wrapper(tool, tool);
// Each pinned kubectl as cluster:up installs it (.tools/bin/kubectl-<version>), logging its version.
for (const version of Object.values(versions.kubectl)) await wrapper(`kubectl-${version}`, `kubectl@${version}`);
const log = path.join(work, 'rehearsal.jsonl');
await writeFile(log, '');
const reached = new Set<string>();
const failures: string[] = [];

for (const [i, scenario] of scenarios.entries()) {
  const statePath = path.join(work, `state-${i}.json`);
  await writeFile(statePath, JSON.stringify({ clusters: {}, containers: {}, configmaps: {}, reached: [], sctp: scenario.sctp ?? true, host: host(true) }));
  const env = {
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    NETPOL_E2E_TOOLS_DIR: bin,
    KUBECONFIG: path.join(work, `kubeconfig-${i}`),
    REHEARSAL_STATE: statePath,
    REHEARSAL_LOG: log,
    REHEARSAL_SCENARIO: scenario.name,
    REHEARSAL_COREFILE: KUBEADM_COREFILE,
    REHEARSAL_CHARTS: JSON.stringify(CHARTS),
    REHEARSAL_KCNP_CRD: clusterNetworkPolicyCrd(versions),
    // As the workflows run it: only the pinned tools (here: the stand-ins in NETPOL_E2E_TOOLS_DIR), never the PATH's.
    NETPOL_E2E_PINNED_TOOLS: '1',
    NO_COLOR: '1',
  };
  const step = async (what: string, argv: string[], expectOut?: RegExp) => {
    const r = await execa(process.execPath, argv, { cwd: REPO, env, reject: false, all: true });
    if (r.exitCode !== 0 || (expectOut && !expectOut.test(r.all ?? ''))) {
      const lines = (r.all ?? '').trim().split('\n');
      const telling = lines.filter((l, n) => /✗|≠|FAIL|stopped|rehearsal:|ERROR|[Ee]rror/.test(l) || n >= lines.length - 4);
      failures.push(`${scenario.name}: ${what} exited ${r.exitCode}${expectOut ? ` (expected ${expectOut})` : ''}\n    ${telling.slice(-30).join('\n    ')}`);
      return false;
    }
    return true;
  };
  const up = ['--import', 'tsx', 'scripts/cluster/up.ts', ...scenario.up];
  const sctpWord = scenario.sctp === false ? /SCTP: the nodes' kernel has no sctp module/ : /SCTP: the nodes' kernel has it/;
  if (i === 0) await step('cluster:tools', ['--import', 'tsx', 'scripts/cluster/tools-check.ts'], new RegExp(`^kind: ${bin}/kind$`, 'm'));
  const ok = await step(`cluster:up ${scenario.up.join(' ')}`, up, sctpWord);
  if (ok) failures.push(...(await afterBringUp(scenario, statePath)).map((p) => `${scenario.name}: ${p}`));
  if (ok && scenario.full) {
    // Suites probed with curl: the stand-in's pods answer curl from the model (test/support/model-apiserver.ts), not agnhost.
    const suites = ['suites/cilium-dns-aware.suite.yaml', 'suites/cilium-basics-network-policies.suite.yaml'];
    const api = await clusterSide(statePath, env.KUBECONFIG, suites);
    try {
      await step('run --backend kind --offline-fqdn', ['bin/netpol-e2e.js', 'run', '--backend', 'kind', '--offline-fqdn', ...suites], /PASS: 2\/2 suites pass/);
    } finally {
      await api.stop();
    }
    await step('cluster:up again (resume)', up, /reusing kind cluster netpol-e2e/);
    await step('cluster:down', ['--import', 'tsx', 'scripts/cluster/down.ts']);
  }
  for (const key of (JSON.parse(await readFile(statePath, 'utf8')) as { reached: string[] }).reached) reached.add(key);
  console.log(`${failures.some((f) => f.startsWith(`${scenario.name}:`)) ? 'FAIL' : 'ok  '} ${scenario.name}`);
}

/**
 * The cluster side after a bring-up: the API server stand-in holding what kubectl wrote (owner mark, patched CoreDNS),
 * its datapath the model with the suites' world at the addresses the world server holds on kind; KUBECONFIG names it
 * as kind-netpol-e2e.
 */
async function clusterSide(statePath: string, kubeconfig: string, suites: string[]): Promise<ModelApiServer> {
  const state = JSON.parse(await readFile(statePath, 'utf8')) as { configmaps: Record<string, { data: Record<string, string>; labels?: Record<string, string> }> };
  const api = await new ModelApiServer(await externalHosts(suites.map((f) => path.resolve(REPO, f))), { ciliumAgents: true }).start();
  for (const [key, cm] of Object.entries(state.configmaps)) {
    const [namespace, name] = key.split('/') as [string, string];
    api.put('/api/v1', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name, labels: cm.labels }, data: cm.data });
  }
  const config = api.kubeConfig();
  config.contexts[0] = { ...config.contexts[0]!, name: 'kind-netpol-e2e' };
  config.setCurrentContext('kind-netpol-e2e');
  await writeFile(kubeconfig, config.exportConfig());
  return api;
}

/** What a bring-up must leave: the apps' images in the nodes, kind's inotify limits, kubectl of the cluster's minor. */
async function afterBringUp(scenario: Scenario, statePath: string): Promise<string[]> {
  const problems: string[] = [];
  const state = JSON.parse(await readFile(statePath, 'utf8')) as { clusters: Record<string, { images?: string[] }>; host: { sysctl: Record<string, string> } };
  const loaded = state.clusters['netpol-e2e']?.images ?? [];
  for (const image of loadedImages(versions)) if (!loaded.includes(image.as.replace(/^docker\.io\//, ''))) problems.push(`the nodes lack ${image.as} (loaded: ${loaded.join(', ') || 'none'})`);
  // Run as root here, cluster:up raises the limits itself; as another user it only says how.
  if (process.getuid?.() === 0) {
    for (const [key, want] of Object.entries(INOTIFY)) if (Number(state.host.sysctl[key]) < want) problems.push(`${key} is ${state.host.sysctl[key]}, below kind's ${want}`);
  }
  const at = scenario.up.indexOf('--kubernetes');
  const minor = at >= 0 ? scenario.up[at + 1]! : versions.defaultKubernetes;
  const entries = (await readFile(log, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { scenario: string; tool: string; version?: string; argv: string[] });
  for (const e of entries.filter((x) => x.scenario === scenario.name && x.tool === 'kubectl')) {
    if (!e.version?.startsWith(`${minor}.`)) problems.push(`kubectl ${e.version ?? '(unversioned)'} ran "${e.argv.join(' ')}" on a ${minor} cluster`);
  }
  return problems.slice(0, 5);
}

await workflowSteps(true);
await workflowSteps(false);
await actionSteps();

/**
 * The e2e workflow's own shell: every `run:` block that is not an npm or node command (those run the project's code,
 * exercised by the scenarios above and by the tests), as GitHub runs it (bash -e -o pipefail, `${{ }}` substituted
 * for the first matrix entry, as the runner's user: root only under sudo), in a checkout-like folder whose .tools/bin
 * holds the stand-ins, after a bring-up whose cluster is still there and whose suites wrote their results file. On a
 * runner whose kernel can load sctp (with linux-modules-extra) and on one whose cannot, where the results count SCTP
 * cells not run. Checked by what each block leaves behind, since the diagnostics blocks end in `|| true`.
 */
async function workflowSteps(sctp: boolean): Promise<void> {
  const name = `e2e workflow run: blocks, ${sctp ? 'SCTP in the kernel' : 'no SCTP in the kernel'}`;
  const dir = path.join(work, `checkout-${sctp}`);
  const matrix = versions.e2eMatrix[0]!;
  const leg = `cilium-${matrix.cilium}-k8s-${matrix.kubernetes}`;
  await mkdir(path.join(dir, '.tools/bin'), { recursive: true });
  await mkdir(path.join(dir, 'cluster'), { recursive: true });
  for (const tool of ['kind', 'kubectl']) await writeFile(path.join(dir, '.tools/bin', tool), await readFile(path.join(bin, tool)), { mode: 0o755 });
  await writeFile(path.join(dir, 'cluster/versions.json'), await readFile(path.join(REPO, 'cluster/versions.json')));
  await mkdir(path.join(dir, 'results'), { recursive: true });
  await writeFile(path.join(dir, 'results/matrices.md'), 'Step 1: baseline\n');
  // The results file the suites would write: one cell run, and (without SCTP) the SCTP cells the backend could not run.
  const cell = (to: string, notRunnable?: string) => ({ from: 'x/a', to, predicted: 'ok', observed: notRunnable ? 'not-runnable' : 'ok', pass: true, agreesWithModel: true, line: 1, explanation: [], ...(notRunnable && { notRunnable }) });
  const cells = [cell('x/b:80'), ...(sctp ? [] : ['sctp://x/b:80', 'sctp://x/b:81', 'sctp://y/b:80'].map((to) => cell(to, NO_SCTP)))];
  const suite = {
    name: 'conformance',
    file: 'suites/conformance/x.suite.yaml',
    backend: 'kind',
    pass: true,
    steps: [{ index: 0, name: 'baseline', actions: [], convergenceMs: 0, enforcement: 'confirmed', timing: { applyMs: 0, enforceMs: 0, probeMs: 0, settleMs: 0 }, cells }],
    counts: { cells: cells.length, asserted: 0, claims: 0, failed: 0, execErrors: 0, notRunnable: cells.length - 1, unpredicted: 0 },
  } as unknown as SuiteResult;
  await writeResults(path.join(dir, 'results/legs', leg, 'e2e-results.json'), { backend: 'kind', kernel: KERNEL, netpolE2e: { version: 'rehearsal' } }, [suite]);
  const statePath = path.join(work, `state-workflow-${sctp}.json`);
  const cluster = { nodes: [], workloads: ['daemonset/cilium'], services: { 'kube-system/hubble-relay': { clusterIP: '10.96.118.21', port: 80 } } };
  await writeFile(statePath, JSON.stringify({ clusters: { 'netpol-e2e': cluster }, containers: {}, configmaps: {}, reached: [], sctp: true, host: host(sctp) }));
  const [output, summary] = [path.join(work, `github-output-${sctp}`), path.join(work, `step-summary-${sctp}`)];
  await writeFile(output, '');
  await writeFile(summary, '');
  const expressions: Record<string, string> = {
    'matrix.cilium': matrix.cilium,
    'matrix.kubernetes': matrix.kubernetes,
    'github.workspace': dir,
    'needs.versions.outputs.matrix': JSON.stringify({ include: versions.e2eMatrix }),
    'steps.read.outputs.matrix': '',
  };
  const substitute = (text: string) =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
      if (!(e in expressions)) throw new Error(`rehearsal: no value for \${{ ${e} }}`);
      return expressions[e]!;
    });
  const workflow = parse(await readFile(path.join(REPO, '.github/workflows/e2e.yml'), 'utf8')) as {
    env?: Record<string, string>;
    jobs: Record<string, { env?: Record<string, string>; steps: { name?: string; run?: string; env?: Record<string, string> }[] }>;
  };
  const problems: string[] = [];
  let printed = '';
  for (const [jobName, job] of Object.entries(workflow.jobs)) {
    for (const step of job.steps) {
      // npm and node steps run the project's own code: the scenarios above and the tests run it.
      if (!step.run || /^(npm|node) /.test(step.run.trim())) continue;
      const env = Object.fromEntries(Object.entries({ ...workflow.env, ...job.env, ...step.env }).map(([k, v]) => [k, substitute(String(v))]));
      const r = await execa('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', substitute(step.run)], {
        cwd: dir,
        reject: false,
        // The runner's user is not root (REHEARSAL_UID): sudo's children are.
        env: { ...env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, REHEARSAL_STATE: statePath, REHEARSAL_LOG: log, REHEARSAL_SCENARIO: name, REHEARSAL_UID: '1001' },
      });
      printed += r.stdout;
      if (r.exitCode !== 0) problems.push(`${jobName} / ${step.name ?? step.run.split('\n')[0]} exited ${r.exitCode}: ${r.stderr.trim()}`);
    }
  }
  const matrixLine = (await readFile(output, 'utf8')).trim();
  if (matrixLine !== `matrix=${JSON.stringify({ include: versions.e2eMatrix })}`) problems.push(`the versions job wrote ${JSON.stringify(matrixLine)} to GITHUB_OUTPUT`);
  const written = await readFile(summary, 'utf8');
  if (!written.includes(`## Cilium ${matrix.cilium}, Kubernetes ${matrix.kubernetes}\nKernel ${KERNEL}; cells not run: ${sctp ? 0 : 3}\n`))
    problems.push(`the step summary lacks the kernel and the count of cells not run: ${JSON.stringify(written.slice(0, 300))}`);
  if (!written.includes('```\nStep 1: baseline')) problems.push('the step summary lacks the matrices');
  const state = JSON.parse(await readFile(statePath, 'utf8')) as { reached: string[]; host: { sysctl: Record<string, string>; loaded?: string[] } };
  for (const [key, want] of Object.entries(INOTIFY)) if (state.host.sysctl[key] !== String(want)) problems.push(`${key} is ${state.host.sysctl[key]} after the inotify step, not ${want}`);
  if (sctp) {
    if (!state.host.loaded?.includes('sctp') || !printed.includes(`SCTP: loaded into kernel ${KERNEL}`)) problems.push('sctp was not loaded although linux-modules-extra was to be had');
    if (printed.includes('::warning')) problems.push(`a warning where SCTP loaded: ${printed}`);
  } else {
    for (const warning of [
      `::warning title=SCTP::no linux-modules-extra package for kernel ${KERNEL}`,
      `::warning title=SCTP::kernel ${KERNEL} cannot load sctp`,
      `::warning title=SCTP not available::3 SCTP cell(s) not run on kernel ${KERNEL}`,
    ]) {
      if (!printed.includes(warning)) problems.push(`no "${warning}" in what the blocks printed`);
    }
    if (!written.includes(`- 3 cell(s) not run: ${NO_SCTP}\n`)) problems.push('the step summary does not count the SCTP cells not run');
  }
  const status = await readFile(path.join(dir, 'results/cluster/cilium-status.txt'), 'utf8').catch(() => '');
  if (!status.includes('Cilium:')) problems.push(`results/cluster/cilium-status.txt holds ${JSON.stringify(status.slice(0, 200))}`);
  // Through Relay: flows of both workers, not only those of the node whose agent was asked.
  const flows = await readFile(path.join(dir, 'results/cluster/hubble-flows.json'), 'utf8').catch(() => '');
  if (!flows.includes('"node_name":"netpol-e2e-worker"') || !flows.includes('"node_name":"netpol-e2e-worker2"')) problems.push(`results/cluster/hubble-flows.json holds ${JSON.stringify(flows.slice(0, 300))}`);
  for (const key of state.reached) reached.add(key);
  failures.push(...problems.map((p) => `${name}: ${p}`));
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name}`);
}

/**
 * The GitHub Action (action.yml) on kind, every step as the runner runs it (test/support/action-runner.ts) with this
 * checkout as the action's folder and the workspace: its inotify step under sudo as the runner's user, cluster:up with
 * the last pair of the e2e matrix, a suite and a tutorial on the cluster side, and cluster:down.
 */
async function actionSteps(): Promise<void> {
  const name = 'action.yml on kind';
  const matrix = versions.e2eMatrix.at(-1)!;
  const statePath = path.join(work, 'state-action.json');
  await writeFile(statePath, JSON.stringify({ clusters: {}, containers: {}, configmaps: {}, reached: [], sctp: true, host: host(true) }));
  const kubeconfig = path.join(work, 'kubeconfig-action');
  const suite = 'suites/cilium-basics-network-policies.suite.yaml';
  const tutorial = 'tutorials/seeds/003_87bba962e4e6e360.txt';
  const results = path.join(work, 'action-results');
  let api: ModelApiServer | undefined;
  const problems: string[] = [];
  try {
    const steps = await runAction({
      actionPath: REPO,
      workspace: REPO,
      inputs: { suites: suite, tutorials: tutorial, backend: 'kind', cilium: matrix.cilium, kubernetes: matrix.kubernetes, results },
      env: {
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        NETPOL_E2E_TOOLS_DIR: bin,
        KUBECONFIG: kubeconfig,
        REHEARSAL_STATE: statePath,
        REHEARSAL_LOG: log,
        REHEARSAL_SCENARIO: name,
        REHEARSAL_COREFILE: KUBEADM_COREFILE,
        REHEARSAL_CHARTS: JSON.stringify(CHARTS),
        REHEARSAL_KCNP_CRD: clusterNetworkPolicyCrd(versions),
        REHEARSAL_UID: '1001',
      },
      before: async (step) => {
        if (step === 'Run netpol-e2e') api = await clusterSide(statePath, kubeconfig, [suite]);
      },
    });
    const ran = steps.filter((s) => s.exitCode !== undefined);
    for (const s of ran.filter((x) => x.exitCode !== 0)) problems.push(`${s.name} exited ${s.exitCode}: ${`${s.stdout ?? ''}\n${s.stderr ?? ''}`.trim().split('\n').slice(-8).join('\n    ')}`);
    const names = ran.map((s) => s.name);
    const every = ['Install netpol-e2e', 'Raise the inotify limits kind asks for', 'Bring up kind with Cilium', 'Run netpol-e2e', 'Delete the cluster'];
    if (names.join() !== every.join()) problems.push(`ran ${names.join(', ')}; expected ${every.join(', ')}`);
    const up = steps.find((s) => s.name === 'Bring up kind with Cilium');
    if (!up?.stdout?.includes(`cluster netpol-e2e is ready: Cilium ${versions.cilium[matrix.cilium]}, ${versions.kubernetes[matrix.kubernetes]!.split('@')[0]}`))
      problems.push(`cluster:up did not bring up Cilium ${matrix.cilium} on ${matrix.kubernetes}`);
    const run = steps.find((s) => s.name === 'Run netpol-e2e');
    for (const want of ['on kind (kind-netpol-e2e)', 'PASS: 1/1 suites pass', 'PASS: 1/1 tutorial(s) pass']) if (!run?.stdout?.includes(want)) problems.push(`the run step printed no "${want}"`);
    if (!run?.summary?.includes('### ✅ netpol-e2e run: 1/1 suites pass') || !run.summary.includes('(kind')) problems.push(`the step summary is ${JSON.stringify(run?.summary?.slice(0, 300))}`);
    const state = JSON.parse(await readFile(statePath, 'utf8')) as { clusters: Record<string, unknown>; reached: string[]; host: { sysctl: Record<string, string> } };
    for (const [key, want] of Object.entries(INOTIFY)) if (state.host.sysctl[key] !== String(want)) problems.push(`${key} is ${state.host.sysctl[key]} after the inotify step, not ${want}`);
    if (Object.keys(state.clusters).length) problems.push(`clusters left after the action: ${Object.keys(state.clusters).join(', ')}`);
    for (const key of state.reached) reached.add(key);
  } finally {
    await api?.stop();
  }
  failures.push(...problems.map((p) => `${name}: ${p}`));
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name}`);
}

await mkdir(path.join(REPO, 'results'), { recursive: true });
await writeFile(path.join(REPO, 'results/rehearsal.jsonl'), await readFile(log, 'utf8'));
const scripted = [...(await readFile(STAND_IN, 'utf8')).matchAll(/ok\('([^']+)'/g)].map((m) => m[1]!);
const unreached = [...new Set(scripted)].filter((k) => !reached.has(k));
const commands = (await readFile(log, 'utf8')).trim().split('\n').length;
console.log(`\n${commands} external commands in ${scenarios.length + 3} scenarios (results/rehearsal.jsonl)`);
console.log(unreached.length ? `scripted but never reached: ${unreached.join('; ')}` : 'every scripted command was reached');
for (const f of failures) console.error(`\nFAIL ${f}`);
process.exitCode = failures.length ? 1 : 0;
