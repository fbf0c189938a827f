// When a workload's pods are ready to be probed, per kind, as `kubectl rollout status` judges it: its status viewers
// (kubernetes/kubectl@dee3483 pkg/polymorphichelpers/rollout_status.go). kubectl has no viewer for ReplicaSets
// (StatusViewerFor refuses them); theirs mirrors the Deployment's on the fields a ReplicaSet's status has.
import type { KubernetesObject, V1DaemonSet, V1Deployment, V1ReplicaSet, V1StatefulSet } from '@kubernetes/client-node';

export interface Rollout {
  /** Done: every pod the object wants runs its current template and is available (ready). */
  done(object: KubernetesObject): boolean;
  /** What the status says, for a wait that times out. */
  state(object: KubernetesObject): string;
}

const generation = (o: KubernetesObject, observed: number | undefined) => `generation ${observed ?? 0}/${o.metadata?.generation ?? '?'}`;
// The viewers compare with the generation only once the controller has observed one: an object the controller has
// not seen yet has no status at all.
const observed = (o: KubernetesObject, observedGeneration: number | undefined) => (observedGeneration ?? 0) > 0 && (observedGeneration ?? 0) >= (o.metadata?.generation ?? 1);

/** How far a Deployment's or ReplicaSet's replicas are: the fields both statuses have. */
const available = (o: KubernetesObject) => {
  const { status, spec } = o as V1ReplicaSet;
  return `${status?.availableReplicas ?? 0}/${spec?.replicas ?? 1} available, ${generation(o, status?.observedGeneration)}`;
};

// DeploymentStatusViewer: updated replicas reach spec.replicas, no old ones are left, every updated one available.
const deployment: Rollout = {
  done: (o) => {
    const { status, spec } = o as V1Deployment;
    const want = spec?.replicas ?? 1;
    return observed(o, status?.observedGeneration) && (status?.updatedReplicas ?? 0) >= want && (status?.replicas ?? 0) <= (status?.updatedReplicas ?? 0) && (status?.availableReplicas ?? 0) >= (status?.updatedReplicas ?? 0);
  },
  state: available,
};

const replicaSet: Rollout = {
  done: (o) => {
    const { status, spec } = o as V1ReplicaSet;
    const want = spec?.replicas ?? 1;
    return observed(o, status?.observedGeneration) && status?.replicas === want && (status.availableReplicas ?? 0) >= want;
  },
  state: available,
};

// StatefulSetStatusViewer: ready replicas reach spec.replicas; then, with a partition (the API server defaults
// rollingUpdate.partition to 0), the pods above it are updated, else the update revision is the current one. With
// updateStrategy OnDelete kubectl cannot tell; the pods being ready is what probing needs.
const statefulSet: Rollout = {
  done: (o) => {
    const { status, spec } = o as V1StatefulSet;
    const want = spec?.replicas ?? 1;
    if (!observed(o, status?.observedGeneration) || (status?.readyReplicas ?? 0) < want) return false;
    const strategy = spec?.updateStrategy;
    if (strategy?.type === 'OnDelete') return true;
    if (strategy?.rollingUpdate) return (status?.updatedReplicas ?? 0) >= want - (strategy.rollingUpdate.partition ?? 0);
    return status?.updateRevision === status?.currentRevision;
  },
  state: (o) => {
    const { status, spec } = o as V1StatefulSet;
    return `${status?.readyReplicas ?? 0}/${spec?.replicas ?? 1} ready, ${generation(o, status?.observedGeneration)}`;
  },
};

// DaemonSetStatusViewer: every node that should run a pod runs an updated one, and it is available. With
// updateStrategy OnDelete kubectl cannot tell; the pods being available is what probing needs.
const daemonSet: Rollout = {
  done: (o) => {
    const { status } = o as V1DaemonSet;
    const desired = status?.desiredNumberScheduled ?? 0;
    const updated = (o as V1DaemonSet).spec?.updateStrategy?.type === 'OnDelete' || (status?.updatedNumberScheduled ?? 0) >= desired;
    return observed(o, status?.observedGeneration) && updated && (status?.numberAvailable ?? 0) >= desired;
  },
  state: (o) => {
    const { status } = o as V1DaemonSet;
    return `${status?.numberAvailable ?? 0}/${status?.desiredNumberScheduled ?? 0} available, ${generation(o, status?.observedGeneration)}`;
  },
};

/** The rollout of each workload kind (manifest/kinds.ts WORKLOAD_KINDS). */
export const ROLLOUTS: Record<string, Rollout> = { Deployment: deployment, ReplicaSet: replicaSet, StatefulSet: statefulSet, DaemonSet: daemonSet };
