// The options that choose where probes run, shared by `run` and `docs check`: declared, checked and opened once.
import { InvalidArgumentError, type Command } from 'commander';
import type { ClusterBackend } from '../backends/backend.ts';
import { contextOf, DEFAULT_BOUNDS, type ClusterChoice } from '../backends/kube/cluster-choice.ts';
import { InputError } from '../input/input-error.ts';
import type { Suite } from '../suite/types.ts';

const BACKENDS = ['model', 'kind', 'context'];

export interface ClusterOptions {
  backend: string;
  context?: string;
  cluster?: string;
  offlineFqdn?: boolean;
  settleTimeout: number;
  requestTimeout: number;
}

export function addClusterOptions(command: Command): Command {
  return command
    .option('--backend <name>', `where probes run: model (no cluster), kind (the cluster \`npm run cluster:up\` made), context (--context NAME)`, 'model')
    .option('--context <name>', 'with --backend context: the kubeconfig context to run against')
    .option('--cluster <name>', 'with --backend kind: the kind cluster name (default netpol-e2e, or NETPOL_E2E_CLUSTER)')
    .option('--settle-timeout <seconds>', 'where enforcement cannot be confirmed, how long to probe a step until it matches the model', (v) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError('whole seconds');
      return Number(v);
    }, 60)
    .option('--offline-fqdn', "external names answered by the world server of `cluster:up --offline-fqdn` (checked before the run)")
    .option('--request-timeout <seconds>', 'on a cluster, how long one API request may take, answer and body, before it is given up (and retried)', (v) => {
      if (!/^\d+$/.test(v) || Number(v) === 0) throw new InvalidArgumentError('whole seconds, at least 1');
      return Number(v);
    }, DEFAULT_BOUNDS.requestTimeoutMs / 1000);
}

/** Bad combinations are bad input: reported before anything is read or touched. */
export function checkClusterOptions(options: ClusterOptions): void {
  if (!BACKENDS.includes(options.backend)) {
    throw new InputError('--backend', undefined, `backend "${options.backend}" is not available (available: ${BACKENDS.join(', ')})`);
  }
  if (options.context && options.backend !== 'context') throw new InputError('--context', undefined, 'only goes with --backend context');
  if (options.offlineFqdn && options.backend === 'model') throw new InputError('--offline-fqdn', undefined, 'only goes with a cluster backend: the model has no internet to replace');
}

const choiceOf = (options: ClusterOptions): ClusterChoice => (options.backend === 'kind' ? { backend: 'kind', cluster: options.cluster } : { backend: 'context', context: options.context });

/**
 * The cluster the options name (the kubeconfig `env`'s KUBECONFIG names), checked for these suites; undefined for the
 * model. The kube backend (client-node, ws) is imported only here, so that a run on the model never loads it
 * (test/package/installed.test.ts); of backends/kube, only cluster-choice.ts (no client-node) is imported above.
 */
export async function openChosenCluster(options: ClusterOptions, suites: Suite[], env: NodeJS.ProcessEnv): Promise<ClusterBackend | undefined> {
  if (options.backend === 'model') return undefined;
  const { openClusterBackend } = await import('../backends/kube/cluster-target.ts');
  return openClusterBackend(choiceOf(options), suites, { offlineFqdn: options.offlineFqdn, bounds: { requestTimeoutMs: options.requestTimeout * 1000 }, env });
}

/** The kubeconfig context of the chosen cluster, for the kubectl commands a report prints; undefined for the model. */
export const chosenContext = (options: ClusterOptions): string | undefined => (options.backend === 'model' ? undefined : contextOf(choiceOf(options)));
