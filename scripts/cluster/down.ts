// npm run cluster:down: deletes the kind cluster netpol-e2e created (only that one) and its world server.
import { Command } from 'commander';
import { KIND_CLUSTER } from '../../src/backends/kube/cluster-choice.ts';
import { kindCluster } from './owner.ts';
import { run } from './run.ts';
import { findTool } from './tools.ts';
import { WORLD_SERVER } from './world-server.ts';

const { name } = new Command().option('--name <name>', 'kind cluster name', KIND_CLUSTER).parse().opts<{ name: string }>();
const kind = await findTool('kind');
const kubectl = await findTool('kubectl');
if (!kind || !kubectl) {
  console.error('cluster:down: kind or kubectl not found (npm run cluster:up installs them into .tools/bin)');
  process.exit(2);
}
const existing = await kindCluster({ kind, kubectl }, name);
if (existing === 'foreign') {
  console.error(`cluster:down: kind cluster ${name} was not created by netpol-e2e: not deleting it`);
  process.exit(2);
}
if (existing === 'absent') console.log(`no kind cluster ${name}: nothing to delete`);
else await run(kind, ['delete', 'cluster', '--name', name]);
// The world server outlives nothing: gone with its cluster (absent is fine, hence nothrow).
await run('docker', ['rm', '-f', WORLD_SERVER(name)], { nothrow: true, quiet: true });
