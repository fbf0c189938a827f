// Manifests a tutorial shows or points at: YAML read leniently (one bad document is a finding, the rest still count),
// and `-f PATH` resolved against the tutorial's tree, the docs config, and the manifests the text showed before it.
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { InputError } from '../../input/input-error.ts';
import { readTextFile } from '../../input/read-text.ts';
import { parseYamlDocs, type SourcedDoc } from '../../input/yaml-source.ts';
import type { KubeObject } from '../../manifest/objects.ts';
import { MANIFEST_SCHEMAS } from '../../manifest/schemas/by-kind.ts';
import { POLICY_KINDS } from '../../manifest/kinds.ts';
import { manifestOf } from '../../suite/load.ts';
import type { DocsConfig } from '../config.ts';
import type { Finding } from '../read/blocks.ts';
import type { Tutorial } from '../read/tutorial.ts';

export interface ReadManifests {
  objects: KubeObject[];
  /** Objects of kinds the harness does not simulate: applying them changes what later claims can say. */
  unmodelled: Unmodelled[];
  /** A policy among them could not be read: applying the rest would leave the cluster in an unknown state. */
  policyFailed: boolean;
}

/** An object the model does not simulate, and what applying it can change. */
export interface Unmodelled {
  kind: string;
  apiVersion: string;
  name?: string;
  namespace?: string;
  file: string;
  line: number;
  /**
   * inert: cannot change traffic (configuration, RBAC, storage); policy: a policy of another engine (Calico,
   * Istio, AdminNetworkPolicy) that selects pods of its namespace, or of every namespace when `cluster`;
   * pods: Kubernetes' own workloads the model lacks (a StatefulSet, a DaemonSet, a Job): the traffic of pods of their
   * namespace is not known; unknown: anything else (operators' resources), whose effect is not known.
   */
  effect: 'inert' | 'policy' | 'pods' | 'unknown';
  cluster?: boolean;
  /** A workload's pod template labels: only traffic of pods carrying them is unknown. */
  podLabels?: Record<string, string>;
}

