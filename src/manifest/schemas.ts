// Schemas of the manifests the harness accepts. Policies are checked strictly (a typo in a policy is the bug
// a tutorial must not ship); workloads only in the fields the harness reads. Valid fields that the model cannot
// simulate are accepted and named in the compiled policy (`unmodelled`), so that no prediction silently drops a rule:
// the flows they could change are reported as not predicted.
import ipaddr from 'ipaddr.js';
import { RE2JS } from 're2js';
import { z } from 'zod';
import { checkedString, cidrProblem } from '../input/ip.ts';
import { icmpTypeNumber } from './icmp.ts';
import { labelKeyProblem, labelValueProblem } from './label-syntax.ts';
import { compileSelector, lookupIn } from './selector.ts';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const name = z.string().max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'must be a lowercase RFC 1123 name' });
const issue = (problem: string | undefined, ctx: z.RefinementCtx): void => {
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};
export const labelKey = (ciliumSource: boolean) => z.string().superRefine((k, ctx) => issue(labelKeyProblem(k, { ciliumSource }), ctx));
export const labelValue = z.string().superRefine((v, ctx) => issue(labelValueProblem(v), ctx));
/** Labels of an object, as the API server accepts them. */
const labels = z.record(labelKey(false), labelValue);
const metadata = z.looseObject({ name, namespace: z.string().regex(DNS_LABEL).optional(), labels: labels.optional() });

/** A valid field the model does not simulate: its shape is Cilium's to check; the model only names it. */
const unmodelled = z.unknown().optional();

// A Kubernetes selector's keys are qualified names; a Cilium selector's may carry a source (`k8s:`, `reserved:`).
const labelSelector = (ciliumSource: boolean) =>
  z
    .strictObject({
      matchLabels: z.record(labelKey(ciliumSource), labelValue).nullish(),
      matchExpressions: z
        .array(
          z.strictObject({
            key: labelKey(ciliumSource),
            operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
            values: z.array(labelValue).nullish(),
          }),
        )
        .nullish(),
    })
    .superRefine((selector, ctx) => {
      selector.matchExpressions?.forEach((expr, i) => {
        const needsValues = expr.operator === 'In' || expr.operator === 'NotIn';
        if (needsValues !== Boolean(expr.values?.length)) {
          ctx.addIssue({
            code: 'custom',
            path: ['matchExpressions', i, 'values'],
            message: needsValues ? `operator ${expr.operator} needs values` : `operator ${expr.operator} takes no values`,
          });
        }
      });
    });
export const LabelSelectorSchema = labelSelector(true);
const KubeLabelSelectorSchema = labelSelector(false);
export type LabelSelector = z.infer<typeof LabelSelectorSchema>;

// As Go's netip.ParsePrefix reads it (input/ip.ts): ipaddr.js alone would read 010.0.0.0/8 as 8.0.0.0/8.
const cidr = checkedString(cidrProblem);

/** Whether `inner` lies inside `outer` and is smaller (both valid CIDRs of one family). */
function strictSubset(inner: string, outer: string): boolean {
  try {
    const [innerIp, innerBits] = ipaddr.parseCIDR(inner);
    const [outerIp, outerBits] = ipaddr.parseCIDR(outer);
    return innerIp.kind() === outerIp.kind() && innerBits > outerBits && innerIp.match(outerIp, outerBits);
  } catch {
    return false;
  }
}

const protocol = z.enum(['TCP', 'UDP', 'SCTP']);
export type Protocol = z.infer<typeof protocol>;
const portNumber = z.number().int().min(1).max(65535);

const NetworkPolicyPortSchema = z
  .strictObject({
    protocol: protocol.optional(),
    port: z.union([portNumber, z.string().regex(PORT_NAME, { error: 'must be a port number or an IANA port name' })]).optional(),
    endPort: portNumber.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.endPort === undefined) return;
    if (typeof p.port !== 'number') ctx.addIssue({ code: 'custom', path: ['endPort'], message: 'endPort needs a numeric port' });
    else if (p.endPort < p.port) ctx.addIssue({ code: 'custom', path: ['endPort'], message: 'endPort must not be below port' });
  });

