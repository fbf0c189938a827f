// The one place the kinds a manifest may hold are assembled, each with its schema (its family's module has it).
import { NamespaceSchema, PodSchema, ServiceAccountSchema, ServiceSchema } from './core.ts';
import { CiliumCIDRGroupSchema, CiliumClusterwideNetworkPolicySchema, CiliumNetworkPolicySchema } from './cilium.ts';
import { ClusterNetworkPolicySchema } from './cluster-network-policy.ts';
import { NetworkPolicySchema } from './network-policy.ts';
import { DaemonSetSchema, DeploymentSchema, ReplicaSetSchema, StatefulSetSchema } from './workloads.ts';

/** The kinds a manifest may hold, each with its schema. */
export const MANIFEST_SCHEMAS = {
  Namespace: NamespaceSchema,
  Deployment: DeploymentSchema,
  ReplicaSet: ReplicaSetSchema,
  StatefulSet: StatefulSetSchema,
  DaemonSet: DaemonSetSchema,
  Pod: PodSchema,
  Service: ServiceSchema,
  NetworkPolicy: NetworkPolicySchema,
  CiliumNetworkPolicy: CiliumNetworkPolicySchema,
  CiliumClusterwideNetworkPolicy: CiliumClusterwideNetworkPolicySchema,
  ClusterNetworkPolicy: ClusterNetworkPolicySchema,
  ServiceAccount: ServiceAccountSchema,
  CiliumCIDRGroup: CiliumCIDRGroupSchema,
} as const;
