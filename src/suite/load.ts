// Loads a suite file and everything it references. Any problem ends in one InputError naming file, line and field;
// nothing here touches a cluster.
import path from 'node:path';
import { formatPath, InputError } from '../input/input-error.ts';
import { isIPv4 } from '../input/ip.ts';
import { readFailure, readTextFile } from '../input/read-text.ts';
import { rememberSource, sourceOf } from '../input/source-map.ts';
import { validate } from '../input/validate.ts';
import { parseYamlDocs, type SourcedDoc } from '../input/yaml-source.ts';
import { parseRef, refOf, type KubeObject } from '../manifest/objects.ts';
import { MANIFEST_SCHEMAS } from '../manifest/schemas/by-kind.ts';
import { experimentalChannelFields, type ClusterNetworkPolicy } from '../manifest/schemas/cluster-network-policy.ts';
import type { WorldHost } from '../world/world.ts';
import { worldAddress, worldConflicts } from '../world/world.ts';
import { parseExpectation, type Expectation } from '../probe/outcome.ts';
import { formatPodRef, parsePodRef, parseTarget, pathProblem, targetHostProblem } from '../probe/target.ts';
import { readApp, type AppSource } from './apps.ts';
import { SuiteSchema, type SuiteFile } from './schema.ts';
import type { Action, Cell, Step, Suite } from './types.ts';

export type ReadText = (file: string) => Promise<string>;

const readText: ReadText = readTextFile;

export async function loadSuite(file: string, read: ReadText = readText): Promise<Suite> {
  const suite = await parseSuite(await readOrFail(read, file, file), file, read);
  refuseExperimentalChannel(suite);
  return suite;
}

/**
 * A ClusterNetworkPolicy field only the experimental channel of network-policy-api has, in a suite that does not say
 * it needs that channel, is bad input: it would pass on the model and be refused by the API server on apply, where
 * the standard CRD is installed (cluster:up installs it). Named at its line.
 */
export function refuseExperimentalChannel(suite: Suite): void {
  if (suite.clusterNetworkPolicyChannel === 'experimental') return;
  for (const action of [...suite.setup, ...suite.steps.flatMap((s) => s.actions)]) {
    if (action.kind !== 'apply') continue;
    for (const object of action.objects) {
      if (object.kind !== 'ClusterNetworkPolicy') continue;
      const [field] = experimentalChannelFields(object as unknown as ClusterNetworkPolicy);
      if (!field) continue;
      const source = sourceOf(object);
      throw new InputError(
        source?.file ?? suite.file,
        source?.lineOf(field),
        `${formatPath(field)} of ClusterNetworkPolicy ${object.metadata.name} is in the experimental channel of network-policy-api; the installed CRD is the standard channel (cluster:up installs it): where the experimental CRD is installed, say so in the suite with clusterNetworkPolicyChannel: experimental`,
      );
    }
  }
}

async function readOrFail(read: ReadText, file: string, displayFile: string, from?: { file: string; line: number }): Promise<string> {
  try {
    return await read(file);
  } catch (e) {
    throw readFailure(e, displayFile, from);
  }
}

/** Reads a manifest file: every document must be a kind the harness knows and valid for its schema. */
export async function loadManifests(file: string, read: ReadText, from: { file: string; line: number }): Promise<KubeObject[]> {
  return someObjects(parseManifests(await readOrFail(read, file, file, from), file), file, from);
}

function someObjects(objects: KubeObject[], file: string, from: { file: string; line: number }): KubeObject[] {
  if (objects.length === 0) throw new InputError(from.file, from.line, `${file}: holds no objects`);
  return objects;
}

/** An app's setup action (apps.ts says which file), and where it came from. */
export async function loadApp(name: string, manifestDir: string | undefined, read: ReadText, from: { file: string; line: number; field: string }): Promise<{ action: Action; source: AppSource }> {
  const { source, text } = await readApp(name, manifestDir, read, from);
  const objects = someObjects(parseManifests(text, source.file), source.file, from);
  return { action: { kind: 'apply', objects, what: `deploy app ${name}`, line: from.line }, source };
}

export function parseManifests(text: string, file: string): KubeObject[] {
  return parseYamlDocs(text, file).map(manifestOf);
}