const NetworkPolicyPeerSchema = z
  .strictObject({
    podSelector: KubeLabelSelectorSchema.optional(),
    namespaceSelector: KubeLabelSelectorSchema.optional(),
    // The API server: each except must be a strict subset of cidr (pkg/apis/networking/validation, ValidateIPBlock).
    ipBlock: z
      .strictObject({ cidr, except: z.array(cidr).optional() })
      .superRefine((block, ctx) => {
        block.except?.forEach((except, i) => {
          if (!strictSubset(except, block.cidr)) ctx.addIssue({ code: 'custom', path: ['except', i], message: `must be a strict subset of cidr ${block.cidr}` });
        });
      })
      .optional(),
  })
  .superRefine((peer, ctx) => {
    const selectors = Number(peer.podSelector !== undefined) + Number(peer.namespaceSelector !== undefined);
    if (peer.ipBlock && selectors > 0) ctx.addIssue({ code: 'custom', path: ['ipBlock'], message: 'ipBlock cannot be combined with selectors in one peer' });
    if (!peer.ipBlock && selectors === 0) ctx.addIssue({ code: 'custom', message: 'a peer needs podSelector, namespaceSelector or ipBlock' });
  });

export const NetworkPolicySchema = z.strictObject({
  apiVersion: z.literal('networking.k8s.io/v1'),
  kind: z.literal('NetworkPolicy'),
  metadata,
  spec: z.strictObject({
    podSelector: KubeLabelSelectorSchema,
    policyTypes: z.array(z.enum(['Ingress', 'Egress'])).optional(),
    ingress: z.array(z.strictObject({ from: z.array(NetworkPolicyPeerSchema).nullish(), ports: z.array(NetworkPolicyPortSchema).nullish() })).nullish(),
    egress: z.array(z.strictObject({ to: z.array(NetworkPolicyPeerSchema).nullish(), ports: z.array(NetworkPolicyPortSchema).nullish() })).nullish(),
  }),
});
export type NetworkPolicy = z.infer<typeof NetworkPolicySchema>;

const CiliumPortSchema = z
  .strictObject({
    port: z
      .union([z.number().int(), z.string()])
      .transform((v) => String(v))
      .refine((v) => (/^\d+$/.test(v) ? Number(v) <= 65535 : PORT_NAME.test(v) && v.length <= 15), {
        error: 'must be a port number 0-65535 or a named container port',
      }),
    endPort: portNumber.optional(),
    protocol: z.enum(['TCP', 'UDP', 'SCTP', 'ANY']).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.endPort === undefined) return;
    if (!/^\d+$/.test(p.port)) ctx.addIssue({ code: 'custom', path: ['endPort'], message: 'endPort needs a numeric port' });
    else if (p.endPort < Number(p.port)) ctx.addIssue({ code: 'custom', path: ['endPort'], message: 'endPort must not be below port' });
  });

const exactlyOneMatcher = (m: { matchName?: string | undefined; matchPattern?: string | undefined }) =>
  (m.matchName === undefined) !== (m.matchPattern === undefined);
const FqdnMatcherSchema = z
  .strictObject({
    // Cilium's CRD: at most 255 characters each (pkg/policy/api/fqdn.go, MaxLength).
    matchName: z.string().max(255).regex(/^[-\w]+(\.[-\w]+)*\.?$/, { error: 'must be a DNS name' }).optional(),
    matchPattern: z.string().max(255).regex(/^[-\w*]+(\.[-\w*]+)*\.?$/, { error: 'may hold only DNS name characters and *, in labels between single dots' }).optional(),
  })
  .refine(exactlyOneMatcher, { error: 'give exactly one of matchName and matchPattern' });
export type FqdnMatcher = z.infer<typeof FqdnMatcherSchema>;

