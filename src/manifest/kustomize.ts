// `kubectl apply -k DIR`, `kubectl kustomize DIR`: the part of kustomize that is a pure function of local files
// (resources, namespace, namePrefix/nameSuffix, labels/commonLabels, commonAnnotations, images). Anything else a
// kustomization may say (patches, generators, replacements, components, helm charts, remote bases...) is a problem
// naming the field: what kubectl would apply is then unknown, never guessed. It sits below suite/ and docs/ and reads
// documents, not the harness's schemas, so that both the docs reader and the suite loader can build a kustomization.
//
// Kustomize as of kubernetes-sigs/kustomize@12f9e63: api/internal/target/kusttarget.go (accumulateTarget: the
// resources, each base built whole first, then the builtin transformers in configureBuiltinTransformers' order:
// namespace, prefix, suffix, labels, annotations, images) and api/internal/konfig/builtinpluginconsts/*.go (the
// fields each transformer writes).
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { RE2JS } from 're2js';
import { InputError } from '../input/input-error.ts';
import { readTextFile } from '../input/read-text.ts';
import { parseYamlDocs, type SourcedDoc } from '../input/yaml-source.ts';
import { isNamespaced } from './objects.ts';

/** The names kustomize looks for in a folder (api/konfig/general.go, RecognizedKustomizationFileNames). */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** The kustomization file of a folder, if it has one. */
export function kustomizationIn(dir: string): string | undefined {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  return KUSTOMIZATION_FILES.map((f) => path.join(dir, f)).find((f) => existsSync(f) && statSync(f).isFile());
}

/** The documents a kustomization builds (each still citing the lines it came from), or why they are unknown. */
export type Kustomized = { docs: SourcedDoc[] } | { problem: string; file: string; line: number };

export async function kustomize(dir: string): Promise<Kustomized> {
  try {
    const built = await build(path.resolve(dir), []);
    // kustomize's default (legacy) order: Namespaces first, then the kinds of kyaml/resid/gvk.go's orderFirst.
    const order = (r: Resource) => {
      const i = ORDER_FIRST.indexOf(kindOf(r.value));
      return i < 0 ? (ORDER_LAST.includes(kindOf(r.value)) ? 1 : 0) : i - ORDER_FIRST.length;
    };
    return {
      docs: built
        .map((r, i) => [r, i] as const)
        .sort(([a, i], [b, j]) => order(a) - order(b) || i - j)
        .map(([r]) => ({ file: r.doc.file, value: r.value, lineOf: r.doc.lineOf })),
    };
  } catch (e) {
    if (e instanceof KustomizeProblem || e instanceof InputError) return { problem: e instanceof InputError ? e.detail : e.message, file: e.file, line: e.line ?? 1 };
    throw e;
  }
}

class KustomizeProblem extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** A document read from a resource file, its value copied so that the transformers may change it. */
interface Resource {
  doc: SourcedDoc;
  value: Obj;
}
type Obj = Record<string, unknown>;

// Fields of a Kustomization this subset follows; `bases` is read as resources (api/types/kustomization.go,
// FixKustomization appends Bases to Resources), `imageTags` as images (the same function).
const FOLLOWED = new Set(['apiVersion', 'kind', 'metadata', 'resources', 'bases', 'namespace', 'namePrefix', 'nameSuffix', 'labels', 'commonLabels', 'commonAnnotations', 'images', 'imageTags']);
const LABEL_FIELDS = new Set(['pairs', 'includeSelectors', 'includeTemplates', 'includeVolumeClaimTemplates']);
const IMAGE_FIELDS = new Set(['name', 'newName', 'newTag', 'digest']);

