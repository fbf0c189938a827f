// npm run cluster:up: a kind cluster with Cilium (Helm, pinned chart), Hubble and Hubble Relay, ready for
// --backend kind. Reuses a cluster this project created; refuses one it did not. Options: --cilium MINOR,
// --kubernetes vX.Y, --kpr (no kube-proxy), --offline-fqdn (hermetic FQDN targets), --monitoring.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { $, echo } from 'zx';
import { KIND_CLUSTER, OWNER } from '../../src/backends/kube/cluster-target.ts';
import { OFFLINE_TLS, offlineServerConfig, withOfflineHosts } from '../../src/backends/kube/offline-fqdn.ts';
import { externalHosts } from './offline-names.ts';
import { kindCluster } from './owner.ts';
import { ensureTools, ToolError } from './tools.ts';
import { readVersions, REPO } from './versions.ts';

const versions = readVersions();
const options = new Command()
  .option('--name <name>', 'kind cluster name', KIND_CLUSTER)
  .option('--cilium <minor>', `Cilium minor version (${Object.keys(versions.cilium).join(', ')})`, process.env.CILIUM_VERSION ?? versions.defaultCilium)
  .option('--kubernetes <version>', `Kubernetes version (${Object.keys(versions.kubernetes).join(', ')})`, process.env.K8S_VERSION ?? versions.defaultKubernetes)
  .option('--kpr', 'kube-proxy replacement profile (kubeProxyMode: none)')
  .option('--offline-fqdn', 'serve the suites\' external names from a server on the kind network')
  .option('--monitoring', 'Prometheus and Grafana in namespace cilium-monitoring')
  .parse()
  .opts<{ name: string; cilium: string; kubernetes: string; kpr?: boolean; offlineFqdn?: boolean; monitoring?: boolean }>();

const WAIT = '300s';

async function main(): Promise<void> {
  const chart = versions.cilium[options.cilium];
  const image = versions.kubernetes[options.kubernetes];
  if (!chart) throw new ToolError(`--cilium ${options.cilium}: not a supported minor (${Object.keys(versions.cilium).join(', ')})`);
  if (!image) throw new ToolError(`--kubernetes ${options.kubernetes}: not a pinned version (${Object.keys(versions.kubernetes).join(', ')})`);
  const tools = await ensureTools(versions);
  const context = `kind-${options.name}`;
  const kubectl = (args: string[]) => $({ verbose: true })`${tools.kubectl} --context ${context} ${args}`;
  /** The owner mark: written as soon as the cluster exists (so a failed bring-up can be resumed or deleted), ready at the end. */
  const mark = async (ready: boolean) => {
    const literals = [`--from-literal=cluster=${options.name}`, `--from-literal=cilium=${chart}`, `--from-literal=ready=${ready}`];
    const manifest = (await $`${tools.kubectl} --context ${context} -n ${OWNER.namespace} create configmap ${OWNER.name} ${literals} --dry-run=client -o yaml`).stdout;
    await $({ input: manifest })`${tools.kubectl} --context ${context} apply -f -`;
    await kubectl(['-n', OWNER.namespace, 'label', '--overwrite', 'configmap', OWNER.name, 'app.kubernetes.io/managed-by=netpol-e2e']);
  };

  const existing = await kindCluster(tools, options.name);
  if (existing === 'foreign') throw new ToolError(`a kind cluster "${options.name}" exists that netpol-e2e did not create: refusing to touch it (pick another --name)`);
  if (existing === 'ours') echo(`reusing kind cluster ${options.name}`);
  else {
    const config = path.join(REPO, options.kpr ? 'cluster/kind-kpr.yaml' : 'cluster/kind.yaml');
    await step('create the kind cluster', () => $({ verbose: true })`${tools.kind} create cluster --name ${options.name} --config ${config} --image ${image}`);
    await mark(false);
  }

  const values = ['-f', path.join(REPO, 'cluster/cilium/values.yaml')];
  // With --monitoring, the agents and the operator expose metrics for Prometheus (scraped through their annotations).
  if (options.monitoring) values.push('--set', 'prometheus.enabled=true', '--set', 'operator.prometheus.enabled=true');
  if (options.kpr) values.push('-f', path.join(REPO, 'cluster/cilium/kpr.yaml'), '--set', `k8sServiceHost=${options.name}-control-plane`, '--set', 'k8sServicePort=6443');
  await step(`install Cilium ${chart}`, () => $({ verbose: true })`${tools.helm} upgrade --install cilium cilium --repo https://helm.cilium.io --version ${chart} --namespace kube-system --kube-context ${context} ${values}`);
  // Bounded waits, each named in its error.
  await step('wait for the Cilium agents', () => kubectl(['-n', 'kube-system', 'rollout', 'status', 'daemonset/cilium', `--timeout=${WAIT}`]));
  await step('wait for the Cilium operator', () => kubectl(['-n', 'kube-system', 'rollout', 'status', 'deployment/cilium-operator', `--timeout=${WAIT}`]));
  await step('wait for Hubble Relay', () => kubectl(['-n', 'kube-system', 'rollout', 'status', 'deployment/hubble-relay', `--timeout=${WAIT}`]));
  await step('wait for the nodes', () => kubectl(['wait', '--for=condition=Ready', 'nodes', '--all', `--timeout=${WAIT}`]));
  await step('wait for CoreDNS', () => kubectl(['-n', 'kube-system', 'rollout', 'status', 'deployment/coredns', `--timeout=${WAIT}`]));

  if (options.offlineFqdn) await step('start the offline FQDN server', () => offlineFqdn(tools.kubectl, context));
  if (options.monitoring) {
    const ns = ['--namespace', 'cilium-monitoring', '--create-namespace', '--kube-context', context, '--wait', '--timeout', '10m'];
    await step('install Prometheus', () => $({ verbose: true })`${tools.helm} upgrade --install prometheus prometheus --repo https://prometheus-community.github.io/helm-charts --version ${versions.monitoring.prometheus} ${ns} -f ${path.join(REPO, 'cluster/monitoring/values-prometheus.yaml')}`);
    await step('install Grafana', () => $({ verbose: true })`${tools.helm} upgrade --install grafana grafana --repo https://grafana.github.io/helm-charts --version ${versions.monitoring.grafana} ${ns} -f ${path.join(REPO, 'cluster/monitoring/values-grafana.yaml')}`);
  }

  // Ready: --backend kind may now change this cluster.
  await mark(true);
  echo(`\ncluster ${options.name} is ready: Cilium ${chart}, ${image.split('@')[0]}. Run: npm run test:kind   (or: node bin/netpol-e2e.js run --backend kind)`);
}

