// Where probes run, as the options of `run`, `docs check` and the vitest suites project say: checked before anything
// is read, and the cluster opened once the suites are known (the model needs nothing opened).
import type { ClusterBackend } from '../backends/backend.ts';
import { contextOf, type ClusterChoice } from '../backends/kube/cluster-choice.ts';
import { InputError } from '../input/input-error.ts';
import type { Suite } from '../suite/types.ts';

const BACKENDS = ['model', 'kind', 'context'];

export interface ClusterOptions {
  backend: string;
  context?: string;
  cluster?: string;
  offlineFqdn?: boolean;
  /** Seconds; see the command line's --settle-timeout and --request-timeout. Absent, the runner's and backend's defaults. */
  settleTimeout?: number;
  requestTimeout?: number;
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
 * The cluster the options name (the kubeconfig `env`'s KUBECONFIG names), checked for these suites; undefined for the model. The kube backend (client-node, ws)
 * is imported only here, so that a run on the model never loads it (test/package/installed.test.ts); of
 * backends/kube, only cluster-choice.ts (no client-node) is imported above.
 */
export async function openChosenCluster(options: ClusterOptions, suites: Suite[], env: NodeJS.ProcessEnv): Promise<ClusterBackend | undefined> {
  if (options.backend === 'model') return undefined;
  const { openClusterBackend } = await import('../backends/kube/cluster-target.ts');
  return openClusterBackend(choiceOf(options), suites, { offlineFqdn: options.offlineFqdn, env, ...(options.requestTimeout !== undefined && { bounds: { requestTimeoutMs: options.requestTimeout * 1000 } }) });
}

/** The kubeconfig context of the chosen cluster, for the kubectl commands a report prints; undefined for the model. */
export const chosenContext = (options: ClusterOptions): string | undefined => (options.backend === 'model' ? undefined : contextOf(choiceOf(options)));
