// The JSON Schemas of the files a user writes (suites, docs configs, known divergences) and of those netpol-e2e writes
// (results, comparisons), generated from the zod schemas the loaders and readers validate with, so that an editor
// (yaml-language-server) or another tool checks what netpol-e2e would. `npm run schemas` writes them to schemas/;
// test/schemas/up-to-date.test.ts fails when the committed files differ from what this generates.
import { z } from 'zod';
import { DocsConfigSchema } from '../src/tutorials/config.ts';
import { ComparisonSchema, ResultsFileSchema } from '../src/results/format.ts';
import { KnownDivergencesSchema } from '../src/results/known-divergences.ts';
import { SuiteSchema } from '../src/suite/schema.ts';

export const SCHEMAS_DIR = 'schemas';

/**
 * Where the schemas are published: the package ships schemas/, and a CDN serves a published package's files at
 * this path. A schema's `$id` is this plus its file name.
 */
export const SCHEMAS_URL = 'https://cdn.jsdelivr.net/npm/netpol-e2e/schemas/';

export const JSON_SCHEMAS: readonly { file: string; schema: z.ZodType }[] = [
  { file: 'suite.schema.json', schema: SuiteSchema },
  { file: 'docs-config.schema.json', schema: DocsConfigSchema },
  { file: 'known-divergences.schema.json', schema: KnownDivergencesSchema },
  { file: 'results.schema.json', schema: ResultsFileSchema },
  { file: 'compare.schema.json', schema: ComparisonSchema },
];

/** The schema file's text. */
export function jsonSchemaText(file: string, schema: z.ZodType): string {
  const { $schema, title, description, ...rest } = z.toJSONSchema(schema, {
    // VS Code's YAML extension and yaml-language-server validate with draft 7 (redhat-developer/vscode-yaml README,
    // "Associating schemas"; later drafts: yaml-language-server issue 856, open).
    target: 'draft-07',
    // What a user writes, which the loader then completes: a field with a default is optional, and an object that
    // drops unknown keys (the results formats) allows them. The output would refuse what the loader accepts.
    io: 'input',
    // A transform has no JSON Schema: none may slip into these formats unnoticed (refinements are left out, looser).
    unrepresentable: 'throw',
  });
  return `${JSON.stringify({ $schema, $id: SCHEMAS_URL + file, title, description, ...rest }, null, 2)}\n`;
}