// Envoy compiles these with RE2 (Cilium hands them over as safe_regex): what RE2 refuses, the proxy refuses.
const regex = z.string().superRefine((text, ctx) => {
  try {
    RE2JS.compile(text);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `must be an RE2 regular expression, as Envoy matches it: ${(e as Error).message}` });
  }
});
const HttpRuleSchema = z.strictObject({
  method: regex.optional(),
  path: regex.optional(),
  host: regex.optional(),
  /** `Name: value` (that exact value) or `Name` (present), as Cilium's Envoy config reads them (pkg/envoy). */
  headers: z.array(z.string().min(1)).optional(),
  /** A header that must have a value; with `mismatch`, the proxy logs or rewrites instead of denying. */
  headerMatches: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        value: z.string().optional(),
        /** A value from a Secret: valid, but the model cannot read Secrets, so the flows it judges are not predicted. */
        secret: z.strictObject({ name: z.string().min(1), namespace: z.string().optional() }).optional(),
        mismatch: z.enum(['LOG', 'ADD', 'DELETE', 'REPLACE']).optional(),
      }),
    )
    .optional(),
});
export type HttpRule = z.infer<typeof HttpRuleSchema>;

const CiliumPortRuleSchema = z
  .strictObject({
    ports: z.array(CiliumPortSchema).optional(),
    rules: z.strictObject({ dns: z.array(FqdnMatcherSchema).optional(), http: z.array(HttpRuleSchema).optional(), kafka: unmodelled, l7proto: unmodelled, l7: unmodelled }).optional(),
    /**
     * TLS server names (SNI) the proxy lets through (pkg/policy/api/l4.go ServerName): `*` matches DNS characters
     * within one label, `**.` as a prefix one or more labels, `*` alone every name.
     */
    serverNames: z.array(z.string().max(255).regex(/^[-\w*]+(\.[-\w*]+)*\.?$/, { error: 'must be a DNS name, with * as a wildcard' })).optional(),
    listener: unmodelled,
    originatingTLS: unmodelled,
    terminatingTLS: unmodelled,
  })
  .refine((r) => !(r.rules?.dns && r.rules.http), { error: 'a port rule holds DNS rules or HTTP rules, not both' });
// Deny rules are L4 only: Cilium refuses L7 rules in them.
const CiliumDenyPortRuleSchema = z.strictObject({ ports: z.array(CiliumPortSchema).optional() });

export const ENTITIES = ['world', 'cluster', 'host', 'remote-node', 'kube-apiserver', 'health', 'init', 'ingress', 'unmanaged', 'all'] as const;
export type Entity = (typeof ENTITIES)[number];

// A CIDR, or the CiliumCIDRGroups named or selected (pkg/policy/api CIDRRule: one of cidr, cidrGroupRef,
// cidrGroupSelector). Its doc comment says except is "not supported yet" with a group, but CIDRRule.sanitize returns
// before the except checks for groups (rule_validation.go) and newCIDRRuleSelector applies the excepts to the group's
// selector (policy/types/selector.go), as cilium-cli's client-egress-to-cidrgroup-deny test relies on.
const CidrRuleSchema = z
  .strictObject({ cidr: cidr.optional(), cidrGroupRef: name.optional(), cidrGroupSelector: LabelSelectorSchema.optional(), except: z.array(cidr).optional() })
  .superRefine((r, ctx) => {
    const given = (['cidr', 'cidrGroupRef', 'cidrGroupSelector'] as const).filter((k) => r[k] !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: 'custom', message: `give exactly one of cidr, cidrGroupRef and cidrGroupSelector${given.length ? ` (not ${given.join(' and ')})` : ''}` });
  });
export type CidrRule = z.infer<typeof CidrRuleSchema>;

// icmps (pkg/policy/api/icmp.go, rule_validation.go): at most 40 fields, each a type of its family.
const IcmpFieldSchema = z
  .strictObject({ family: z.enum(['IPv4', 'IPv6']).optional(), type: z.union([z.number().int().min(0).max(255), z.string().min(1)]) })
  .refine((f) => icmpTypeNumber(f.type, f.family) !== undefined && icmpTypeNumber(f.type, f.family)! <= 255, {
    error: 'must be an ICMP type 0-255 or a name of its family (EchoRequest, EchoReply, DestinationUnreachable, ...)',
    path: ['type'],
  });
const IcmpRuleSchema = z.strictObject({ fields: z.array(IcmpFieldSchema).max(40, { error: 'too many types, the max is 40' }).optional() });
export type IcmpRule = z.infer<typeof IcmpRuleSchema>;