// API groups whose kinds the harness reads (the core group is ''); a kind of the same name in another group
// (Calico's projectcalico.org/v3 NetworkPolicy) is another object.
const MODELLED_GROUPS = new Set(['', 'apps', 'networking.k8s.io', 'cilium.io', 'policy.networking.k8s.io']);
// Kinds of Kubernetes' own groups that hold configuration, credentials, access rules or storage: no traffic changes.
const INERT_KINDS = new Set([
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'LimitRange',
  'ResourceQuota',
  'PriorityClass',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
]);
// Policy kinds whose rules select pods in every namespace (Calico's Global*, the AdminNetworkPolicy API, Cilium's
// clusterwide ones, Calico's tiers that order them).
const CLUSTER_POLICY = /^(Global\w*(Policy|Set)|(Baseline)?AdminNetworkPolicy|\w*Clusterwide\w*Policy|Tier)$/;
const POLICY_LIKE = /(Policy|NetworkSet)$/;
// Workloads of Kubernetes' own groups whose pods the model does not derive: they run in their own namespace only.
const WORKLOAD_KINDS = new Set(['StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);

function unmodelled(kind: string, apiVersion: string, value: { metadata?: unknown; spec?: unknown }, file: string, line: number): Unmodelled {
  const m = (typeof value.metadata === 'object' && value.metadata !== null ? value.metadata : {}) as { name?: unknown; namespace?: unknown };
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const builtIn = group === '' || !group.includes('.') || group.endsWith('.k8s.io');
  const effect = builtIn && INERT_KINDS.has(kind) ? 'inert' : builtIn && WORKLOAD_KINDS.has(kind) ? 'pods' : POLICY_LIKE.test(kind) || CLUSTER_POLICY.test(kind) ? 'policy' : 'unknown';
  return {
    kind,
    apiVersion,
    ...(typeof m.name === 'string' && { name: m.name }),
    ...(typeof m.namespace === 'string' && { namespace: m.namespace }),
    file,
    line,
    effect,
    ...(effect === 'policy' && CLUSTER_POLICY.test(kind) && { cluster: true }),
    ...(effect === 'pods' && templateLabels(kind, value.spec)),
  };
}

/** The labels a workload gives its pods (a CronJob's through its job template), when they are plain strings. */
function templateLabels(kind: string, spec: unknown): { podLabels: Record<string, string> } | undefined {
  type Template = { template?: { metadata?: { labels?: unknown } } };
  const s = spec as (Template & { jobTemplate?: { spec?: Template } }) | undefined;
  const labels = (kind === 'CronJob' ? s?.jobTemplate?.spec : s)?.template?.metadata?.labels;
  if (typeof labels !== 'object' || labels === null || Object.values(labels).some((v) => typeof v !== 'string')) return undefined;
  return Object.keys(labels).length ? { podLabels: labels as Record<string, string> } : undefined;
}

/**
 * Manifests in YAML text that starts at `firstLine` of `file`. Documents without kind and apiVersion are fragments
 * (a tutorial explaining a policy piece by piece) and are skipped. YAML that does not parse is an error of the text
 * where it is applied; a block only shown (`shown`) may be a sketch, and gets a warning.
 */
export function readManifests(text: string, file: string, firstLine: number, findings: Finding[], shown = false): ReadManifests {
  const out: ReadManifests = { objects: [], unmodelled: [], policyFailed: false };
  let docs: SourcedDoc[];
  try {
    docs = parseYamlDocs(text, file, firstLine);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    findings.push({ file, line: e.line, severity: shown ? 'warning' : 'error', rule: 'bad-yaml', message: shown ? `${e.detail} (a block shown, not applied here)` : e.detail });
    out.policyFailed = [...POLICY_KINDS].some((kind) => new RegExp(`kind:\\s*${kind}\\b`).test(text));
    return out;
  }
  return readDocs(docs, findings);
}

/** Manifests among parsed documents (a file's, or those a kustomization built): the same reading as readManifests'. */
export function readDocs(docs: readonly SourcedDoc[], findings: Finding[]): ReadManifests {
  const out: ReadManifests = { objects: [], unmodelled: [], policyFailed: false };
  for (const doc of docs) {
    const value = doc.value as { kind?: unknown; apiVersion?: unknown; metadata?: unknown } | null;
    if (typeof value !== 'object' || value === null || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') continue;
    const group = value.apiVersion.includes('/') ? value.apiVersion.slice(0, value.apiVersion.indexOf('/')) : '';
    if (!(value.kind in MANIFEST_SCHEMAS) || !MODELLED_GROUPS.has(group)) {
      out.unmodelled.push(unmodelled(value.kind, value.apiVersion, value as { metadata?: unknown; spec?: unknown }, doc.file, doc.lineOf(['kind'])));
      continue;
    }
    // The head of a manifest shown on its own (kind, apiVersion, metadata) explains it; it is not one. A
    // CiliumNetworkPolicy may hold its rules as `specs` (cilium/cilium pkg/k8s/apis/cilium.io/v2/cnp_types.go).
    if (value.kind !== 'Namespace' && !('spec' in value) && !('specs' in value)) continue;
    try {
      out.objects.push(manifestOf(doc));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      findings.push({ file: doc.file, line: e.line, severity: 'error', rule: 'bad-manifest', message: `${value.kind}: ${e.field ? `${e.field}: ` : ''}${e.detail}` });
      if (POLICY_KINDS.has(value.kind)) out.policyFailed = true;
    }
  }
  return out;
}

/** Manifests the text showed (inline YAML, `readfile`), and the file names the prose around them gives them. */
export interface ShownManifest {
  file: string;
  line: number;
  objects: KubeObject[];
  unmodelled: Unmodelled[];
  names: Set<string>;
}

export interface Resolved {
  objects: KubeObject[];
  /** Where they were read: a local file, or the place in the text that showed them. */
  from: string;
  local?: string;
  shown?: ShownManifest;
}

export class ManifestResolver {
  readonly shown: ShownManifest[] = [];

  constructor(
    private readonly tutorial: Tutorial,
    private readonly config: DocsConfig,
  ) {}

  /** A path the text writes (`readfile`, `kubectl -f`), as a local file: the tree first, then the docs config. */
  localFile(written: string, chapterFile: string, from: 'chapter' | 'site' | 'examples' = 'chapter'): string | undefined {
    const site = this.tutorial.siteRoot;
    // codenew's files live in content/<lang>/examples, the chapter's language first.
    const lang = /(?:^|[/\\])content[/\\]([^/\\]+)[/\\]/.exec(path.relative(site, chapterFile))?.[1];
    const examples = [...new Set([lang, 'en'].filter((l): l is string => l !== undefined))].map((l) => path.join(site, 'content', l, 'examples'));
    const roots = from === 'examples' ? [...examples, site] : from === 'site' ? [site, path.dirname(chapterFile), this.tutorial.root] : [path.dirname(chapterFile), this.tutorial.root, site];
    // The Kubernetes website's example URLs (https://k8s.io/examples/X) are its examples folder's X.
    const example = /^https?:\/\/(?:k8s\.io|kubernetes\.io)\/examples\/(.+)$/.exec(written)?.[1];
    if (example && from !== 'examples') return this.localFile(example, chapterFile, 'examples');
    // A path written from the site root (`/content/en/...`, Hugo's usual form) starts at the roots, not at /.
    const relative = written.replace(/^\/+/, '');
    if (relative === '' || relative === '.') return undefined;
    // A folder too: kubectl reads the manifests in it (readLocal).
    const local = roots.map((r) => path.resolve(r, relative)).find((f) => existsSync(f) && (statSync(f).isFile() || statSync(f).isDirectory()));
    if (local) return local;
    const mapped = this.config.files.get(written) ?? [...this.config.files].find(([k]) => path.basename(k) === path.basename(written))?.[1];
    return mapped && existsSync(mapped) ? mapped : undefined;
  }

  /** A file's manifests, or a folder's as kubectl reads it: its .json, .yaml and .yml files, subfolders with -R. */
  async readLocal(file: string, findings: Finding[], recursive = false): Promise<ReadManifests> {
    const files = statSync(file).isDirectory() ? await manifestFiles(file, recursive) : [file];
    return readAll(await Promise.all(files.map(async (f) => ({ text: await readTextFile(f), file: path.relative(process.cwd(), f) }))), findings);
  }

  /** The manifest the text showed for `written`: named by the prose or include around it, else by policy name. */
  shownFor(written: string): ShownManifest | undefined {
    const base = path.basename(written);
    const stem = base.replace(/\.(ya?ml|json)$/, '').replace(/^\d+-/, '');
    const recent = [...this.shown].reverse();
    return recent.find((s) => s.names.has(base)) ?? recent.find((s) => [...s.objects.map((o) => o.metadata.name), ...s.unmodelled.map((u) => u.name)].includes(stem));
  }
}

/** Manifests of several texts (the files of a folder, several `-f`), as one. */
export function readAll(texts: { text: string; file: string }[], findings: Finding[]): ReadManifests {
  const out: ReadManifests = { objects: [], unmodelled: [], policyFailed: false };
  for (const t of texts) {
    const read = readManifests(t.text, t.file, 1, findings);
    out.objects.push(...read.objects);
    out.unmodelled.push(...read.unmodelled);
    out.policyFailed ||= read.policyFailed;
  }
  return out;
}

/**
 * The files kubectl reads from a folder given to -f: those ending in .json, .yaml or .yml, in lexical order, and in
 * subfolders only with -R (kubernetes/cli-runtime@5eb6a64 pkg/resource/visitor.go, ExpandPathsToFileVisitors:
 * filepath.Walk, SkipDir unless recursive, ignoreFile against FileExtensions from builder.go).
 */
async function manifestFiles(dir: string, recursive: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...(await manifestFiles(full, true)));
    } else if (['.json', '.yaml', '.yml'].includes(path.extname(entry.name))) out.push(full);
  }
  return out;
}

