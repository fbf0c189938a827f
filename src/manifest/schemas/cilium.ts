// Cilium's policies (cilium.io/v2): CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy and the CiliumCIDRGroups
// they refer to. Checked strictly, as Cilium's validation does; valid fields the model cannot simulate are accepted
// and named in the compiled policy (`unmodelled`), so that no prediction silently drops a rule: the flows they could
// change are reported as not predicted.
import { RE2JS } from 're2js';
import { z } from 'zod';
import { icmpTypeNumber } from '../icmp.ts';
import { metadata, name } from './core.ts';
import { LabelSelectorSchema } from './label-selector.ts';
import { cidr, PORT_NAME, portNumber } from './net.ts';

/** A valid field the model does not simulate: its shape is Cilium's to check; the model only names it. */
const unmodelled = z.unknown().optional();

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

const exactlyOneMatcher = (m: { matchName?: string | undefined; matchPattern?: string | undefined }) => (m.matchName === undefined) !== (m.matchPattern === undefined);
const FqdnMatcherSchema = z
  .strictObject({
    // Cilium's CRD: at most 255 characters each (pkg/policy/api/fqdn.go, MaxLength).
    matchName: z
      .string()
      .max(255)
      .regex(/^[-\w]+(\.[-\w]+)*\.?$/, { error: 'must be a DNS name' })
      .optional(),
    matchPattern: z
      .string()
      .max(255)
      .regex(/^[-\w*]+(\.[-\w*]+)*\.?$/, { error: 'may hold only DNS name characters and *, in labels between single dots' })
      .optional(),
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
    serverNames: z
      .array(
        z
          .string()
          .max(255)
          .regex(/^[-\w*]+(\.[-\w*]+)*\.?$/, { error: 'must be a DNS name, with * as a wildcard' }),
      )
      .optional(),
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
const CidrRuleSchema = z.strictObject({ cidr: cidr.optional(), cidrGroupRef: name.optional(), cidrGroupSelector: LabelSelectorSchema.optional(), except: z.array(cidr).optional() }).superRefine((r, ctx) => {
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
const CiliumEgressRuleSchema = z.strictObject({ ...egressPeers, toFQDNs: z.array(FqdnMatcherSchema).optional(), toPorts: z.array(CiliumPortRuleSchema).optional() }).superRefine(oneL3Kind(EGRESS_L3));
const CiliumEgressDenyRuleSchema = z
  .strictObject({ ...egressPeers, toFQDNs: z.never({ error: 'Cilium does not allow toFQDNs in egressDeny' }).optional(), toPorts: z.array(CiliumDenyPortRuleSchema).optional() })
  .superRefine(oneL3Kind(EGRESS_L3));

const CiliumRuleSchema = z
  .strictObject({
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
  })
  .refine((r) => (r.endpointSelector === undefined) !== (r.nodeSelector === undefined), { error: 'give exactly one of endpointSelector and nodeSelector' });
export type CiliumRule = z.infer<typeof CiliumRuleSchema>;
/** Any Cilium rule section's rule, as the compiler reads it: every peer and port field, each optional. */
export type CiliumAnyRule = Partial<z.infer<typeof CiliumIngressRuleSchema> & z.infer<typeof CiliumEgressRuleSchema>>;

const ciliumPolicy = <K extends string>(kind: K, scope: 'namespaced' | 'cluster') =>
  z
    .strictObject({
      apiVersion: z.literal('cilium.io/v2'),
      kind: z.literal(kind),
      metadata: scope === 'namespaced' ? metadata : metadata.refine((m) => m.namespace === undefined, { error: `a ${kind} is cluster-scoped: remove metadata.namespace` }),
      spec: CiliumRuleSchema.optional(),
      specs: z.array(CiliumRuleSchema).min(1).optional(),
    })
    .refine((p) => (p.spec === undefined) !== (p.specs === undefined), { error: 'give exactly one of spec and specs' });

export const CiliumNetworkPolicySchema = ciliumPolicy('CiliumNetworkPolicy', 'namespaced');
export const CiliumClusterwideNetworkPolicySchema = ciliumPolicy('CiliumClusterwideNetworkPolicy', 'cluster');
export type CiliumPolicy = z.infer<typeof CiliumNetworkPolicySchema> | z.infer<typeof CiliumClusterwideNetworkPolicySchema>;

/** A named list of outside CIDRs that CiliumNetworkPolicies refer to (cilium.io/v2, or v2alpha1 before 1.18). */
export const CiliumCIDRGroupSchema = z.looseObject({
  apiVersion: z.enum(['cilium.io/v2', 'cilium.io/v2alpha1']),
  kind: z.literal('CiliumCIDRGroup'),
  metadata,
  spec: z.strictObject({ externalCIDRs: z.array(cidr) }),
});
export type CiliumCIDRGroup = z.infer<typeof CiliumCIDRGroupSchema>;