// Cilium takes one kind of L3 peer per rule (pkg/policy/api: "Combining ... is not supported yet").
function oneL3Kind(keys: readonly string[]) {
  return (rule: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const present = keys.filter((k) => rule[k] !== undefined);
    if (present.length > 1) ctx.addIssue({ code: 'custom', message: `combining ${present.join(' and ')} in one rule is not supported by Cilium` });
    // rule_validation.go, errUnsupportedICMPWithToPorts.
    if (rule.icmps !== undefined && rule.toPorts !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['icmps'], message: 'the icmps block may only be present without toPorts: define a separate rule to use toPorts' });
    }
  };
}

const ingressPeers = {
  fromEndpoints: z.array(LabelSelectorSchema).optional(),
  fromEntities: z.array(z.enum(ENTITIES)).optional(),
  fromCIDR: z.array(cidr).optional(),
  fromCIDRSet: z.array(CidrRuleSchema).optional(),
  fromRequires: unmodelled,
  fromNodes: unmodelled,
  fromGroups: unmodelled,
  icmps: z.array(IcmpRuleSchema).optional(),
  authentication: unmodelled,
};
const INGRESS_L3 = ['fromEndpoints', 'fromEntities', 'fromCIDR', 'fromCIDRSet', 'fromNodes', 'fromGroups'];
const CiliumIngressRuleSchema = z.strictObject({ ...ingressPeers, toPorts: z.array(CiliumPortRuleSchema).optional() }).superRefine(oneL3Kind(INGRESS_L3));
const CiliumIngressDenyRuleSchema = z.strictObject({ ...ingressPeers, toPorts: z.array(CiliumDenyPortRuleSchema).optional() }).superRefine(oneL3Kind(INGRESS_L3));

const egressPeers = {
  toEndpoints: z.array(LabelSelectorSchema).optional(),
  toEntities: z.array(z.enum(ENTITIES)).optional(),
  toCIDR: z.array(cidr).optional(),
  toCIDRSet: z.array(CidrRuleSchema).optional(),
  toServices: unmodelled,
  toRequires: unmodelled,
  toNodes: unmodelled,
  toGroups: unmodelled,
  icmps: z.array(IcmpRuleSchema).optional(),
  authentication: unmodelled,
};
const EGRESS_L3 = ['toEndpoints', 'toEntities', 'toCIDR', 'toCIDRSet', 'toFQDNs', 'toNodes', 'toGroups'];
const CiliumEgressRuleSchema = z
  .strictObject({ ...egressPeers, toFQDNs: z.array(FqdnMatcherSchema).optional(), toPorts: z.array(CiliumPortRuleSchema).optional() })
  .superRefine(oneL3Kind(EGRESS_L3));
const CiliumEgressDenyRuleSchema = z
  .strictObject({ ...egressPeers, toFQDNs: z.never({ error: 'Cilium does not allow toFQDNs in egressDeny' }).optional(), toPorts: z.array(CiliumDenyPortRuleSchema).optional() })
  .superRefine(oneL3Kind(EGRESS_L3));

const CiliumRuleSchema = z.strictObject({
  endpointSelector: LabelSelectorSchema.optional(),
  description: z.string().optional(),
  ingress: z.array(CiliumIngressRuleSchema).optional(),
  egress: z.array(CiliumEgressRuleSchema).optional(),
  ingressDeny: z.array(CiliumIngressDenyRuleSchema).optional(),
  egressDeny: z.array(CiliumEgressDenyRuleSchema).optional(),
  enableDefaultDeny: z.strictObject({ ingress: z.boolean().optional(), egress: z.boolean().optional() }).optional(),
  /** A host policy: it selects nodes, not pods. */
  nodeSelector: LabelSelectorSchema.optional(),
  labels: z.array(z.unknown()).optional(),
}).refine((r) => (r.endpointSelector === undefined) !== (r.nodeSelector === undefined), { error: 'give exactly one of endpointSelector and nodeSelector' });
export type CiliumRule = z.infer<typeof CiliumRuleSchema>;
/** Any Cilium rule section's rule, as the compiler reads it: every peer and port field, each optional. */
export type CiliumAnyRule = Partial<z.infer<typeof CiliumIngressRuleSchema> & z.infer<typeof CiliumEgressRuleSchema>>;