/** One manifest: a kind the harness knows, valid for its schema, remembering where it was written. */
export function manifestOf(doc: SourcedDoc): KubeObject {
  const kind = (doc.value as { kind?: unknown } | null)?.kind;
  const schema = typeof kind === 'string' ? MANIFEST_SCHEMAS[kind as keyof typeof MANIFEST_SCHEMAS] : undefined;
  if (!schema) {
    const known = Object.keys(MANIFEST_SCHEMAS).join(', ');
    throw new InputError(doc.file, doc.lineOf(['kind']), `kind ${JSON.stringify(kind ?? null)} is not supported (supported: ${known})`, 'kind');
  }
  const object = validate(schema, doc) as unknown as KubeObject;
  rememberSource(object, { file: doc.file, lineOf: doc.lineOf });
  return object;
}

/** The part of a document under `base`, as a document of its own with the same lines. */
function subDoc(doc: SourcedDoc, base: readonly PropertyKey[]): SourcedDoc {
  const value = base.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown>)[k], doc.value);
  return { file: doc.file, value, lineOf: (path) => doc.lineOf([...base, ...path]) };
}

export async function parseSuite(text: string, file: string, read: ReadText = readText): Promise<Suite> {
  const docs = parseYamlDocs(text, file);
  if (docs.length !== 1) throw new InputError(file, docs[1]?.lineOf([]) ?? 1, 'a suite file holds exactly one YAML document');
  const doc = docs[0]!;
  const spec = validate(SuiteSchema, doc);
  const manifestDir = path.resolve(path.dirname(file), spec.manifestDir ?? '.');
  const manifestPath = (p: string) => path.relative(process.cwd(), path.resolve(manifestDir, p)) || p;

  const setup: Action[] = [];
  const apps: AppSource[] = [];
  for (const [i, name] of spec.apps.entries()) {
    const { action, source } = await loadApp(name, manifestDir, read, { file, line: doc.lineOf(['apps', i]), field: `apps[${i}]` });
    setup.push(action);
    apps.push(source);
  }

  const steps: Step[] = [];
  for (const [i, step] of spec.steps.entries()) {
    const at = (...p: PropertyKey[]) => doc.lineOf(['steps', i, ...p]);
    const actions: Action[] = [];
    if (step.policyAuditMode !== undefined) actions.push({ kind: 'policy-audit', on: step.policyAuditMode, what: `policy audit mode ${step.policyAuditMode ? 'on' : 'off'}`, line: at('policyAuditMode') });
    for (const [k, label] of (step.label ?? []).entries()) {
      const line = at('label', k);
      const pod = label.pod === undefined ? undefined : parsePodRef(label.pod);
      if (label.pod !== undefined && !pod) throw new InputError(file, line, `"${label.pod}" is not [namespace/]name`, `steps[${i}].label[${k}].pod`);
      const target = pod ? { pod } : { namespace: label.namespace! };
      const what = `label ${label.pod ? `pod ${label.pod}` : `namespace ${label.namespace}`} ${Object.entries(label.set)
        .map(([key, v]) => (v === null ? `${key}-` : `${key}=${v}`))
        .join(' ')}`;
      actions.push({ kind: 'label', target, set: label.set, what, line });
    }
    for (const [k, p] of (step.apply ?? []).entries()) {
      const line = at('apply', k);
      if (typeof p === 'string') {
        actions.push({ kind: 'apply', objects: await loadManifests(manifestPath(p), read, { file, line }), what: `apply ${p}`, line });
      } else {
        const object = manifestOf(subDoc(doc, ['steps', i, 'apply', k]));
        actions.push({ kind: 'apply', objects: [object], what: `apply ${object.kind} ${object.metadata.name} (inline)`, line });
      }
    }
    for (const [k, p] of (step.delete ?? []).entries()) {
      const line = at('delete', k);
      const ref = parseRef(p);
      const refs = /\.ya?ml$/.test(p) ? (await loadManifests(manifestPath(p), read, { file, line })).map((o) => refOf(o)) : ref && [ref];
      if (!refs) throw new InputError(file, line, `"${p}" is neither a manifest file (.yaml) nor kind/name or namespace/kind/name`, `steps[${i}].delete[${k}]`);
      actions.push({ kind: 'delete', refs, what: `delete ${p}`, line });
    }
    steps.push({ name: step.name, line: at('name'), claim: step.claim, actions, cells: parseCells(doc, spec, i) });
  }

  const world = worldOf(spec.external);
  const conflict = worldConflicts(world)[0];
  if (conflict) throw new InputError(file, doc.lineOf(['external']), conflict, 'external');
  return {
    name: spec.name,
    nameLine: doc.lineOf(['name']),
    file,
    source: spec.source,
    world,
    podLabel: spec.pods.label,
    connectTimeoutSeconds: spec.probe.connectTimeout,
    ...(spec.clusterNetworkPolicyChannel && { clusterNetworkPolicyChannel: spec.clusterNetworkPolicyChannel }),
    setup,
    apps,
    steps,
  };
}

