// Options for reading one tutorial (docs/tutorials.md): the state earlier chapters leave behind (`apps`), where to
// find files the text includes or applies but its tree lacks (`files`), and hosts outside the cluster (`external`).
// Found beside the tutorial as <name>.netpol-docs.yaml, or as netpol-docs.yaml in its folder or above, or given
// with --config.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../input/input-error.ts';
import { readTextFile } from '../input/read-text.ts';
import { validate } from '../input/validate.ts';
import { parseYamlDocs } from '../input/yaml-source.ts';
import { parseRef, type ObjectRef } from '../manifest/objects.ts';
import { SuiteSchema } from '../suite/schema.ts';

// The descriptions are what an editor shows from the JSON Schema generated from this one (`npm run schemas`).
export const DocsConfigSchema = z
  .strictObject({
    apps: SuiteSchema.shape.apps.describe("Built-in apps (the package's manifests/apps/<name>.yaml) deployed before the first chapter."),
    setup: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "What was deployed before the text starts (a workshop's prepare step): paths relative to this config, each a manifest file, a folder as `kubectl apply -f` reads it, or a kustomization folder, applied in order after `apps`.",
      ),
    files: z.record(z.string().min(1), z.string().min(1)).default({}).describe('A path as the tutorial writes it (or its file name) -> a local file, relative to this config.'),
    external: SuiteSchema.shape.external,
    commands: z
      .array(
        z.strictObject({
          match: z.string().min(1).describe('Text the command line contains (`cilium connectivity test`).'),
          creates: z
            .array(z.string().refine((t) => parseRef(t) !== undefined, { error: 'not KIND/NAME or NAMESPACE/KIND/NAME' }))
            .default([])
            .describe('Objects it creates, as kind/name or namespace/kind/name (`namespace/cilium-test`).'),
          lost: z.boolean().default(false).describe('The state is unknown after it: later claims are not checked.'),
        }),
      )
      .default([])
      .describe('Commands other than kubectl that change the cluster (helm, cilium, ...): what each leaves behind.'),
    substitutions: z.record(z.string().min(1), z.string()).default({}).describe('reStructuredText substitutions (`|CHART_VERSION|`) and their values, for parsed-literal blocks.'),
    variant: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Which variant a tutorial that shows several is read as: the modules Hugo's `onlyWhen`/`onlyWhenNot` test (in place of the site's `enabledModule`), the tab chosen (MDX `<TabItem value=...>`, reStructuredText tab labels), and tags for Sphinx's `.. only::`. Words separated by spaces.",
      ),
  })
  .meta({ title: 'netpol-e2e docs config', description: 'How `netpol-e2e docs` reads a tutorial: the state before it, files it lacks, hosts outside the cluster (docs/tutorials.md, "Docs config").' });

export interface DocsConfig {
  file?: string;
  /** Built-in app names, each with the config's line. */
  apps: { name: string; line: number }[];
  /** Setup paths: as written, where (absolute), and the config's line. */
  setup: { written: string; path: string; line: number }[];
  /** Absolute local paths by the path the tutorial writes. */
  files: Map<string, string>;
  external: z.infer<typeof DocsConfigSchema>['external'];
  commands: { match: string; creates: ObjectRef[]; lost: boolean }[];
  substitutions: Record<string, string>;
  variant?: string;
  /** `--offline`: a URL the text applies is read from the cache only, never fetched. */
  offline?: boolean;
}

export async function loadDocsConfig(tutorial: string, explicit?: string): Promise<DocsConfig> {
  const file = explicit ?? configBeside(tutorial);
  if (!file) return { apps: [], setup: [], files: new Map(), external: {}, commands: [], substitutions: {} };
  const text = await readTextFile(file);
  const docs = parseYamlDocs(text, file);
  if (docs.length !== 1) throw new InputError(file, 1, 'a docs config holds exactly one YAML document');
  const spec = validate(DocsConfigSchema, docs[0]!);
  const dir = path.dirname(file);
  const setup = spec.setup.map((written, i) => {
    const local = path.resolve(dir, written);
    if (!existsSync(local)) throw new InputError(file, docs[0]!.lineOf(['setup', i]), `${written}: no such file or folder beside ${path.basename(file)}`, `setup[${i}]`);
    return { written, path: local, line: docs[0]!.lineOf(['setup', i]) };
  });
  return {
    file,
    apps: spec.apps.map((name, i) => ({ name, line: docs[0]!.lineOf(['apps', i]) })),
    setup,
    files: new Map(Object.entries(spec.files).map(([k, v]) => [k, path.resolve(dir, v)])),
    external: spec.external,
    commands: spec.commands.map((c) => ({ ...c, creates: c.creates.map((t) => parseRef(t)!) })),
    substitutions: spec.substitutions,
    ...(spec.variant !== undefined && { variant: spec.variant }),
  };
}

function configBeside(tutorial: string): string | undefined {
  const folder = existsSync(tutorial) && statSync(tutorial).isDirectory();
  if (!folder) {
    const own = tutorial.replace(/(\.[^./]+)?$/, '.netpol-docs.yaml');
    if (existsSync(own)) return own;
  }
  // Then netpol-docs.yaml in the tutorial's folder or above it (a Hugo site keeps it at its root), up to the repository.
  for (let dir = path.resolve(folder ? tutorial : path.dirname(tutorial)); ; dir = path.dirname(dir)) {
    const shared = path.join(dir, 'netpol-docs.yaml');
    if (existsSync(shared)) return shared;
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return undefined;
  }
}
