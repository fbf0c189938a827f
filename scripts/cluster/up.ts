// npm run cluster:up: a kind cluster with Cilium (Helm, pinned chart), Hubble and Hubble Relay, ready for
// --backend kind: the apps' images pulled once from their upstream registries and loaded into the nodes, kubectl of
// the cluster's own minor, kind's inotify limits checked. Reuses a cluster this project created; refuses one it did
// not. Options: --cilium MINOR, --kubernetes vX.Y, --kpr (no kube-proxy), --offline-fqdn (hermetic FQDN targets),
// --monitoring.
import path from 'node:path';
import { Command } from 'commander';
import { KIND_CLUSTER } from '../../src/backends/kube/cluster-choice.ts';
import { OWNER } from '../../src/backends/kube/cluster-target.ts';
import { withOfflineHosts } from '../../src/backends/kube/offline-fqdn.ts';
import { InputError } from '../../src/input/input-error.ts';
import { checkInotify } from './host.ts';
import { loadImages } from './images.ts';
import { externalHosts } from './offline-names.ts';
import { kindCluster } from './owner.ts';
import { CommandError, run } from './run.ts';
import { ensureTools, ToolError } from './tools.ts';
import { ciliumHasClusterNetworkPolicy, clusterNetworkPolicyCrd, loadedImages, readVersions, REPO } from './versions.ts';
import { nodesHaveSctp, startWorldServer } from './world-server.ts';

const versions = readVersions();
const options = new Command()
  .option('--name <name>', 'kind cluster name', KIND_CLUSTER)
  .option('--cilium <minor>', `Cilium minor version (${Object.keys(versions.cilium).join(', ')})`, process.env.CILIUM_VERSION ?? versions.defaultCilium)
  .option('--kubernetes <version>', `Kubernetes version (${Object.keys(versions.kubernetes).join(', ')})`, process.env.K8S_VERSION ?? versions.defaultKubernetes)
  .option('--kpr', 'kube-proxy replacement profile (kubeProxyMode: none)')
  .option('--offline-fqdn', "answer the suites' external names from the world server on the kind network")
  .option('--monitoring', 'Prometheus and Grafana in namespace cilium-monitoring')
  .parse()
  .opts<{ name: string; cilium: string; kubernetes: string; kpr?: boolean; offlineFqdn?: boolean; monitoring?: boolean }>();

const WAIT = '300s';

