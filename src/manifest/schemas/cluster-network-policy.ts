// Kubernetes ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, sigs.k8s.io/network-policy-api
// apis/v1alpha2/clusternetworkpolicy_types.go and its CRD, config/crd/standard/
// policy.networking.k8s.io_clusternetworkpolicies.yaml): tiers Admin and Baseline, priority 0-1000, Accept/Deny/Pass.
// Its names say ClusterNp, not Cnp: `cnp` is kubectl's short name of CiliumNetworkPolicy.
import { z } from 'zod';
import { metadata } from './core.ts';
import { LabelSelectorSchema } from './label-selector.ts';
import { cidr, PORT_NAME, portNumber } from './net.ts';

const exactlyOneKey = (what: string) => (o: Record<string, unknown>) => Object.values(o).filter((v) => v !== undefined).length === 1 || `a ${what} takes exactly one of its fields`;
// Cilium's own manifests leave namespaceSelector out; Cilium reads the missing selector as every namespace.
const NamespacedPodSchema = z.strictObject({ namespaceSelector: LabelSelectorSchema.optional(), podSelector: LabelSelectorSchema });
const ClusterNpPortSchema = z.union(
  [z.strictObject({ number: portNumber }), z.strictObject({ range: z.strictObject({ start: portNumber, end: portNumber }).refine((r) => r.start < r.end, { error: 'Start port must be less than End port' }) })],
  { error: 'a destinationPort is { number: N } or { range: { start: N, end: M } }' },
);
// A transport match needs its destinationPort (the CRD's minProperties: 1).
const ClusterNpTransportSchema = z.strictObject({ destinationPort: ClusterNpPortSchema });
const ClusterNpProtocolSchema = z
  .strictObject({
    tcp: ClusterNpTransportSchema.optional(),
    udp: ClusterNpTransportSchema.optional(),
    sctp: ClusterNpTransportSchema.optional(),
    destinationNamedPort: z.string().regex(PORT_NAME).max(15).optional(),
  })
  .refine((p) => exactlyOneKey('protocol')(p) === true, { error: 'a protocol takes exactly one of tcp, udp, sctp and destinationNamedPort' });
export type ClusterNpProtocol = z.infer<typeof ClusterNpProtocolSchema>;
const peer = <T extends z.ZodRawShape>(shape: T, names: string) => z.strictObject(shape).refine((p) => exactlyOneKey('peer')(p) === true, { error: `a peer takes exactly one of ${names}` });
const ClusterNpIngressPeerSchema = peer({ namespaces: LabelSelectorSchema.optional(), pods: NamespacedPodSchema.optional() }, 'namespaces and pods');
const ClusterNpEgressPeerSchema = peer(
  {
    namespaces: LabelSelectorSchema.optional(),
    pods: NamespacedPodSchema.optional(),
    nodes: LabelSelectorSchema.optional(),
    networks: z.array(cidr).min(1).max(25).optional(),
    domainNames: z
      .array(z.string().regex(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+\.?$/, { error: 'must be a domain name, optionally after *.' }))
      .min(1)
      .max(25)
      .optional(),
  },
  'namespaces, pods, nodes, networks and domainNames',
);
const ruleFields = {
  name: z.string().max(100).optional(),
  action: z.enum(['Accept', 'Deny', 'Pass']),
  protocols: z.array(ClusterNpProtocolSchema).min(1).max(25).optional(),
};
const ClusterNpIngressRuleSchema = z.strictObject({ ...ruleFields, from: z.array(ClusterNpIngressPeerSchema).min(1).max(25) });
const ClusterNpEgressRuleSchema = z.strictObject({ ...ruleFields, to: z.array(ClusterNpEgressPeerSchema).min(1).max(25) }).superRefine((r, ctx) => {
  // The CRD's CEL rules: domainNames only with Accept; no named ports towards networks, nodes or domain names.
  if (r.action !== 'Accept' && r.to.some((p) => p.domainNames)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'domainNames is only supported for Accept rules' });
  if (r.to.some((p) => p.networks || p.nodes || p.domainNames) && r.protocols?.some((p) => p.destinationNamedPort)) {
    ctx.addIssue({ code: 'custom', path: ['protocols'], message: 'networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames' });
  }
});
export type ClusterNpIngressRule = z.infer<typeof ClusterNpIngressRuleSchema>;
export type ClusterNpEgressRule = z.infer<typeof ClusterNpEgressRuleSchema>;

export const ClusterNetworkPolicySchema = z.strictObject({
  apiVersion: z.literal('policy.networking.k8s.io/v1alpha2'),
  kind: z.literal('ClusterNetworkPolicy'),
  metadata: metadata.refine((m) => m.namespace === undefined, { error: 'a ClusterNetworkPolicy is cluster-scoped: remove metadata.namespace' }),
  spec: z.strictObject({
    tier: z.enum(['Admin', 'Baseline']),
    priority: z.number().int().min(0).max(1000),
    subject: z.strictObject({ namespaces: LabelSelectorSchema.optional(), pods: NamespacedPodSchema.optional() }).refine((p) => exactlyOneKey('subject')(p) === true, { error: 'a subject takes exactly one of namespaces and pods' }),
    ingress: z.array(ClusterNpIngressRuleSchema).max(25).optional(),
    egress: z.array(ClusterNpEgressRuleSchema).max(25).optional(),
  }),
  status: z.unknown().optional(),
});
export type ClusterNetworkPolicy = z.infer<typeof ClusterNetworkPolicySchema>;

/**
 * Egress peers only network-policy-api's experimental channel has. Its standard-channel CRD (config/crd/standard/
 * policy.networking.k8s.io_clusternetworkpolicies.yaml at v0.2.0, the one cluster:up installs; the CRD says which
 * in its annotation policy.networking.k8s.io/channel) lacks both, which the experimental CRD marks
 * <network-policy-api:experimental>; an API server serving the standard CRD refuses a peer that gives one (an
 * unknown field, or pruned to a peer with no field, below the CRD's minProperties: 1).
 */
export const CLUSTER_NP_CHANNEL_ANNOTATION = 'policy.networking.k8s.io/channel';
const EXPERIMENTAL_PEERS = ['domainNames', 'nodes'] as const;

/** Where a ClusterNetworkPolicy uses a field of the experimental channel: each as a path within the object. */
export function experimentalChannelFields(policy: ClusterNetworkPolicy): (string | number)[][] {
  return (policy.spec.egress ?? []).flatMap((rule, i) => rule.to.flatMap((peer, j) => EXPERIMENTAL_PEERS.filter((f) => peer[f] !== undefined).map((f) => ['spec', 'egress', i, 'to', j, f])));
}
