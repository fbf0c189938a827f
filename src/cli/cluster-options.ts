// The options that choose where probes run, shared by `run` and `docs check`: declared here, checked and opened by the
// run session (session/cluster.ts).
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_BOUNDS } from '../backends/kube/cluster-choice.ts';

export function addClusterOptions(command: Command): Command {
  return command
    .option('--backend <name>', `where probes run: model (no cluster), kind (the cluster \`npm run cluster:up\` made), context (--context NAME)`, 'model')
    .option('--context <name>', 'with --backend context: the kubeconfig context to run against')
    .option('--cluster <name>', 'with --backend kind: the kind cluster name (default netpol-e2e, or NETPOL_E2E_CLUSTER)')
    .option(
      '--settle-timeout <seconds>',
      'where enforcement cannot be confirmed, how long to probe a step until it matches the model',
      (v) => {
        if (!/^\d+$/.test(v)) throw new InvalidArgumentError('whole seconds');
        return Number(v);
      },
      60,
    )
    .option('--offline-fqdn', 'external names answered by the world server of `cluster:up --offline-fqdn` (checked before the run)')
    .option(
      '--request-timeout <seconds>',
      'on a cluster, how long one API request may take, answer and body, before it is given up (and retried)',
      (v) => {
        if (!/^\d+$/.test(v) || Number(v) === 0) throw new InvalidArgumentError('whole seconds, at least 1');
        return Number(v);
      },
      DEFAULT_BOUNDS.requestTimeoutMs / 1000,
    );
}