const ciliumPolicy = <K extends string>(kind: K, scope: 'namespaced' | 'cluster') =>
  z
    .strictObject({
      apiVersion: z.literal('cilium.io/v2'),
      kind: z.literal(kind),
      metadata:
        scope === 'namespaced'
          ? metadata
          : metadata.refine((m) => m.namespace === undefined, { error: `a ${kind} is cluster-scoped: remove metadata.namespace` }),
      spec: CiliumRuleSchema.optional(),
      specs: z.array(CiliumRuleSchema).min(1).optional(),
    })
    .refine((p) => (p.spec === undefined) !== (p.specs === undefined), { error: 'give exactly one of spec and specs' });

export const CiliumNetworkPolicySchema = ciliumPolicy('CiliumNetworkPolicy', 'namespaced');
export const CiliumClusterwideNetworkPolicySchema = ciliumPolicy('CiliumClusterwideNetworkPolicy', 'cluster');
export type CiliumPolicy = z.infer<typeof CiliumNetworkPolicySchema> | z.infer<typeof CiliumClusterwideNetworkPolicySchema>;

// Kubernetes ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, sigs.k8s.io/network-policy-api
// apis/v1alpha2/clusternetworkpolicy_types.go and its CRD, config/crd/standard/
// policy.networking.k8s.io_clusternetworkpolicies.yaml): tiers Admin and Baseline, priority 0-1000, Accept/Deny/Pass.
const exactlyOneKey = (what: string) => (o: Record<string, unknown>) => Object.values(o).filter((v) => v !== undefined).length === 1 || `a ${what} takes exactly one of its fields`;
// Cilium's own manifests leave namespaceSelector out; Cilium reads the missing selector as every namespace.
const NamespacedPodSchema = z.strictObject({ namespaceSelector: LabelSelectorSchema.optional(), podSelector: LabelSelectorSchema });
const CnpPortSchema = z.union([
  z.strictObject({ number: portNumber }),
  z.strictObject({ range: z.strictObject({ start: portNumber, end: portNumber }).refine((r) => r.start < r.end, { error: 'Start port must be less than End port' }) }),
], { error: 'a destinationPort is { number: N } or { range: { start: N, end: M } }' });
// A transport match needs its destinationPort (the CRD's minProperties: 1).
const CnpTransportSchema = z.strictObject({ destinationPort: CnpPortSchema });
const CnpProtocolSchema = z
  .strictObject({
    tcp: CnpTransportSchema.optional(),
    udp: CnpTransportSchema.optional(),
    sctp: CnpTransportSchema.optional(),
    destinationNamedPort: z.string().regex(PORT_NAME).max(15).optional(),
  })
  .refine((p) => exactlyOneKey('protocol')(p) === true, { error: 'a protocol takes exactly one of tcp, udp, sctp and destinationNamedPort' });
export type CnpProtocol = z.infer<typeof CnpProtocolSchema>;
const cnpPeer = <T extends z.ZodRawShape>(shape: T, names: string) =>
  z.strictObject(shape).refine((p) => exactlyOneKey('peer')(p) === true, { error: `a peer takes exactly one of ${names}` });
const CnpIngressPeerSchema = cnpPeer({ namespaces: LabelSelectorSchema.optional(), pods: NamespacedPodSchema.optional() }, 'namespaces and pods');
const CnpEgressPeerSchema = cnpPeer(
  {
    namespaces: LabelSelectorSchema.optional(),
    pods: NamespacedPodSchema.optional(),
    nodes: LabelSelectorSchema.optional(),
    networks: z.array(cidr).min(1).max(25).optional(),
    domainNames: z.array(z.string().regex(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+\.?$/, { error: 'must be a domain name, optionally after *.' })).min(1).max(25).optional(),
  },
  'namespaces, pods, nodes, networks and domainNames',
);
const cnpRuleFields = {
  name: z.string().max(100).optional(),
  action: z.enum(['Accept', 'Deny', 'Pass']),
  protocols: z.array(CnpProtocolSchema).min(1).max(25).optional(),
};
const CnpIngressRuleSchema = z.strictObject({ ...cnpRuleFields, from: z.array(CnpIngressPeerSchema).min(1).max(25) });
const CnpEgressRuleSchema = z.strictObject({ ...cnpRuleFields, to: z.array(CnpEgressPeerSchema).min(1).max(25) }).superRefine((r, ctx) => {
  // The CRD's CEL rules: domainNames only with Accept; no named ports towards networks, nodes or domain names.
  if (r.action !== 'Accept' && r.to.some((p) => p.domainNames)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'domainNames is only supported for Accept rules' });
  if (r.to.some((p) => p.networks || p.nodes || p.domainNames) && r.protocols?.some((p) => p.destinationNamedPort)) {
    ctx.addIssue({ code: 'custom', path: ['protocols'], message: 'networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames' });
  }
});
export type CnpIngressRule = z.infer<typeof CnpIngressRuleSchema>;
export type CnpEgressRule = z.infer<typeof CnpEgressRuleSchema>;