/** Suites that run together share one world (one cluster, one CoreDNS): a name or address must be one host in all. */
export function checkSharedWorld(suites: readonly Suite[]): void {
  const conflict = worldConflicts(suites.flatMap((s) => s.world.map((h) => ({ ...h, file: s.file }))))[0];
  if (conflict) throw new InputError(suites[0]!.file, undefined, `suites that run together disagree on an external host: ${conflict}`);
}

/**
 * Suites that run together have names of their own: results name a suite by its name, and a reader that takes two
 * suites of one name for one (as compare did) lets the second hide the first one's failures.
 */
export function checkUniqueNames(suites: readonly Suite[]): void {
  const seen = new Map<string, Suite>();
  for (const suite of suites) {
    const other = seen.get(suite.name);
    if (other)
      throw new InputError(
        suite.file,
        suite.nameLine,
        `${JSON.stringify(suite.name)} is already the name of ${other.file}${other.nameLine === undefined ? '' : `:${other.nameLine}`}: suites that run together need names of their own`,
        'name',
      );
    seen.set(suite.name, suite);
  }
}

/** A suite's `external` hosts as the model's world. */
export function worldOf(external: SuiteFile['external']): WorldHost[] {
  return Object.entries(external).map(([key, value]) => {
    // A bare ports map has only port-number keys, so a `ports` key means the { ip, ports } form.
    const { ip, ports } = 'ports' in value ? (value as { ip?: string; ports: Record<string, number> }) : { ip: undefined, ports: value };
    const literal = isIPv4(key);
    return {
      name: literal ? undefined : key,
      // Each name gets its own address, the one cluster:up serves it from (world/world.ts).
      ip: literal ? key : (ip ?? worldAddress(key)),
      ports: Object.fromEntries(Object.entries(ports).map(([p, status]) => [Number(p), status])),
    };
  });
}

/** The path part of a target as written (after host and port, before any -H), for saying what is wrong with it. */
function pathOf(target: string): string | undefined {
  const afterScheme = target.includes('://') ? target.slice(target.indexOf('://') + 3) : target.slice(target.indexOf(' ') + 1);
  const slash = afterScheme.indexOf('/');
  if (slash < 0) return undefined;
  const rest = afterScheme.slice(slash);
  const header = rest.indexOf(" -H '");
  return header < 0 ? rest : rest.slice(0, header);
}

/** parsePodRef and parseTarget, each text parsed once: a matrix of 100,000 cells names a few hundred sources and targets. */
interface CellParts {
  from: (text: string) => ReturnType<typeof parsePodRef>;
  to: (text: string) => ReturnType<typeof parseTarget>;
}

function memo<T>(parse: (text: string) => T): (text: string) => T {
  const parsed = new Map<string, T>();
  return (text) => {
    if (!parsed.has(text)) parsed.set(text, parse(text));
    return parsed.get(text)!;
  };
}

function parseCell(key: string, file: string, line: number, field: string, parse: CellParts): Omit<Cell, 'line'> {
  const parts = key.split(/\s+->\s+/);
  const from = parts.length === 2 ? parse.from(parts[0]!.trim()) : undefined;
  const to = parts.length === 2 ? parse.to(parts[1]!.trim()) : undefined;
  if (!from || !to) {
    const path = parts.length === 2 && !to ? pathOf(parts[1]!.trim()) : undefined;
    const why =
      parts.length !== 2
        ? 'write a cell as "source -> target"'
        : !from
          ? `"${parts[0]}" is not [namespace/]name`
          : path && pathProblem(path)
            ? pathProblem(path)!
            : parts.length === 2 && targetHostProblem(parts[1]!.trim())
              ? targetHostProblem(parts[1]!.trim())!
              : `"${parts[1]}" is not a target ([METHOD ]http(s)://HOST[:port][/path], HOST:port, tcp|udp|sctp://HOST:port; HOST a name, an IPv4 address, pod-ip:[ns/]name or service-ip:[ns/]service)`;
    throw new InputError(file, line, why, field);
  }
  return { key: `${formatPodRef(from)} -> ${parts[1]!.trim()}`, from, to };
}

