// How reports word a run's environment: the whole line the terminal report opens with and the HTML page shows (the
// versions in it labelled as results/versions-label.ts labels a run).
import type { RunEnvironment } from '../results/result.ts';
import { versionsLabel } from '../results/versions-label.ts';

/** netpol-e2e's version and, from a clone, its commit: "0.1.0 (8e2ee20da229)", as `--version` prints it too. */
export function ownVersionText(own: RunEnvironment['netpolE2e']): string {
  return `${own.version}${own.commit ? ` (${own.commit})` : ''}`;
}

/** netpol-e2e's version, where it ran, the versions, the ClusterNetworkPolicy CRD, the nodes: what the run ran on, in one line. */
export function environmentLine(env: RunEnvironment, backendName = env.backend): string {
  const own = `netpol-e2e ${ownVersionText(env.netpolE2e)}`;
  const versions = versionsLabel(env);
  const host = [env.nodeImage, env.kernel && `kernel ${env.kernel}`].filter(Boolean).join(', ');
  const crd = env.clusterNetworkPolicyChannel && `network-policy-api ${env.networkPolicyApi ? `${env.networkPolicyApi}, ` : ''}${env.clusterNetworkPolicyChannel} channel`;
  return [`${own} on ${backendName}`, versions === env.backend ? '' : versions, crd, host].filter(Boolean).join(' · ');
}