async function main(): Promise<void> {
  const chart = versions.cilium[options.cilium];
  const image = versions.kubernetes[options.kubernetes];
  if (!chart) throw new ToolError(`--cilium ${options.cilium}: not a supported minor (${Object.keys(versions.cilium).join(', ')})`);
  if (!image) throw new ToolError(`--kubernetes ${options.kubernetes}: not a pinned version (${Object.keys(versions.kubernetes).join(', ')})`);
  // The suites' world is read (and checked for two names on one address) before anything is created.
  const hosts = await externalHosts([path.join(REPO, 'suites')]);
  // kubectl of the cluster's own minor (cluster/versions.json "kubectl").
  const tools = await ensureTools(versions, options.kubernetes);
  console.log(await checkInotify());
  const context = `kind-${options.name}`;
  const kubectl = (args: string[], opts: { input?: string; quiet?: boolean } = {}) => run(tools.kubectl, ['--context', context, ...args], opts);
  /** The owner mark: written as soon as the cluster exists (so a failed bring-up can be resumed or deleted), ready at the end. */
  const mark = async (data: Record<string, string>) => {
    const literals = Object.entries({ cluster: options.name, cilium: chart, ...data }).map(([k, v]) => `--from-literal=${k}=${v}`);
    const manifest = (await kubectl(['-n', OWNER.namespace, 'create', 'configmap', OWNER.name, ...literals, '--dry-run=client', '-o', 'yaml'], { quiet: true })).stdout;
    await kubectl(['apply', '-f', '-'], { input: manifest });
    await kubectl(['-n', OWNER.namespace, 'label', '--overwrite', 'configmap', OWNER.name, 'app.kubernetes.io/managed-by=netpol-e2e']);
  };

  const existing = await kindCluster(tools, options.name);
  if (existing === 'foreign') throw new ToolError(`a kind cluster "${options.name}" exists that netpol-e2e did not create: refusing to touch it (pick another --name)`);
  if (existing === 'ours') console.log(`reusing kind cluster ${options.name}`);
  else {
    const config = path.join(REPO, options.kpr ? 'cluster/kind-kpr.yaml' : 'cluster/kind.yaml');
    await step('create the kind cluster', () => run(tools.kind, ['create', 'cluster', '--name', options.name, '--config', config, '--image', image]));
    await mark({ ready: 'false' });
  }
  await step("load the apps' images into the nodes", () => loadImages(tools.kind, options.name, loadedImages(versions)));

  const values = ['-f', path.join(REPO, 'cluster/cilium/values.yaml')];
  // With --monitoring, the agents and the operator expose metrics for Prometheus (scraped through their annotations).
  if (options.monitoring) values.push('--set', 'prometheus.enabled=true', '--set', 'operator.prometheus.enabled=true');
  if (options.kpr) values.push('-f', path.join(REPO, 'cluster/cilium/kpr.yaml'), '--set', `k8sServiceHost=${options.name}-control-plane`, '--set', 'k8sServicePort=6443');
  // ClusterNetworkPolicy: Cilium 1.20+ watches it when the agent option is on (Helm k8sClusterNetworkPolicy.enabled),
  // and the CRD must be there first. Older Cilium leaves the kind unserved: such suites are not runnable there.
  const kcnp = ciliumHasClusterNetworkPolicy(options.cilium);
  if (kcnp) {
    await step(`install the ClusterNetworkPolicy CRD (network-policy-api ${versions.networkPolicyApi})`, () => kubectl(['apply', '-f', clusterNetworkPolicyCrd(versions)]));
    values.push('--set', 'k8sClusterNetworkPolicy.enabled=true');
  }
  await step(`install Cilium ${chart}`, () => run(tools.helm, ['upgrade', '--install', 'cilium', 'cilium', '--repo', 'https://helm.cilium.io', '--version', chart, '--namespace', 'kube-system', '--kube-context', context, ...values]));
  // Bounded waits, each named in its error.
  await step('wait for the Cilium agents', () => kubectl(['-n', 'kube-system', 'rollout', 'status', 'daemonset/cilium', `--timeout=${WAIT}`]));
  await step('wait for the Cilium operator', () => kubectl(['-n', 'kube-system', 'rollout', 'status', 'deployment/cilium-operator', `--timeout=${WAIT}`]));
  // Cilium 1.16+ runs Envoy as a DaemonSet of its own unless envoy.enabled=false (chart values.yaml "true for new
  // installation", templates/_helpers.tpl envoyDaemonSetEnabled, in the 1.18, 1.19 and 1.20 charts): the L7 suites
  // need it. `get --ignore-not-found -o name` prints daemonset.apps/cilium-envoy, or nothing where there is none.
  const envoy = (await kubectl(['-n', 'kube-system', 'get', 'daemonset', 'cilium-envoy', '--ignore-not-found', '-o', 'name'], { quiet: true })).stdout.trim();
  if (envoy) await step('wait for Cilium Envoy', () => kubectl(['-n', 'kube-system', 'rollout', 'status', 'daemonset/cilium-envoy', `--timeout=${WAIT}`]));
  else console.log('Cilium Envoy: inside the agents (no cilium-envoy DaemonSet)');
  await step('wait for Hubble Relay', () => kubectl(['-n', 'kube-system', 'rollout', 'status', 'deployment/hubble-relay', `--timeout=${WAIT}`]));
  await step('wait for the nodes', () => kubectl(['wait', '--for=condition=Ready', 'nodes', '--all', `--timeout=${WAIT}`]));
  await step('wait for CoreDNS', () => kubectl(['-n', 'kube-system', 'rollout', 'status', 'deployment/coredns', `--timeout=${WAIT}`]));

  const sctp = await step('check SCTP on the nodes', () => nodesHaveSctp(`${options.name}-control-plane`));
  console.log(sctp ? "SCTP: the nodes' kernel has it" : "SCTP: the nodes' kernel has no sctp module: SCTP cells will be reported as not runnable on this cluster");
  console.log(kcnp ? 'ClusterNetworkPolicy: enforced (CRD installed, agent option on)' : `ClusterNetworkPolicy: not with Cilium ${options.cilium} (1.20+): suites that apply one are not runnable on this cluster`);
  const world = await step('start the world server', () => startWorldServer({ cluster: options.name, kind: tools.kind, image: versions.images.worldServer.pull, hosts }));
  console.log(`world server at ${world.ip} holds ${world.addresses.join(', ') || 'no address'}`);
  if (options.offlineFqdn) {
    await step('point CoreDNS at the world server', async () => {
      const corefile = (await kubectl(['-n', 'kube-system', 'get', 'configmap', 'coredns', '-o', 'jsonpath={.data.Corefile}'], { quiet: true })).stdout;
      const patched = withOfflineHosts(
        corefile,
        hosts.flatMap((h) => (h.name ? [{ name: h.name, ip: h.ip }] : [])),
      );
      await kubectl(['-n', 'kube-system', 'patch', 'configmap', 'coredns', '--type', 'merge', '--patch-file', '/dev/stdin'], { input: JSON.stringify({ data: { Corefile: patched } }) });
      await kubectl(['-n', 'kube-system', 'rollout', 'restart', 'deployment/coredns']);
      await kubectl(['-n', 'kube-system', 'rollout', 'status', 'deployment/coredns', `--timeout=${WAIT}`]);
    });
  }
  if (options.monitoring) {
    const ns = ['--namespace', 'cilium-monitoring', '--create-namespace', '--kube-context', context, '--wait', '--timeout', '10m'];
    const chartOf = (release: string, repo: string, version: string) => ['upgrade', '--install', release, release, '--repo', repo, '--version', version, ...ns, '-f', path.join(REPO, `cluster/monitoring/values-${release}.yaml`)];
    await step('install Prometheus', () => run(tools.helm, chartOf('prometheus', 'https://prometheus-community.github.io/helm-charts', versions.monitoring.prometheus)));
    await step('install Grafana', () => run(tools.helm, chartOf('grafana', 'https://grafana.github.io/helm-charts', versions.monitoring.grafana)));
  }

  // Ready: --backend kind may now change this cluster, knowing what its nodes and its world server can serve.
  await mark({ ready: 'true', sctp: String(sctp), world: world.addresses.join(' '), nodeImage: image.split('@')[0]! });
  console.log(`\ncluster ${options.name} is ready: Cilium ${chart}, ${image.split('@')[0]}. Run: npm run test:kind   (or: node bin/netpol-e2e.js run --backend kind)`);
}

class StepError extends Error {}

/** Runs one bring-up step; a failure names the step and the command's last words instead of a stack trace. */
async function step<T>(what: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof ToolError) throw e;
    const why = e instanceof CommandError ? `${e.message}: ${e.stderr}` : (e as Error).message;
    throw new StepError(`could not ${what}: ${why.trim().split('\n').slice(-5).join('\n  ')}`);
  }
}

try {
  await main();
} catch (e) {
  if (e instanceof ToolError || e instanceof InputError) {
    console.error(`cluster:up: ${e.message}`);
    process.exit(2);
  }
  if (e instanceof StepError) {
    console.error(`cluster:up: ${e.message}\n(run npm run cluster:up again to resume, or npm run cluster:down)`);
    process.exit(1);
  }
  throw e;
}
