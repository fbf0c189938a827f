// cluster/versions.json, validated: the one list of pinned tools, node images and Cilium versions.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const REPO = path.resolve(import.meta.dirname, '../..');

const Versions = z
  .object({
    $comment: z.string().optional(),
    kind: z.string().regex(/^v\d+\.\d+\.\d+$/),
    helm: z.string().regex(/^v\d+\.\d+\.\d+$/),
    kubectl: z.string().regex(/^v\d+\.\d+\.\d+$/),
    kubernetes: z.record(z.string().regex(/^v\d+\.\d+$/), z.string().regex(/^kindest\/node:v[\d.]+@sha256:[0-9a-f]{64}$/)),
    defaultKubernetes: z.string(),
    cilium: z.record(z.string().regex(/^\d+\.\d+$/), z.string().regex(/^\d+\.\d+\.\d+$/)),
    defaultCilium: z.string(),
    e2eMatrix: z.array(z.strictObject({ cilium: z.string(), kubernetes: z.string() })).min(3),
    /** sigs.k8s.io/network-policy-api: the ClusterNetworkPolicy CRD that Cilium 1.20+ enforces (the release its go.mod names). */
    networkPolicyApi: z.string().regex(/^v\d+\.\d+\.\d+$/),
    worldServerImage: z.string(),
    monitoring: z.strictObject({ prometheus: z.string(), grafana: z.string() }),
  })
  .strict()
  .superRefine((v, ctx) => {
    const known = (what: 'cilium' | 'kubernetes', key: string, at: (string | number)[]) => {
      if (!(key in v[what])) ctx.addIssue({ code: 'custom', path: at, message: `${what} "${key}" is not listed in "${what}"` });
    };
    known('cilium', v.defaultCilium, ['defaultCilium']);
    known('kubernetes', v.defaultKubernetes, ['defaultKubernetes']);
    v.e2eMatrix.forEach((m, i) => {
      known('cilium', m.cilium, ['e2eMatrix', i, 'cilium']);
      known('kubernetes', m.kubernetes, ['e2eMatrix', i, 'kubernetes']);
    });
    for (const what of ['cilium', 'kubernetes'] as const) {
      const minors = new Set(v.e2eMatrix.map((m) => m[what]));
      if (minors.size < 3) ctx.addIssue({ code: 'custom', path: ['e2eMatrix'], message: `the e2e matrix must cover at least three ${what === 'cilium' ? 'Cilium' : 'Kubernetes'} minor versions` });
    }
    for (const [minor, full] of Object.entries(v.cilium)) {
      if (!full.startsWith(`${minor}.`)) ctx.addIssue({ code: 'custom', path: ['cilium', minor], message: `${full} is not a ${minor} release` });
    }
  });

export type Versions = z.infer<typeof Versions>;

export function readVersions(file = path.join(REPO, 'cluster/versions.json')): Versions {
  return Versions.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** The ClusterNetworkPolicy CRD of the pinned network-policy-api release (its standard channel). */
export function clusterNetworkPolicyCrd(v: Versions): string {
  return `https://raw.githubusercontent.com/kubernetes-sigs/network-policy-api/${v.networkPolicyApi}/config/crd/standard/policy.networking.k8s.io_clusternetworkpolicies.yaml`;
}

/** Cilium enforces ClusterNetworkPolicy from 1.20 (pkg/k8s/cluster_network_policy.go), behind an agent option. */
export function ciliumHasClusterNetworkPolicy(minor: string): boolean {
  const [major, min] = minor.split('.').map(Number);
  return major! > 1 || (major === 1 && min! >= 20);
}
