// npm run rehearse: the whole cluster path, here, without Docker. cluster:up in every option combination (default,
// each Cilium/Kubernetes pair of the e2e matrix, --kpr, --monitoring, a kernel without SCTP, --offline-fqdn), the
// CLI with --backend kind, a resumed bring-up and cluster:down, with stand-in docker, kind, helm, kubectl and openssl
// (scripts/rehearse/stand-in.mjs) first on the PATH and the API server stand-in serving the cluster side. Writes
// results/rehearsal.jsonl (one line per external command), names the scripted commands no scenario reached, and
// exits 1 if any scenario failed.
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { externalHosts } from './cluster/offline-names.ts';
import { readVersions, REPO } from './cluster/versions.ts';
import { ModelApiServer } from '../test/support/model-apiserver.ts';

const versions = readVersions();
const STAND_IN = path.join(REPO, 'scripts/rehearse/stand-in.mjs');
const TOOLS = ['docker', 'kind', 'helm', 'kubectl', 'openssl'];
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
for (const tool of TOOLS) {
  await writeFile(path.join(bin, tool), `#!/bin/sh\nexec "${process.execPath}" "${STAND_IN}" ${tool} "$@"\n`);
  await chmod(path.join(bin, tool), 0o755);
}
const log = path.join(work, 'rehearsal.jsonl');
await writeFile(log, '');
const reached = new Set<string>();
const failures: string[] = [];

for (const [i, scenario] of scenarios.entries()) {
  const statePath = path.join(work, `state-${i}.json`);
  await writeFile(statePath, JSON.stringify({ clusters: {}, containers: {}, configmaps: {}, reached: [], sctp: scenario.sctp ?? true }));
  const env = {
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    NETPOL_E2E_TOOLS_DIR: bin,
    KUBECONFIG: path.join(work, `kubeconfig-${i}`),
    REHEARSAL_STATE: statePath,
    REHEARSAL_LOG: log,
    REHEARSAL_SCENARIO: scenario.name,
    REHEARSAL_COREFILE: KUBEADM_COREFILE,
    REHEARSAL_CHARTS: JSON.stringify(CHARTS),
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
  const ok = await step(`cluster:up ${scenario.up.join(' ')}`, up, sctpWord);
  if (ok && scenario.full) {
    const state = JSON.parse(await readFile(statePath, 'utf8')) as { configmaps: Record<string, { data: Record<string, string>; labels?: Record<string, string> }> };
    // The cluster side: the API server stand-in holds what kubectl wrote (owner mark, patched CoreDNS).
    // Suites probed with curl: the stand-in's pods answer curl from the model (test/support/model-apiserver.ts), not agnhost.
    const suites = ['suites/cilium-dns-aware.suite.yaml', 'suites/cilium-basics-network-policies.suite.yaml'];
    // Its datapath is the model, with the suites' world at the addresses the world server holds on kind.
    const api = await new ModelApiServer(await externalHosts(suites.map((f) => path.join(REPO, f))), { ciliumAgents: true }).start();
    try {
      for (const [key, cm] of Object.entries(state.configmaps)) {
        const [namespace, name] = key.split('/') as [string, string];
        api.put('/api/v1', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name, labels: cm.labels }, data: cm.data });
      }
      const config = api.kubeConfig();
      config.contexts[0] = { ...config.contexts[0]!, name: 'kind-netpol-e2e' };
      config.setCurrentContext('kind-netpol-e2e');
      await writeFile(env.KUBECONFIG, config.exportConfig());
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

await mkdir(path.join(REPO, 'results'), { recursive: true });
await writeFile(path.join(REPO, 'results/rehearsal.jsonl'), await readFile(log, 'utf8'));
const scripted = [...(await readFile(STAND_IN, 'utf8')).matchAll(/ok\('([^']+)'/g)].map((m) => m[1]!);
const unreached = [...new Set(scripted)].filter((k) => !reached.has(k));
const commands = (await readFile(log, 'utf8')).trim().split('\n').length;
console.log(`\n${commands} external commands in ${scenarios.length} scenarios (results/rehearsal.jsonl)`);
console.log(unreached.length ? `scripted but never reached: ${unreached.join('; ')}` : 'every scripted command was reached');
for (const f of failures) console.error(`\nFAIL ${f}`);
process.exitCode = failures.length ? 1 : 0;
