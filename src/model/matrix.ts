// The full pod-to-pod matrix on one port, as fast as the model can: every pair judged by the same connectPods as a
// probe, without traces. The benchmark measures this; a report can use it for whole-cluster views.
import type { ModelCluster } from './cluster.ts';
import { connectPods } from './simulate.ts';
import type { Protocol } from './policy/types.ts';

export const CONNECTS = 1;
export const DENIED = 2;
export const REFUSED = 3;

/** Row-major outcomes, `pods.length` squared: CONNECTS, DENIED (a policy drop) or REFUSED (nothing listens). */
export function podMatrix(cluster: ModelCluster, port: number, protocol: Protocol): Uint8Array {
  const pods = cluster.pods();
  const index = cluster.policyIndex();
  const out = new Uint8Array(pods.length * pods.length);
  for (const client of pods) {
    const row = client.index * pods.length;
    for (const server of pods) {
      const { egress, ingress, listening } = connectPods(index, client, server, port, protocol, undefined, false);
      out[row + server.index] = !egress.allowed || !ingress?.allowed ? DENIED : listening ? CONNECTS : REFUSED;
    }
  }
  return out;
}
