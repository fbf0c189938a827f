// When a workload is ready to be probed, per kind, as `kubectl rollout status` judges it (kubernetes/kubectl@dee3483
// pkg/polymorphichelpers/rollout_status.go): each case is a status its viewer calls done or waiting.
import { describe, expect, it } from 'vitest';
import { ROLLOUTS } from '../../../src/backends/kube/rollout.ts';

const object = (kind: string, spec: object, status: object, generation = 2) => ({ apiVersion: 'apps/v1', kind, metadata: { name: 'x', generation }, spec, status });

describe('rollout done, per kind, as kubectl rollout status says', () => {
  it.each([
    ['StatefulSet', { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } }, { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 3 }, true],
    // "Waiting for statefulset spec update to be observed": a status from before the last change.
    ['StatefulSet', { replicas: 3 }, { observedGeneration: 1, readyReplicas: 3, currentRevision: 'a', updateRevision: 'a' }, false],
    // "Waiting for 1 pods to be ready".
    ['StatefulSet', { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } }, { observedGeneration: 2, readyReplicas: 2, updatedReplicas: 3 }, false],
    // "Waiting for partitioned roll out to finish": only the pods at or above the partition are updated.
    ['StatefulSet', { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }, { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1 }, false],
    ['StatefulSet', { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }, { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 2 }, true],
    // No rollingUpdate: "waiting for statefulset rolling update to complete" until the revisions agree.
    ['StatefulSet', { replicas: 1, updateStrategy: { type: 'RollingUpdate' } }, { observedGeneration: 2, readyReplicas: 1, currentRevision: 'x-1', updateRevision: 'x-2' }, false],
    ['StatefulSet', { replicas: 1, updateStrategy: { type: 'RollingUpdate' } }, { observedGeneration: 2, readyReplicas: 1, currentRevision: 'x-2', updateRevision: 'x-2' }, true],
    ['DaemonSet', { updateStrategy: { type: 'RollingUpdate' } }, { observedGeneration: 2, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 }, true],
    // "Waiting for daemon set rollout to finish: 1 out of 2 new pods have been updated".
    ['DaemonSet', { updateStrategy: { type: 'RollingUpdate' } }, { observedGeneration: 2, desiredNumberScheduled: 2, updatedNumberScheduled: 1, numberAvailable: 2 }, false],
    // "... 1 of 2 updated pods are available".
    ['DaemonSet', { updateStrategy: { type: 'RollingUpdate' } }, { observedGeneration: 2, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 1 }, false],
    ['DaemonSet', { updateStrategy: { type: 'RollingUpdate' } }, { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 }, false],
    ['Deployment', { replicas: 2 }, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }, true],
    // "1 old replicas are pending termination".
    ['Deployment', { replicas: 2 }, { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2 }, false],
    ['ReplicaSet', { replicas: 2 }, { observedGeneration: 2, replicas: 2, availableReplicas: 2 }, true],
    ['ReplicaSet', { replicas: 2 }, { observedGeneration: 2, replicas: 2, availableReplicas: 1 }, false],
  ])('%s %j with status %j: done %s', (kind, spec, status, done) => {
    expect(ROLLOUTS[kind]!.done(object(kind, spec, status))).toBe(done);
  });

  it('an object its controller has not seen yet (no status) is not done', () => {
    for (const kind of Object.keys(ROLLOUTS)) expect(ROLLOUTS[kind]!.done({ apiVersion: 'apps/v1', kind, metadata: { name: 'x', generation: 1 } })).toBe(false);
  });
});