async function build(dir: string, stack: string[]): Promise<Resource[]> {
  const file = kustomizationIn(dir);
  const rel = path.relative(process.cwd(), file ?? dir);
  if (!file) throw new KustomizeProblem(`${rel} has no ${KUSTOMIZATION_FILES.join(', ')}`, rel, 1);
  // kusttarget.go, loadKustFile: "Found multiple kustomization files".
  const found = KUSTOMIZATION_FILES.filter((f) => existsSync(path.join(dir, f)));
  if (found.length > 1) throw new KustomizeProblem(`${path.relative(process.cwd(), dir)} has several kustomization files (${found.join(', ')}), which kustomize refuses`, rel, 1);
  if (stack.includes(dir)) throw new KustomizeProblem(`${rel} includes itself through ${stack.map((d) => path.relative(process.cwd(), d)).join(' -> ')}`, rel, 1);
  const docs = parseYamlDocs(await readTextFile(file), rel);
  if (docs.length !== 1 || !isObj(docs[0]!.value)) throw new KustomizeProblem('a kustomization is one YAML mapping', rel, 1);
  const doc = docs[0]!;
  const k = doc.value as Obj;
  const at = (...p: PropertyKey[]) => doc.lineOf(p);
  const refuse = (field: string, why: string): never => {
    throw new KustomizeProblem(`${field}: ${why}`, rel, at(field));
  };
  for (const field of Object.keys(k)) if (!FOLLOWED.has(field)) refuse(field, `kustomize's ${field} is not followed by the harness`);
  if (k.kind !== undefined && k.kind !== 'Kustomization') refuse('kind', `a ${String(k.kind)} is not followed by the harness`);

  const resources: Resource[] = [];
  for (const field of ['resources', 'bases'] as const) {
    for (const [i, entry] of strings(k[field], field, refuse).entries()) {
      // A remote base (a URL, a git repository) is not local text: what it holds is not known here.
      if (/^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\/|\?ref=/i.test(entry)) throw new KustomizeProblem(`${field}: ${entry} is a remote base, which the harness does not fetch`, rel, at(field, i));
      const target = path.resolve(dir, entry);
      if (!existsSync(target)) throw new KustomizeProblem(`${field}: ${entry}: no such file or folder beside ${rel}`, rel, at(field, i));
      if (statSync(target).isDirectory()) resources.push(...(await build(target, [...stack, dir])));
      else {
        const fileRel = path.relative(process.cwd(), target);
        for (const d of parseYamlDocs(await readTextFile(target), fileRel)) if (isObj(d.value)) resources.push({ doc: d, value: structuredClone(d.value) });
      }
    }
  }

  // The resource map refuses a second object of the same kind, namespace and name (accumulator's AppendAll:
  // "may not add resource with an already registered id").
  const ids = new Set<string>();
  for (const r of resources) {
    const metadata = isObj(r.value.metadata) ? r.value.metadata : {};
    const id = `${String(r.value.apiVersion)} ${kindOf(r.value)} ${String(metadata.namespace ?? '')}/${String(metadata.name ?? '')}`;
    if (ids.has(id)) throw new KustomizeProblem(`${id} is there twice (again at ${r.doc.file}:${r.doc.lineOf(['kind'])}), which kustomize refuses`, rel, at('resources'));
    ids.add(id);
  }
  const namespace = scalar(k.namespace, 'namespace', refuse);
  if (namespace) for (const r of resources) setNamespace(r.value, namespace);
  const prefix = scalar(k.namePrefix, 'namePrefix', refuse);
  const suffix = scalar(k.nameSuffix, 'nameSuffix', refuse);
  if (prefix || suffix) rename(resources, prefix ?? '', suffix ?? '');
  for (const [i, label] of list(k.labels, 'labels', refuse).entries()) {
    if (!isObj(label)) refuse('labels', 'each entry is a mapping');
    const entry = label as Obj;
    for (const f of Object.keys(entry)) if (!LABEL_FIELDS.has(f)) throw new KustomizeProblem(`labels[${i}].${f}: not followed by the harness`, rel, at('labels', i, f));
    const specs = entry.includeSelectors === true ? COMMON_LABELS : [...(entry.includeTemplates === true ? TEMPLATE_LABELS : []), ...(entry.includeVolumeClaimTemplates === true ? VOLUME_CLAIM_LABELS : []), METADATA_LABELS[0]!];
    addToMaps(resources, stringMap(entry.pairs ?? {}, 'labels', refuse), specs);
  }
  if (k.commonLabels !== undefined) addToMaps(resources, stringMap(k.commonLabels, 'commonLabels', refuse), COMMON_LABELS);
  if (k.commonAnnotations !== undefined) addToMaps(resources, stringMap(k.commonAnnotations, 'commonAnnotations', refuse), COMMON_ANNOTATIONS);
  for (const field of ['images', 'imageTags'] as const) {
    for (const [i, image] of list(k[field], field, refuse).entries()) {
      if (!isObj(image) || typeof image.name !== 'string') throw new KustomizeProblem(`${field}[${i}]: an image needs a name`, rel, at(field, i));
      for (const f of Object.keys(image)) if (!IMAGE_FIELDS.has(f)) throw new KustomizeProblem(`${field}[${i}].${f}: not followed by the harness`, rel, at(field, i, f));
      const rule: ImageRule = { name: image.name };
      for (const f of ['newName', 'newTag', 'digest'] as const) {
        if (image[f] === undefined) continue;
        // A tag written as a number (newTag: 1.20) has lost its text in YAML: not guessed.
        if (typeof image[f] !== 'string') throw new KustomizeProblem(`${field}[${i}].${f}: not a string`, rel, at(field, i, f));
        rule[f] = image[f];
      }
      for (const r of resources) if (kindOf(r.value) !== 'CustomResourceDefinition') setImages(r.value, rule);
    }
  }
  return resources;
}