function parseCells(doc: SourcedDoc, spec: SuiteFile, stepIndex: number): Cell[] {
  // Matrix cells first, in matrix order, so that every step's matrix has the same rows and columns;
  // a step's expectation on a matrix cell takes its place, other expectations follow.
  const cells = new Map<string, Cell>();
  const parts: CellParts = { from: memo(parsePodRef), to: memo(parseTarget) };
  const matrix = spec.matrix;
  for (const [f, from] of (matrix?.from ?? []).entries()) {
    for (const to of matrix?.to ?? []) {
      const line = doc.lineOf(['matrix', 'from', f]);
      const cell = parseCell(`${from} -> ${to}`, doc.file, line, 'matrix', parts);
      cells.set(cell.key, { ...cell, line, optional: true });
    }
  }
  const expected = new Set<string>();
  for (const [key, value] of Object.entries(spec.steps[stepIndex]!.expect ?? {})) {
    const line = doc.lineOf(['steps', stepIndex, 'expect', key]);
    const field = `steps[${stepIndex}].expect["${key}"]`;
    const cell = parseCell(key, doc.file, line, field, parts);
    const text = typeof value === 'string' ? value : value.outcome;
    const expect = parseExpectation(text);
    if (!expect) {
      throw new InputError(doc.file, line, `"${text}" is not an outcome (ok, ok:NNN, connect-timeout, dns-timeout, dns-error, refused, tls-error, denied, dns-failure)`, field);
    }
    if (expected.has(cell.key)) throw new InputError(doc.file, line, `cell "${cell.key}" is expected twice`, field);
    expected.add(cell.key);
    cells.set(cell.key, { ...cell, line, expect, claim: typeof value === 'string' ? undefined : value.claim });
  }
  for (const [k, grid] of (spec.steps[stepIndex]!.reachability ?? []).entries()) {
    for (const cell of reachabilityCells(grid, doc, ['steps', stepIndex, 'reachability', k], parts)) {
      if (expected.has(cell.key)) throw new InputError(doc.file, cell.line, `cell "${cell.key}" is expected twice`);
      expected.add(cell.key);
      cells.set(cell.key, cell);
    }
  }
  return [...cells.values()];
}

const SCHEME_OF = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' } as const;
const MARKS: Record<string, Expectation | undefined> = { '.': { outcome: 'ok' }, X: { outcome: 'denied' }, '-': undefined };

/** The cells of a text matrix: a header row of targets, then one row per source. */
function reachabilityCells(grid: NonNullable<SuiteFile['steps'][number]['reachability']>[number], doc: SourcedDoc, at: PropertyKey[], parts: CellParts): Cell[] {
  // A block scalar's text starts on the line after its key.
  const first = doc.lineOf([...at, 'table']) + 1;
  const rows = grid.table
    .split('\n')
    .map((text, i) => ({ words: text.trim().split(/\s+/), line: first + i }))
    .filter((r) => r.words[0] !== '');
  const [header, ...body] = rows;
  const field = formatPath([...at, 'table']);
  if (!header || body.length === 0) throw new InputError(doc.file, first - 1, 'the table needs a header row of targets and at least one row per source', field);
  const targets = header.words.slice(1).map((t) => {
    if (!parsePodRef(t)) throw new InputError(doc.file, header.line, `column "${t}" is not [namespace/]name`, field);
    return t;
  });
  return body.flatMap(({ words: [source, ...marks], line }) => {
    if (marks.length !== targets.length) throw new InputError(doc.file, line, `row "${source}" has ${marks.length} entries for ${targets.length} columns`, field);
    return marks.flatMap((mark, c) => {
      if (!(mark in MARKS)) throw new InputError(doc.file, line, `"${mark}" is not . (connects), X (denied) or - (not asserted)`, field);
      const expect = MARKS[mark];
      if (!expect) return [];
      const to = `${SCHEME_OF[grid.protocol]}://${grid.via}:${grid.via === 'service-ip' ? serviceOf(targets[c]!) : targets[c]}:${grid.port}`;
      return [{ ...parseCell(`${source} -> ${to}`, doc.file, line, field, parts), line, expect }];
    });
  });
}

/** The conformance topology's Service for a pod: `s-<pod>` in the pod's namespace. */
function serviceOf(podRef: string): string {
  const ref = parsePodRef(podRef)!;
  return `${ref.namespace}/s-${ref.name}`;
}
