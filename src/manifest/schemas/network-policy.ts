// Kubernetes NetworkPolicy (networking.k8s.io/v1), checked strictly: a typo in a policy is the bug a tutorial must
// not ship.
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { metadata } from './core.ts';
import { KubeLabelSelectorSchema } from './label-selector.ts';
import { cidr, PORT_NAME, portNumber, protocol } from './net.ts';

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