/** Two manifests say the same when their objects are equal, whatever the key order or YAML style. */
export function sameObjects(a: readonly KubeObject[], b: readonly KubeObject[]): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

/**
 * How the manifest a text showed differs from the file applied, or undefined when it says the same. A text may show
 * a file's objects one at a time ("both policies are declared in the file"): a shown part the file holds as shown
 * is no difference.
 */
export function shownDifference(shown: readonly KubeObject[], file: readonly KubeObject[]): string | undefined {
  if (sameObjects(shown, file)) return undefined;
  const key = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const inFile = new Map(file.map((o) => [key(o), o]));
  const pairs = shown.map((s) => [s, inFile.get(key(s))] as const);
  if (pairs.every(([, f]) => f !== undefined)) {
    const differing = pairs.find(([s, f]) => !sameObjects([s], [f!]));
    return differing && firstDifference([differing[0]], [differing[1]!]);
  }
  return firstDifference(shown, file);
}

/** The first field where two manifests differ, as a path with both values (`spec.ingress[0].from[0]...: a ≠ b`). */
export function firstDifference(a: readonly KubeObject[], b: readonly KubeObject[]): string {
  const differenceIn = (x: unknown, y: unknown, at: string): string | undefined => {
    if (isDeepStrictEqual(x, y)) return undefined;
    if (x && y && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
      for (const k of keys) {
        const found = differenceIn((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], Array.isArray(x) ? `${at}[${k}]` : at ? `${at}.${k}` : k);
        if (found) return found;
      }
    }
    const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));
    return `${at || '(the documents)'}: ${show(x)} in the text, ${show(y)} in the file`;
  };
  const plain = (o: readonly KubeObject[]) => JSON.parse(JSON.stringify(o)) as unknown;
  if (a.length !== b.length) return `the text shows ${a.length} object(s), the file holds ${b.length}`;
  const i = a.findIndex((o, k) => !isDeepStrictEqual(plain([o]), plain([b[k]!])));
  return `${a[i]!.kind} ${a[i]!.metadata.name}: ${differenceIn(plain([a[i]!]), plain([b[i]!]), '')!.replace(/^\[0\]\.?/, '')}`;
}