/**
 * `namespace:` (api/filters/namespace/namespace.go): metadata.namespace set, over any written, on namespaced objects
 * (metaNamespaceHack); a v1 Namespace's own name becomes it (namespaceFieldSpecs' metadata/name for kind Namespace).
 * Role binding subjects named default are moved too (roleBindingHack), which the harness does not read.
 */
function setNamespace(o: Obj, namespace: string) {
  const metadata = objAt(o, 'metadata');
  if (kindOf(o) === 'Namespace' && o.apiVersion === 'v1') metadata.name = namespace;
  else if (isNamespaced(kindOf(o))) metadata.namespace = namespace;
}

/**
 * namePrefix/nameSuffix (plugin/builtin/prefixtransformer: every object but CustomResourceDefinitions, APIServices
 * and Namespaces). Of the references kustomize then rewrites (namereference.go), the harness reads one: a
 * StatefulSet's spec.serviceName naming a Service renamed with it. Selectors are labels, not names: unchanged.
 */
function rename(resources: Resource[], prefix: string, suffix: string) {
  const services = new Map<string, string>();
  for (const r of resources) {
    const kind = kindOf(r.value);
    if (kind === 'CustomResourceDefinition' || kind === 'Namespace' || (kind === 'APIService' && String(r.value.apiVersion).startsWith('apiregistration.k8s.io/'))) continue;
    const metadata = objAt(r.value, 'metadata');
    const name = typeof metadata.name === 'string' ? metadata.name : '';
    metadata.name = `${prefix}${name}${suffix}`;
    if (kind === 'Service') services.set(`${String(metadata.namespace ?? '')}/${name}`, metadata.name as string);
  }
  for (const r of resources) {
    if (kindOf(r.value) !== 'StatefulSet' || !isObj(r.value.spec)) continue;
    const spec = r.value.spec;
    const renamed = services.get(`${String(objAt(r.value, 'metadata').namespace ?? '')}/${String(spec.serviceName)}`);
    if (renamed) spec.serviceName = renamed;
  }
}

/** A field spec of builtinpluginconsts: a path (`[]` walks a list), the kinds it applies to, and whether it is created. */
interface FieldSpec {
  path: string;
  kind?: string;
  group?: string;
  version?: string;
  create: boolean;
}

