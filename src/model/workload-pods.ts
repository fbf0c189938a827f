// The pods the model derives from workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet) and bare Pods: their
// names, labels (as `kubectl label` left them), Cilium identities, addresses, and what listens in them.
import { sourceOf } from '../input/source-map.ts';
import { WORKLOAD_KINDS } from '../manifest/kinds.ts';
import type { KubeObject } from '../manifest/objects.ts';
import type { Pod } from '../manifest/schemas/core.ts';
import type { Workload as WorkloadObject } from '../manifest/schemas/workloads.ts';
import { ciliumLabels } from './cilium-labels.ts';
import type { ModelPod } from './cluster.ts';
import { podListening, type DeclaredPort } from './images/catalog.ts';
import type { ContainerRun } from './images/types.ts';

/**
 * The nodes pods run on: cluster/kind.yaml's two workers (the control plane's NoSchedule taint keeps pods off it).
 * A DaemonSet runs one pod on each; the model does not read tolerations or node selectors, which would change how
 * many, only how many pods share the same labels.
 */
export const WORKER_NODES = 2;

/**
 * The names of a workload's pods: a StatefulSet's as Kubernetes names them, NAME-0 to NAME-(N-1); the pods of
 * Deployments, ReplicaSets and DaemonSets, whose real names end in random characters, in the same form (one scheme
 * for names the model makes up). A DaemonSet has one pod per node (WORKER_NODES).
 */
export function workloadPodNames(workload: KubeObject): string[] {
  const spec = workload.spec as { replicas?: number; ordinals?: { start?: number } } | undefined;
  const count = workload.kind === 'DaemonSet' ? WORKER_NODES : (spec?.replicas ?? 1);
  // spec.ordinals.start: where a StatefulSet's ordinals begin (apps/v1 StatefulSetOrdinals).
  const start = workload.kind === 'StatefulSet' ? (spec?.ordinals?.start ?? 0) : 0;
  return Array.from({ length: count }, (_, i) => `${workload.metadata.name}-${start + i}`);
}

/** What the pods are derived with besides the objects: the cluster's state around them. */
export interface PodSetting {
  /** Each namespace's labels as they are now. */
  namespaceLabels: ReadonlyMap<string, Record<string, string>>;
  /** `kubectl label pod` patches by NAMESPACE/NAME: a string sets a label, null removes it. */
  podLabels: ReadonlyMap<string, Record<string, string | null>>;
  policyAudit: boolean;
  /** The pod's stable address. */
  address(namespace: string, name: string): string;
}

// A bare Pod keeps its own name; a workload's pods are named NAME-i (workloadPodNames).
interface PodSource {
  object: KubeObject;
  namespace: string;
  names: string[];
  template: { metadata: { labels?: Record<string, string> }; spec: Pod['spec'] };
  specPath: string[];
}

function podSources(objects: readonly KubeObject[]): PodSource[] {
  return objects.flatMap((o): PodSource[] => {
    const namespace = o.metadata.namespace ?? 'default';
    if (WORKLOAD_KINDS.has(o.kind)) {
      const { template } = (o as unknown as WorkloadObject).spec;
      return [{ object: o, namespace, names: workloadPodNames(o), template, specPath: ['spec', 'template', 'spec'] }];
    }
    if (o.kind === 'Pod') return [{ object: o, namespace, names: [o.metadata.name], template: o as unknown as Pod, specPath: ['spec'] }];
    return [];
  });
}

/** The pods of these objects, in order: `index` is each one's position. */
export function derivePods(objects: readonly KubeObject[], setting: PodSetting): ModelPod[] {
  let nextIndex = 0;
  return podSources(objects).flatMap(({ object, namespace, names, template, specPath }) => {
    // What listens is the template's, the same for every replica: read once per workload.
    const listening = podListening(template.spec.containers.map(containerRun));
    const source = sourceOf(object);
    const unservedPorts = listening.unserved.map((u) => ({ file: source?.file, line: source?.lineOf([...specPath, 'containers', u.container, 'ports', u.port]), message: u.message }));
    return names.map((name) => {
      const labels: Record<string, string> = { ...template.metadata.labels };
      for (const [k, v] of Object.entries(setting.podLabels.get(`${namespace}/${name}`) ?? {}))
        if (v === null) delete labels[k];
        else labels[k] = v;
      const nsLabels = setting.namespaceLabels.get(namespace) ?? {};
      const { containers } = template.spec;
      const serviceAccount = template.spec.serviceAccountName ?? template.spec.serviceAccount ?? 'default';
      return {
        index: nextIndex++,
        name,
        namespace,
        labels,
        namespaceLabels: nsLabels,
        identity: ciliumLabels(namespace, labels, nsLabels, serviceAccount),
        serviceAccount,
        ip: setting.address(namespace, name),
        image: containers[0]!.image,
        containerPorts: containers.flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP', name: p.name }))),
        listening,
        unservedPorts,
        policyAudit: setting.policyAudit,
      } satisfies ModelPod;
    });
  });
}

/** A container as the image catalog reads it. */
function containerRun(c: Pod['spec']['containers'][number]): ContainerRun & { name: string; declared: DeclaredPort[] } {
  const env = c.env ?? [];
  return {
    name: c.name,
    image: c.image,
    command: c.command,
    args: c.args,
    env: new Map(env.filter((e) => e.valueFrom === undefined).map((e) => [e.name, e.value ?? ''])),
    unknownEnv: new Set(env.filter((e) => e.valueFrom !== undefined).map((e) => e.name)),
    mounts: (c.volumeMounts ?? []).map((m) => m.mountPath),
    declared: (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP' })),
  };
}
