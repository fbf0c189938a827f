// Whether the kind cluster of a name is there, and whether netpol-e2e made it (the owner mark in kube-system).
import { OWNER } from '../../src/backends/kube/cluster-target.ts';
import { run } from './run.ts';

export async function kindCluster(tools: { kind: string; kubectl: string }, name: string): Promise<'absent' | 'ours' | 'foreign'> {
  // `kind get clusters` prints one name per line (and "No kind clusters found." on stderr when there are none).
  if (!(await run(tools.kind, ['get', 'clusters'], { quiet: true })).stdout.split('\n').includes(name)) return 'absent';
  const owner = await run(tools.kubectl, ['--context', `kind-${name}`, '-n', OWNER.namespace, 'get', 'configmap', OWNER.name, '-o', 'jsonpath={.data.cluster}'], { nothrow: true, quiet: true });
  return owner.exitCode === 0 && owner.stdout.trim() === name ? 'ours' : 'foreign';
}
