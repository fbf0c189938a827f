// npm run cluster:down: deletes the kind cluster netpol-e2e created (only that one) and its offline FQDN server.
import { Command } from 'commander';
import { $, echo, which } from 'zx';
import { KIND_CLUSTER, OWNER } from '../../src/backends/kube/cluster-target.ts';
import { TOOLS_DIR } from './tools.ts';

const { name } = new Command().option('--name <name>', 'kind cluster name', KIND_CLUSTER).parse().opts<{ name: string }>();
const kind = (await which(`${TOOLS_DIR}/kind`, { nothrow: true })) ?? (await which('kind', { nothrow: true }));
const kubectl = (await which(`${TOOLS_DIR}/kubectl`, { nothrow: true })) ?? (await which('kubectl', { nothrow: true }));
if (!kind || !kubectl) {
  console.error('cluster:down: kind or kubectl not found (npm run cluster:up installs them into .tools/bin)');
  process.exit(2);
}
if (!(await $`${kind} get clusters`).stdout.split('\n').includes(name)) {
  echo(`no kind cluster ${name}: nothing to delete`);
} else {
  const owner = await $({ nothrow: true, quiet: true })`${kubectl} --context kind-${name} -n ${OWNER.namespace} get configmap ${OWNER.name} -o jsonpath={.data.cluster}`;
  if (owner.stdout.trim() !== name) {
    console.error(`cluster:down: kind cluster ${name} was not created by netpol-e2e: not deleting it`);
    process.exit(2);
  }
  await $({ verbose: true })`${kind} delete cluster --name ${name}`;
}
await $({ nothrow: true, quiet: true })`docker rm -f ${name}-fqdn`;
