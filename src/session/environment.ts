// What a run ran on: the cluster as its backend describes it, and netpol-e2e's own version (and git commit, when
// run from a clone), written into every results file and named in the report's first line.
import type { ClusterBackend } from '../backends/backend.ts';
import type { RunEnvironment } from '../results/result.ts';
import { ownVersion } from './version.ts';

export async function runEnvironment(backend: string, cluster?: ClusterBackend): Promise<RunEnvironment> {
  const described = (await cluster?.environment?.()) ?? {};
  return { backend, ...described, netpolE2e: ownVersion() };
}
