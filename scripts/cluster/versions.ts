// cluster/versions.json, validated: the one list of pinned tools, node images, images and Cilium versions.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const REPO = path.resolve(import.meta.dirname, '../..');

const MINOR = /^v\d+\.\d+$/;
const RELEASE = /^v\d+\.\d+\.\d+$/;
/** registry/repository:tag, with the digest where one is pinned: the registry is always named, so nothing defaults to Docker Hub. */
const PULL = /^(?<registry>[a-z0-9.-]+\.[a-z]+)\/(?<repository>[a-z0-9._/-]+):(?<tag>[\w][\w.-]*)(?:@sha256:[0-9a-f]{64})?$/;
/**
 * The name the manifests use, without a digest: an image loaded by digest cannot be referred to by that digest on the
 * nodes, so it is tagged under this name before `kind load` (kind issue #2394; kubernetes-sigs/kueue
 * hack/e2e-common.sh prepare_docker_images does the same).
 */
const AS = /^(?:[a-z0-9.-]+\.[a-z]+\/)?[a-z0-9._/-]+:[\w][\w.-]*$/;

const Image = z.strictObject({
  $comment: z.string().optional(),
  pull: z.string().regex(PULL, 'registry/repository:tag[@sha256:<64 hex>]'),
  as: z.string().regex(AS, 'repository:tag, no digest').optional(),
});

const Versions = z
  .object({
    $comment: z.string().optional(),
    kind: z.string().regex(RELEASE),
    helm: z.string().regex(RELEASE),
    /** A kubectl per Kubernetes minor: the cluster's own (the skew policy allows one minor either way). */
    kubectl: z.record(z.string().regex(MINOR), z.string().regex(RELEASE)),
    kubernetes: z.record(z.string().regex(MINOR), z.string().regex(/^kindest\/node:v[\d.]+@sha256:[0-9a-f]{64}$/)),
    defaultKubernetes: z.string(),
    cilium: z.record(z.string().regex(/^\d+\.\d+$/), z.string().regex(/^\d+\.\d+\.\d+$/)),
    defaultCilium: z.string(),
    e2eMatrix: z.array(z.strictObject({ cilium: z.string(), kubernetes: z.string() })).min(3),
    /** sigs.k8s.io/network-policy-api: the ClusterNetworkPolicy CRD that Cilium 1.20+ enforces (the release its go.mod names). */
    networkPolicyApi: z.string().regex(RELEASE),
    /**
     * Pulled once per bring-up from the registry upstream publishes to; those with `as` are tagged so and loaded into
     * the kind nodes (the apps' images), `worldServer` runs beside the cluster.
     */
    images: z.object({ $comment: z.string().optional(), worldServer: Image }).catchall(Image),
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
    for (const [minor, image] of Object.entries(v.kubernetes)) {
      if (!image.startsWith(`kindest/node:${minor}.`)) ctx.addIssue({ code: 'custom', path: ['kubernetes', minor], message: `${image} is not a ${minor} node image` });
      const kubectl = v.kubectl[minor];
      if (!kubectl) ctx.addIssue({ code: 'custom', path: ['kubectl'], message: `no kubectl for Kubernetes ${minor} (each cluster gets a kubectl of its own minor)` });
      else if (!kubectl.startsWith(`${minor}.`)) ctx.addIssue({ code: 'custom', path: ['kubectl', minor], message: `${kubectl} is not a ${minor} release` });
    }
    for (const [name, image] of Object.entries(v.images)) {
      if (typeof image === 'string' || !image.as) continue;
      // Loaded under the manifests' name: the same tag, or the nodes would run another version than the one pulled.
      if (tagOf(image.as) !== PULL.exec(image.pull)?.groups?.tag) ctx.addIssue({ code: 'custom', path: ['images', name], message: `pulls ${image.pull} but loads it as ${image.as}: the tags differ` });
    }
  });

export type Versions = z.infer<typeof Versions>;
export type PinnedImage = z.infer<typeof Image>;

const tagOf = (reference: string) => reference.slice(reference.lastIndexOf(':') + 1);

export function readVersions(file = path.join(REPO, 'cluster/versions.json')): Versions {
  return Versions.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** The images loaded into the kind nodes, each pulled as pinned and known there by the name the manifests use. */
export function loadedImages(v: Versions): { pull: string; as: string }[] {
  return Object.entries(v.images).flatMap(([name, image]) => (name !== '$comment' && typeof image !== 'string' && image.as ? [{ pull: image.pull, as: image.as }] : []));
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
