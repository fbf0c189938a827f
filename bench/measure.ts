// One benchmark point, in a process of its own so that its peak memory is its own: builds the generated cluster,
// computes the full pod matrix on port 80/TCP, prints one JSON line.
import { ModelCluster } from '../src/model/cluster.ts';
import { CONNECTS, podMatrix } from '../src/model/matrix.ts';
import { generateCluster } from './generate.ts';

const [pods, policies] = process.argv.slice(2).map(Number) as [number, number];
const objects = generateCluster(pods, policies);
const started = performance.now();
const cluster = new ModelCluster();
for (const object of objects) cluster.apply(object);
cluster.policyIndex();
const built = performance.now();
const matrix = podMatrix(cluster, 80, 'TCP');
const done = performance.now();
const connects = matrix.reduce((n, v) => n + (v === CONNECTS ? 1 : 0), 0);
const peakBytes = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ pods: cluster.pods().length, policies: cluster.policies().length, cells: matrix.length, connects, buildMs: built - started, matrixMs: done - built, peakBytes }));
