// Whether the kind cluster of a name is there, and whether netpol-e2e made it (the owner mark in kube-system).
import { $ } from 'zx';
import { OWNER } from '../../src/backends/kube/cluster-target.ts';

export async function kindCluster(tools: { kind: string; kubectl: string }, name: string): Promise<'absent' | 'ours' | 'foreign'> {
  if (!(await $`${tools.kind} get clusters`).stdout.split('\n').includes(name)) return 'absent';
  const owner = await $({ nothrow: true, quiet: true })`${tools.kubectl} --context kind-${name} -n ${OWNER.namespace} get configmap ${OWNER.name} -o jsonpath={.data.cluster}`;
  return owner.stdout.trim() === name ? 'ours' : 'foreign';
}
