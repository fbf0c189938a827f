// Which cluster a run may touch. The harness only mutates a kind cluster that `npm run cluster:up` created (its
// kubeconfig context and the owner ConfigMap it leaves in kube-system) or a context the user names with --context.
// Every refusal happens before any object is applied.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { InputError } from '../../input/input-error.ts';
import { readTextFile } from '../../input/read-text.ts';
import type { Suite } from '../../suite/types.ts';
import { isNotFound } from './api-errors.ts';
import type { ApiBounds } from './bounded-http.ts';
import { contextOf, KIND_CLUSTER, type ClusterChoice } from './cluster-choice.ts';
import { KubeBackend } from './kube-backend.ts';
import { ObjectApi } from './object-api.ts';
import { checkOfflineFqdn } from './offline-fqdn.ts';

/** Written by cluster:up; data.cluster names the kind cluster it marks, data.ready says the bring-up finished. */
export const OWNER = { namespace: 'kube-system', name: 'netpol-e2e-owner' };

export interface ClusterTarget {
  config: KubeConfig;
  /** For reports: "kind (kind-netpol-e2e)" or "context (NAME)". */
  name: string;
  /** What cluster:up found and set up, from the owner mark (kind only). */
  sctp?: boolean;
  servedWorld?: string[];
  nodeImage?: string;
}

const refuse = (flag: string, message: string) => new InputError(flag, undefined, message);

/** Fails fast, with what to do, when no Docker engine answers. */
async function checkDocker(): Promise<void> {
  try {
    await promisify(execFile)('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 15_000 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    const why = err.code === 'ENOENT' ? 'the docker command is not installed' : (err.stderr?.trim().split('\n')[0] ?? err.message);
    throw refuse('--backend kind', `needs a running Docker engine, and none answered (${why}). Start Docker, run \`npm run cluster:up\`, or use --backend model`);
  }
}

export async function chooseCluster(choice: ClusterChoice, config: KubeConfig): Promise<ClusterTarget> {
  if (choice.backend === 'context') {
    if (!choice.context) throw refuse('--backend context', 'name the context to use with --context NAME: the harness never picks a cluster by itself');
    if (!config.getContextObject(choice.context)) {
      throw refuse(
        '--context',
        `no context "${choice.context}" in the kubeconfig (contexts: ${
          config
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        })`,
      );
    }
    config.setCurrentContext(choice.context);
    return { config, name: `context (${choice.context})` };
  }
  const cluster = choice.cluster ?? KIND_CLUSTER;
  const context = contextOf(choice)!;
  if (!config.getContextObject(context)) throw refuse('--backend kind', `no kubeconfig context ${context}: run \`npm run cluster:up\` first`);
  config.setCurrentContext(context);
  const api = ObjectApi.forConfig(config);
  let owner: { data?: Record<string, string> } | undefined;
  try {
    owner = (await api.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: OWNER })) as { data?: Record<string, string> };
  } catch (e) {
    if (!isNotFound(e)) throw refuse('--backend kind', `cannot reach the API server of ${context}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (owner?.data?.cluster !== cluster) {
    throw refuse('--backend kind', `${context} was not created by netpol-e2e (no ConfigMap ${OWNER.namespace}/${OWNER.name} naming it): refusing to change it. Use --backend context --context ${context} to run against it on purpose`);
  }
  if (owner.data.ready !== 'true') throw refuse('--backend kind', `the bring-up of ${context} did not finish: run \`npm run cluster:up\` again`);
  const { sctp, world, nodeImage } = owner.data;
  return { config, name: `kind (${context})`, sctp: sctp === undefined ? undefined : sctp === 'true', servedWorld: world?.split(' ').filter(Boolean) ?? [], nodeImage };
}

export interface OpenOptions {
  offlineFqdn?: boolean;
  bounds?: Partial<ApiBounds>;
  /** The environment whose KUBECONFIG names the kubeconfig (default the process's): a command run in-process has its own. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The cluster backend for a run, after every check that can refuse without changing the cluster: Docker (kind),
 * which cluster, and with offlineFqdn that CoreDNS answers every external name the suites probe.
 */
export async function openClusterBackend(choice: ClusterChoice, suites: readonly Suite[], options: OpenOptions = {}): Promise<KubeBackend> {
  if (choice.backend === 'kind') await checkDocker();
  const target = await chooseCluster(choice, await loadKubeConfig(options.env ?? process.env));
  if (options.offlineFqdn)
    await checkOfflineFqdn(
      target.config,
      suites.flatMap((s) => s.world.flatMap((h) => (h.name ? [{ name: h.name, ip: h.ip }] : []))),
    );
  return new KubeBackend(target.config, { name: target.name, sctp: target.sctp, servedWorld: target.servedWorld, nodeImage: target.nodeImage, bounds: options.bounds });
}

async function loadKubeConfig(env: NodeJS.ProcessEnv): Promise<KubeConfig> {
  // client-node reads these files whole and synchronously: a FIFO or /dev/zero named there would hang or fill memory.
  const named = env.KUBECONFIG?.split(path.delimiter).filter(Boolean) ?? [];
  const files = named.length ? named : [path.join(homedir(), '.kube', 'config')];
  for (const file of files) if (existsSync(file)) await readTextFile(file);
  const config = new KubeConfig();
  try {
    // As client-node's loadFromDefault reads KUBECONFIG (the first file, the others merged in), but from `env`.
    if (named.length) {
      config.loadFromFile(named[0]!);
      for (const file of named.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(file);
        config.mergeConfig(more);
      }
    } else config.loadFromDefault();
  } catch (e) {
    throw new InputError(env.KUBECONFIG ?? '~/.kube/config', undefined, `cannot read the kubeconfig: ${(e as Error).message.split('\n')[0]}`);
  }
  return config;
}
