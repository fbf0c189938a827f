import { describe, expect, it } from 'vitest';
import { generateCluster } from '../../bench/generate.ts';
import { ModelCluster } from '../../src/model/cluster.ts';
import { CONNECTS, DENIED, podMatrix, REFUSED } from '../../src/model/matrix.ts';
import { simulateProbe } from '../../src/model/simulate.ts';

describe('the matrix fast path', () => {
  it.each([1, 2, 3])('agrees cell by cell with full probes on a generated cluster (seed %i)', (seed) => {
    const cluster = new ModelCluster();
    for (const object of generateCluster(40, 40, seed)) cluster.apply(object);
    const pods = cluster.pods();
    const matrix = podMatrix(cluster, 80, 'TCP');
    const code = { ok: CONNECTS, 'connect-timeout': DENIED, refused: REFUSED } as Record<string, number>;
    const counts = new Map<number, number>();
    for (const client of pods) {
      for (const server of pods) {
        const probe = simulateProbe(cluster, client, { tool: 'connect', host: server.ip, port: 80, protocol: 'TCP', timeoutSeconds: 1 });
        const fast = matrix[client.index * pods.length + server.index]!;
        expect(fast, `${client.namespace}/${client.name} -> ${server.namespace}/${server.name}`).toBe(code[probe.observation.outcome]);
        counts.set(fast, (counts.get(fast) ?? 0) + 1);
      }
    }
    // The generated policies must make the comparison meaningful: both connections and denials occur.
    expect(counts.get(CONNECTS)).toBeGreaterThan(0);
    expect(counts.get(DENIED)).toBeGreaterThan(0);
  });
});
