// The committed JSON Schemas (schemas/) through a real validator: ajv, in the draft they declare (draft 7), strict so
// that a keyword it does not know is an error rather than ignored.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parseYamlDocs } from '../../src/input/yaml-source.ts';
import { REPO } from './fixture.ts';

export type SchemaFile = 'suite.schema.json' | 'docs-config.schema.json' | 'known-divergences.schema.json' | 'results.schema.json' | 'compare.schema.json';

const validators = new Map<SchemaFile, ReturnType<Ajv['compile']>>();

/** The schema's first complaint about `value` ("/steps/0: must NOT have additional properties"), or undefined. */
export function schemaError(file: SchemaFile, value: unknown): string | undefined {
  let validate = validators.get(file);
  if (!validate) {
    validate = new Ajv({ strict: true }).compile(JSON.parse(readFileSync(path.join(REPO, 'schemas', file), 'utf8')) as object);
    validators.set(file, validate);
  }
  if (validate(value)) return undefined;
  const e = validate.errors![0] as ErrorObject;
  return `${e.instancePath || '/'}: ${e.message}${e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : ''}`;
}

/** YAML text as the loaders see it: the value of its one document, parsed as they parse it. */
export function yamlValue(text: string, file = 'x.yaml'): unknown {
  return parseYamlDocs(text, file)[0]?.value;
}