export const ClusterNetworkPolicySchema = z.strictObject({
  apiVersion: z.literal('policy.networking.k8s.io/v1alpha2'),
  kind: z.literal('ClusterNetworkPolicy'),
  metadata: metadata.refine((m) => m.namespace === undefined, { error: 'a ClusterNetworkPolicy is cluster-scoped: remove metadata.namespace' }),
  spec: z.strictObject({
    tier: z.enum(['Admin', 'Baseline']),
    priority: z.number().int().min(0).max(1000),
    subject: z
      .strictObject({ namespaces: LabelSelectorSchema.optional(), pods: NamespacedPodSchema.optional() })
      .refine((p) => exactlyOneKey('subject')(p) === true, { error: 'a subject takes exactly one of namespaces and pods' }),
    ingress: z.array(CnpIngressRuleSchema).max(25).optional(),
    egress: z.array(CnpEgressRuleSchema).max(25).optional(),
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
export const CNP_CHANNEL_ANNOTATION = 'policy.networking.k8s.io/channel';
const EXPERIMENTAL_PEERS = ['domainNames', 'nodes'] as const;

/** Where a ClusterNetworkPolicy uses a field of the experimental channel: each as a path within the object. */
export function experimentalChannelFields(policy: ClusterNetworkPolicy): (string | number)[][] {
  return (policy.spec.egress ?? []).flatMap((rule, i) => rule.to.flatMap((peer, j) => EXPERIMENTAL_PEERS.filter((f) => peer[f] !== undefined).map((f) => ['spec', 'egress', i, 'to', j, f])));
}

const ContainerPortSchema = z.looseObject({
  containerPort: portNumber,
  name: z.string().regex(PORT_NAME).max(15).optional(),
  protocol: protocol.optional(),
});

// What the image catalog reads of a container to tell what it listens on (src/model/images).
const EnvVarSchema = z.looseObject({ name: z.string().min(1), value: z.string().optional(), valueFrom: z.unknown().optional() });
const ContainerSchema = z.looseObject({
  name: z.string(),
  image: z.string().min(1),
  ports: z.array(ContainerPortSchema).optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(EnvVarSchema).optional(),
  volumeMounts: z.array(z.looseObject({ mountPath: z.string() })).optional(),
});

const PodSpecSchema = z.looseObject({
  containers: z.array(ContainerSchema).min(1),
  /** The pod's service account (`serviceAccount` is its deprecated alias); Cilium puts it in the identity. */
  serviceAccountName: name.optional(),
  serviceAccount: name.optional(),
});

const PodTemplateSchema = z.looseObject({ metadata: z.looseObject({ labels }), spec: PodSpecSchema });
const replicas = z.number().int().min(0).max(50).optional();

/**
 * The API server's checks of an apps/v1 workload's selector (kubernetes/kubernetes@2dd1588
 * pkg/apis/apps/validation/validation.go: ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateStatefulSetSpec,
 * ValidateDaemonSetSpec): it may not be empty, and it must select the template's labels, matchExpressions included.
 */
const selectsTemplate = (kind: string) => (w: { spec: { selector: LabelSelector; template: { metadata: { labels: Record<string, string> } } } }, ctx: z.RefinementCtx) => {
  const { selector, template } = w.spec;
  if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions?.length ?? 0) === 0) {
    ctx.addIssue({ code: 'custom', path: ['spec', 'selector'], message: `empty selector is invalid for ${kind.toLowerCase()}` });
  } else if (!compileSelector(selector)(lookupIn(template.metadata.labels))) {
    ctx.addIssue({ code: 'custom', path: ['spec', 'template', 'metadata', 'labels'], message: '`selector` does not match template `labels`' });
  }
};

/** A workload of replicas from one template: a Deployment, or the ReplicaSet it (or a tutorial) makes. */
const replicated = <K extends 'Deployment' | 'ReplicaSet'>(kind: K) =>
  z
    .looseObject({
      apiVersion: z.literal('apps/v1'),
      kind: z.literal(kind),
      metadata,
      spec: z.looseObject({ replicas, selector: KubeLabelSelectorSchema, template: PodTemplateSchema }),
    })
    .superRefine(selectsTemplate(kind));

export const DeploymentSchema = replicated('Deployment');
export type Deployment = z.infer<typeof DeploymentSchema>;

export const ReplicaSetSchema = replicated('ReplicaSet');

// A StatefulSet's name is a DNS label (ValidateStatefulSetName: NameIsDNSLabel), since its pods' host names are
// NAME-ORDINAL; serviceName names the headless Service that gives them DNS names (optional in apps/v1).
export const StatefulSetSchema = z
  .looseObject({
    apiVersion: z.literal('apps/v1'),
    kind: z.literal('StatefulSet'),
    metadata: metadata.refine((m) => m.name.length <= 63 && DNS_LABEL.test(m.name), { error: 'a StatefulSet name must be a DNS label (at most 63 characters, no dots)', path: ['name'] }),
    spec: z.looseObject({ replicas, serviceName: z.string().optional(), ordinals: z.looseObject({ start: z.number().int().min(0).optional() }).optional(), selector: KubeLabelSelectorSchema, template: PodTemplateSchema }),
  })
  .superRefine(selectsTemplate('StatefulSet'));
export type StatefulSet = z.infer<typeof StatefulSetSchema>;

export const DaemonSetSchema = z
  .looseObject({
    apiVersion: z.literal('apps/v1'),
    kind: z.literal('DaemonSet'),
    metadata,
    spec: z.looseObject({ selector: KubeLabelSelectorSchema, template: PodTemplateSchema }),
  })
  .superRefine(selectsTemplate('DaemonSet'));

/** A workload that runs pods from a template: what the model derives pods from, whatever its kind. */
export type Workload = z.infer<typeof ReplicaSetSchema> | Deployment | StatefulSet | z.infer<typeof DaemonSetSchema>;

/** A bare Pod (a tutorial's `kind: Pod`, or what `kubectl run` creates): only the fields the harness reads. */
export const PodSchema = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Pod'),
  metadata,
  spec: PodSpecSchema,
});
export type Pod = z.infer<typeof PodSchema>;