class StepError extends Error {}

/** Runs one bring-up step; a failure names the step and the command's last words instead of a stack trace. */
async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ToolError) throw e;
    const err = e as Error & { stderr?: string };
    throw new StepError(`could not ${what}: ${(err.stderr || err.message).trim().split('\n').slice(-5).join('\n  ')}`);
  }
}

/** An HTTPS (and HTTP) server on the kind network, and CoreDNS answering the suites' external names with its address. */
async function offlineFqdn(kubectl: string, context: string): Promise<void> {
  const container = `${options.name}-fqdn`;
  const dir = path.join(REPO, '.tools/offline-fqdn');
  await mkdir(dir, { recursive: true });
  await $`openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=netpol-e2e-offline -keyout ${dir}/tls.key -out ${dir}/tls.crt`;
  const hosts = await externalHosts([path.join(REPO, 'suites')]);
  const names = [...new Set(hosts.map((h) => h.name!))].sort();
  await writeFile(path.join(dir, 'default.conf'), offlineServerConfig(hosts));
  await $({ nothrow: true })`docker rm -f ${container}`;
  await $({ verbose: true })`docker run -d --name ${container} --network kind -v ${dir}/default.conf:/etc/nginx/conf.d/default.conf:ro -v ${dir}:${OFFLINE_TLS}:ro ${versions.offlineFqdnImage}`;
  const ip = (await $`docker inspect -f {{(index .NetworkSettings.Networks "kind").IPAddress}} ${container}`).stdout.trim();
  const corefile = (await $`${kubectl} --context ${context} -n kube-system get configmap coredns -o jsonpath={.data.Corefile}`).stdout;
  const patched = withOfflineHosts(corefile, ip, names);
  await $({ input: JSON.stringify({ data: { Corefile: patched } }) })`${kubectl} --context ${context} -n kube-system patch configmap coredns --type merge --patch-file /dev/stdin`;
  await $`${kubectl} --context ${context} -n kube-system rollout restart deployment/coredns`;
  await $`${kubectl} --context ${context} -n kube-system rollout status deployment/coredns --timeout=${WAIT}`;
  echo(`offline FQDN server ${container} at ${ip} answers: ${names.join(', ')}`);
}

try {
  await main();
} catch (e) {
  if (e instanceof ToolError) {
    console.error(`cluster:up: ${e.message}`);
    process.exit(2);
  }
  if (e instanceof StepError) {
    console.error(`cluster:up: ${e.message}\n(run npm run cluster:up again to resume, or npm run cluster:down)`);
    process.exit(1);
  }
  throw e;
}
