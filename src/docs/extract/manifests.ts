// Manifests a tutorial shows or points at: YAML read leniently (one bad document is a finding, the rest still count),
// and `-f PATH` resolved against the tutorial's tree, the docs config, and the manifests the text showed before it.
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { InputError } from '../../input/input-error.ts';
import { readTextFile } from '../../input/read-text.ts';
import { parseYamlDocs } from '../../input/yaml-source.ts';
import type { KubeObject } from '../../manifest/objects.ts';
import { MANIFEST_SCHEMAS } from '../../manifest/schemas.ts';
import { POLICY_KINDS } from '../../manifest/kinds.ts';
import { manifestOf } from '../../suite/load.ts';
import type { DocsConfig } from '../config.ts';
import type { Finding } from '../read/blocks.ts';
import type { Tutorial } from '../read/tutorial.ts';

export interface ReadManifests {
  objects: KubeObject[];
  /** A policy among them could not be read: applying the rest would leave the cluster in an unknown state. */
  policyFailed: boolean;
}

/**
 * Manifests in YAML text that starts at `firstLine` of `file`. Documents without kind and apiVersion are fragments
 * (a tutorial explaining a policy piece by piece) and are skipped.
 */
export function readManifests(text: string, file: string, firstLine: number, findings: Finding[]): ReadManifests {
  const out: ReadManifests = { objects: [], policyFailed: false };
  let docs;
  try {
    docs = parseYamlDocs(text, file, firstLine);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    findings.push({ file, line: e.line, severity: 'error', rule: 'bad-yaml', message: e.detail });
    out.policyFailed = [...POLICY_KINDS].some((kind) => new RegExp(`kind:\\s*${kind}\\b`).test(text));
    return out;
  }
  for (const doc of docs) {
    const value = doc.value as { kind?: unknown; apiVersion?: unknown } | null;
    if (typeof value !== 'object' || value === null || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') continue;
    // The head of a manifest shown on its own (kind, apiVersion, metadata) explains it; it is not one.
    if (value.kind !== 'Namespace' && !('spec' in value)) continue;
    if (!(value.kind in MANIFEST_SCHEMAS)) {
      findings.push({ file, line: doc.lineOf(['kind']), severity: 'warning', rule: 'kind-not-read', message: `${value.kind} is not a kind the harness models: skipped` });
      continue;
    }
    try {
      out.objects.push(manifestOf(doc));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      findings.push({ file, line: e.line, severity: 'error', rule: 'bad-manifest', message: `${value.kind}: ${e.field ? `${e.field}: ` : ''}${e.detail}` });
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
    const roots =
      from === 'examples' ? [...examples, site] : from === 'site' ? [site, path.dirname(chapterFile), this.tutorial.root] : [path.dirname(chapterFile), this.tutorial.root, site];
    // The Kubernetes website's example URLs (https://k8s.io/examples/X) are its examples folder's X.
    const example = /^https?:\/\/(?:k8s\.io|kubernetes\.io)\/examples\/(.+)$/.exec(written)?.[1];
    if (example && from !== 'examples') return this.localFile(example, chapterFile, 'examples');
    // A path written from the site root (`/content/en/...`, Hugo's usual form) starts at the roots, not at /.
    const relative = written.replace(/^\/+/, '');
    const local = roots.map((r) => path.resolve(r, relative)).find((f) => existsSync(f) && statSync(f).isFile());
    if (local) return local;
    const mapped = this.config.files.get(written) ?? [...this.config.files].find(([k]) => path.basename(k) === path.basename(written))?.[1];
    return mapped && existsSync(mapped) ? mapped : undefined;
  }

  async readLocal(file: string, findings: Finding[]): Promise<ReadManifests> {
    const files = statSync(file).isDirectory() ? (await readdir(file)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => path.join(file, f)) : [file];
    const out: ReadManifests = { objects: [], policyFailed: false };
    for (const f of files) {
      const read = readManifests(await readTextFile(f), path.relative(process.cwd(), f), 1, findings);
      out.objects.push(...read.objects);
      out.policyFailed ||= read.policyFailed;
    }
    return out;
  }

  /** The manifest the text showed for `written`: named by the prose or include around it, else by policy name. */
  shownFor(written: string): ShownManifest | undefined {
    const base = path.basename(written);
    const stem = base.replace(/\.(ya?ml|json)$/, '').replace(/^\d+-/, '');
    const recent = [...this.shown].reverse();
    return recent.find((s) => s.names.has(base)) ?? recent.find((s) => s.objects.some((o) => o.metadata.name === stem));
  }
}

/** Two manifests say the same when their objects are equal, whatever the key order or YAML style. */
export function sameObjects(a: readonly KubeObject[], b: readonly KubeObject[]): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

/** The first field where two manifests differ, as a path with both values (`spec.ingress[0].from[0]...: a ≠ b`). */
export function firstDifference(a: readonly KubeObject[], b: readonly KubeObject[]): string {
  const walk = (x: unknown, y: unknown, at: string): string | undefined => {
    if (isDeepStrictEqual(x, y)) return undefined;
    if (x && y && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
      for (const k of keys) {
        const found = walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], Array.isArray(x) ? `${at}[${k}]` : at ? `${at}.${k}` : k);
        if (found) return found;
      }
    }
    const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));
    return `${at || '(the documents)'}: ${show(x)} in the text, ${show(y)} in the file`;
  };
  const plain = (o: readonly KubeObject[]) => JSON.parse(JSON.stringify(o)) as unknown;
  if (a.length !== b.length) return `the text shows ${a.length} object(s), the file holds ${b.length}`;
  const i = a.findIndex((o, k) => !isDeepStrictEqual(plain([o]), plain([b[k]!])));
  return `${a[i]!.kind} ${a[i]!.metadata.name}: ${walk(plain([a[i]!]), plain([b[i]!]), '')!.replace(/^\[0\]\.?/, '')}`;
}
