// Which kinds live in a namespace decides every ref the harness makes: the object a suite applies, deletes and leaves
// behind. ClusterNetworkPolicy is cluster-scoped (network-policy-api's CRD, `scope: Cluster`), as Cilium's clusterwide
// policy and CIDR group are; a ref with a namespace would print `-n default` in the commands a failed cleanup suggests.
import { describe, expect, it } from 'vitest';
import { refOf } from '../../src/manifest/objects.ts';

const object = (kind: string, namespace?: string) => ({ apiVersion: 'v1', kind, metadata: { name: 'x', ...(namespace && { namespace }) } });

describe('refOf', () => {
  it.each(['Namespace', 'CiliumClusterwideNetworkPolicy', 'CiliumCIDRGroup', 'ClusterNetworkPolicy'])('a %s has no namespace, even when the manifest gives one', (kind) => {
    expect(refOf(object(kind, 'demo'))).toEqual({ kind, name: 'x' });
  });

  it('a namespaced object is in its own namespace, else the default one', () => {
    expect(refOf(object('NetworkPolicy', 'demo'))).toEqual({ kind: 'NetworkPolicy', name: 'x', namespace: 'demo' });
    expect(refOf(object('CiliumNetworkPolicy'), 'team')).toEqual({ kind: 'CiliumNetworkPolicy', name: 'x', namespace: 'team' });
  });
});