/** A named list of outside CIDRs that CiliumNetworkPolicies refer to (cilium.io/v2, or v2alpha1 before 1.18). */
export const CiliumCIDRGroupSchema = z.looseObject({
  apiVersion: z.enum(['cilium.io/v2', 'cilium.io/v2alpha1']),
  kind: z.literal('CiliumCIDRGroup'),
  metadata,
  spec: z.strictObject({ externalCIDRs: z.array(cidr) }),
});
export type CiliumCIDRGroup = z.infer<typeof CiliumCIDRGroupSchema>;

export const ServiceSchema = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata,
  spec: z.looseObject({
    // A NodePort or LoadBalancer Service has a cluster IP too, reached from pods as a ClusterIP one is; what comes in
    // through a node's port or a load balancer is not modelled. ExternalName has no endpoints to model at all.
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).optional(),
    selector: labels.optional(),
    ports: z
      .array(z.looseObject({ name: z.string().optional(), port: portNumber, targetPort: z.union([portNumber, z.string().regex(PORT_NAME)]).optional(), protocol: protocol.optional() }))
      .min(1),
  }),
});
export type Service = z.infer<typeof ServiceSchema>;

export const NamespaceSchema = z.looseObject({ apiVersion: z.literal('v1'), kind: z.literal('Namespace'), metadata });
/** A pod's service account must exist before the pod can be created; the model reads the name from the pod. */
export const ServiceAccountSchema = z.looseObject({ apiVersion: z.literal('v1'), kind: z.literal('ServiceAccount'), metadata });

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
