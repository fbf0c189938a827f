// The full pod-to-pod matrix on one port, as fast as the model can: every pair judged by the same connectPods as a
// probe, without traces. The benchmark measures this; a report can use it for whole-cluster views.
import type { ModelCluster } from './cluster.ts';
import { connectPods } from './simulate.ts';
import { NO_FQDNS, type PodFlow, type PodPeer, type Protocol } from './policy/types.ts';

export const CONNECTS = 1;
export const DENIED = 2;
export const REFUSED = 3;

/** Row-major outcomes, `pods.length` squared: CONNECTS, DENIED (a policy drop) or REFUSED (nothing listens). */
export function podMatrix(cluster: ModelCluster, port: number, protocol: Protocol): Uint8Array {
  const pods = cluster.pods();
  const index = cluster.policyIndex();
  const out = new Uint8Array(pods.length * pods.length);
  // One peer per pod and one flow for every cell: a million cells allocate no flow (verdicts keep no reference to it).
  const peers = pods.map((pod): PodPeer => ({ kind: 'pod', pod }));
  if (peers.length === 0) return out;
  const flow: PodFlow = { source: peers[0]!, destination: peers[0]!, port, protocol, context: NO_FQDNS };
  for (const client of pods) {
    const row = client.index * pods.length;
    flow.source = peers[client.index]!;
    for (const server of pods) {
      flow.destination = peers[server.index]!;
      const { egress, ingress, listening } = connectPods(index, flow, false);
      out[row + server.index] = !egress.allowed || !ingress?.allowed ? DENIED : listening ? CONNECTS : REFUSED;
    }
  }
  return out;
}