// metadatalabels.go
const METADATA_LABELS: FieldSpec[] = [
  { path: 'metadata/labels', create: true },
  { path: 'spec/template/metadata/labels', create: true, version: 'v1', kind: 'ReplicationController' },
  ...['Deployment', 'ReplicaSet', 'DaemonSet'].map((kind) => ({ path: 'spec/template/metadata/labels', create: true, kind })),
  { path: 'spec/template/metadata/labels', create: true, group: 'apps', kind: 'StatefulSet' },
  { path: 'spec/template/metadata/labels', create: true, group: 'batch', kind: 'Job' },
  { path: 'spec/jobTemplate/metadata/labels', create: true, group: 'batch', kind: 'CronJob' },
  { path: 'spec/jobTemplate/spec/template/metadata/labels', create: true, group: 'batch', kind: 'CronJob' },
];
// templatelabels.go
const TEMPLATE_LABELS = METADATA_LABELS;
// volumeclaimmetadatalabels.go
const VOLUME_CLAIM_LABELS: FieldSpec[] = [{ path: 'spec/volumeClaimTemplates[]/metadata/labels', create: true, group: 'apps', kind: 'StatefulSet' }];
const AFFINITY = [
  'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution[]/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution[]/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution[]/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution[]/labelSelector/matchLabels',
  'spec/template/spec/topologySpreadConstraints[]/labelSelector/matchLabels',
];
// commonlabels.go: selectors too (a Service's, a workload's, a NetworkPolicy's where it has matchLabels), then the
// metadata and template labels. Its paths name no `[]`: kustomize's fsslice walks lists on its own, written out here.
const COMMON_LABELS: FieldSpec[] = [
  { path: 'spec/selector', create: true, version: 'v1', kind: 'Service' },
  { path: 'spec/selector', create: true, version: 'v1', kind: 'ReplicationController' },
  { path: 'spec/selector/matchLabels', create: true, kind: 'Deployment' },
  ...AFFINITY.map((p) => ({ path: p, create: false, group: 'apps', kind: 'Deployment' })),
  { path: 'spec/selector/matchLabels', create: true, kind: 'ReplicaSet' },
  { path: 'spec/selector/matchLabels', create: true, kind: 'DaemonSet' },
  { path: 'spec/selector/matchLabels', create: true, group: 'apps', kind: 'StatefulSet' },
  ...AFFINITY.map((p) => ({ path: p, create: false, group: 'apps', kind: 'StatefulSet' })),
  { path: 'spec/selector/matchLabels', create: false, group: 'batch', kind: 'Job' },
  { path: 'spec/jobTemplate/spec/selector/matchLabels', create: false, group: 'batch', kind: 'CronJob' },
  { path: 'spec/selector/matchLabels', create: false, group: 'policy', kind: 'PodDisruptionBudget' },
  { path: 'spec/podSelector/matchLabels', create: false, group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { path: 'spec/ingress[]/from[]/podSelector/matchLabels', create: false, group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { path: 'spec/egress[]/to[]/podSelector/matchLabels', create: false, group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  ...METADATA_LABELS,
  ...VOLUME_CLAIM_LABELS,
];
// commonannotations.go
const COMMON_ANNOTATIONS: FieldSpec[] = [
  { path: 'metadata/annotations', create: true },
  { path: 'spec/template/metadata/annotations', create: true, version: 'v1', kind: 'ReplicationController' },
  ...['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'].map((kind) => ({ path: 'spec/template/metadata/annotations', create: true, kind })),
  { path: 'spec/template/metadata/annotations', create: true, group: 'batch', kind: 'Job' },
  { path: 'spec/jobTemplate/metadata/annotations', create: true, group: 'batch', kind: 'CronJob' },
  { path: 'spec/jobTemplate/spec/template/metadata/annotations', create: true, group: 'batch', kind: 'CronJob' },
];

function addToMaps(resources: Resource[], pairs: Record<string, string>, specs: readonly FieldSpec[]) {
  for (const r of resources) {
    for (const spec of specs) {
      if (!selects(spec, r.value)) continue;
      walk(r.value, spec.path.split('/'), spec.create, (holder, key) => {
        if (!isObj(holder[key])) holder[key] = {};
        Object.assign(holder[key] as Obj, pairs);
      });
    }
  }
}

/** The field at `segments` (`name[]` walks each item of a list), created on the way when `create`. */
function walk(node: Obj, segments: string[], create: boolean, at: (holder: Obj, key: string) => void) {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  if (head.endsWith('[]')) {
    const items = node[head.slice(0, -2)];
    if (Array.isArray(items)) for (const item of items) if (isObj(item)) walk(item, rest, create, at);
    return;
  }
  if (rest.length === 0) {
    if (create || (node[head] !== undefined && node[head] !== null)) at(node, head);
    return;
  }
  if (!isObj(node[head])) {
    if (!create || (node[head] !== undefined && node[head] !== null)) return;
    node[head] = {};
  }
  walk(node[head] as Obj, rest, create, at);
}

function selects(spec: FieldSpec, o: Obj): boolean {
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  return (spec.kind === undefined || spec.kind === kindOf(o)) && (spec.group === undefined || spec.group === group) && (spec.version === undefined || spec.version === version);
}

interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/**
 * `images:` (api/filters/imagetag: legacy.go walks every `containers` and `initContainers` list anywhere in the
 * object; images.go's field specs add pod volumes' image references; updater.go sets the name, and a new tag or
 * digest replaces both the old ones).
 */
function setImages(node: unknown, rule: ImageRule) {
  if (Array.isArray(node)) {
    for (const item of node) setImages(item, rule);
    return;
  }
  if (!isObj(node)) return;
  for (const [key, value] of Object.entries(node)) {
    setImages(value, rule);
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
      for (const c of value) if (isObj(c) && typeof c.image === 'string') c.image = newImage(c.image, rule);
    }
    if (key === 'volumes' && Array.isArray(value)) {
      for (const v of value) if (isObj(v) && isObj(v.image) && typeof v.image.reference === 'string') v.image.reference = newImage(v.image.reference, rule);
    }
  }
}

/** api/internal/image/image.go: IsImageMatched (the name is a regular expression, as kustomize builds it) and Split. */
function newImage(image: string, rule: ImageRule): string {
  let pattern: RE2JS;
  try {
    pattern = RE2JS.compile(`^${rule.name}(:[a-zA-Z0-9_.{}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{}-]*)?$`);
  } catch {
    return image;
  }
  if (!pattern.matches(image)) return image;
  let { name, tag, digest } = splitImage(image);
  if (rule.newName) name = rule.newName;
  if (rule.newTag && rule.digest) [tag, digest] = [rule.newTag, rule.digest];
  else if (rule.newTag) [tag, digest] = [rule.newTag, ''];
  else if (rule.digest) [tag, digest] = ['', rule.digest];
  return `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

function splitImage(image: string): { name: string; tag: string; digest: string } {
  // A registry's port (host:5000/...) is not a tag: look for `:` and `@` after the first `/`.
  const slash = Math.max(image.indexOf('/'), 0);
  const search = image.slice(slash);
  const d = search.indexOf('@');
  const c = search.indexOf(':');
  if (c < 0 && d < 0) return { name: image, tag: '', digest: '' };
  if (d >= 0 && (d < c || c < 0)) return { name: image.slice(0, slash + d), tag: '', digest: image.slice(slash + d + 1) };
  if (d >= 0) return { name: image.slice(0, slash + c), tag: image.slice(slash + c + 1, slash + d), digest: image.slice(slash + d + 1) };
  return { name: image.slice(0, slash + c), tag: image.slice(slash + c + 1), digest: '' };
}

const ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const kindOf = (o: Obj) => (typeof o.kind === 'string' ? o.kind : '');

function objAt(o: Obj, key: string): Obj {
  if (!isObj(o[key])) o[key] = {};
  return o[key] as Obj;
}

type Refuse = (field: string, why: string) => never;

function list(v: unknown, field: string, refuse: Refuse): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : refuse(field, 'not a list');
}

function strings(v: unknown, field: string, refuse: Refuse): string[] {
  const items = list(v, field, refuse);
  return items.every((i): i is string => typeof i === 'string') ? items : refuse(field, 'not a list of paths');
}

function scalar(v: unknown, field: string, refuse: Refuse): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : refuse(field, 'not a string');
}

function stringMap(v: unknown, field: string, refuse: Refuse): Record<string, string> {
  if (!isObj(v)) return refuse(field, 'not a mapping');
  // Kustomize reads them as map[string]string: a number or a boolean is its text.
  return Object.fromEntries(Object.entries(v).map(([key, value]) => [key, typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : refuse(field, `${key} is not a string`)]));
}
