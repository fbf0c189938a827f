// schemas/ holds what `npm run schemas` generates from the zod schemas the loaders use, so that it cannot go stale:
// a change to a format that is not regenerated fails here. Each schema names where it is published, is one ajv
// compiles in strict mode, and describes its top-level fields (what an editor shows while one types them).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { JSON_SCHEMAS, SCHEMAS_DIR, SCHEMAS_URL } from '../../scripts/json-schemas.ts';
import { fixture, REPO } from '../support/fixture.ts';
import { schemaError, type SchemaFile } from '../support/json-schema.ts';

const FILES = JSON_SCHEMAS.map((s) => s.file);
const committed = (file: string) => readFile(path.join(REPO, SCHEMAS_DIR, file), 'utf8');

describe('npm run schemas', () => {
  let generated: string;
  beforeAll(async () => {
    const script = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')).scripts.schemas as string;
    expect(script).toBe('node --import tsx scripts/gen-schemas.ts');
    generated = await fixture({});
    // The script's own command line, with a folder to write into instead of schemas/.
    await execa(process.execPath, ['--import', 'tsx', 'scripts/gen-schemas.ts', generated], { cwd: REPO });
  });

  it.each(FILES)('writes %s as committed (else run npm run schemas and commit the result)', async (file) => {
    expect(await committed(file)).toBe(await readFile(path.join(generated, file), 'utf8'));
  });

  it('writes those files and schemas/ holds no others', async () => {
    expect((await readdir(generated)).sort()).toEqual([...FILES].sort());
    expect((await readdir(path.join(REPO, SCHEMAS_DIR))).sort()).toEqual([...FILES].sort());
  });
});

describe('each schema', () => {
  // `netpol-e2e init` writes these paths into a user's files (./node_modules/netpol-e2e/schemas/<file>).
  it('keeps the names users point at', () => expect(FILES).toEqual(['suite.schema.json', 'docs-config.schema.json', 'known-divergences.schema.json', 'results.schema.json', 'compare.schema.json']));

  it.each(FILES)('%s: draft 7, its $id, a title, and a description of each top-level field', async (file) => {
    const schema = JSON.parse(await committed(file)) as {
      $schema: string;
      $id: string;
      title?: string;
      description?: string;
      type: string;
      properties?: Record<string, { description?: string }>;
      items?: { properties: Record<string, { description?: string }> };
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe(`${SCHEMAS_URL}${file}`);
    expect(schema.title).toMatch(/^netpol-e2e /);
    expect(schema.description).toBeTruthy();
    // A list of entries (known divergences) describes the fields of each entry.
    const fields = Object.entries((schema.type === 'array' ? schema.items?.properties : schema.properties) ?? {});
    expect(fields.length).toBeGreaterThan(3);
    expect(fields.filter(([, field]) => !field.description).map(([name]) => name)).toEqual([]);
    // Compiles (strict: an unknown keyword would be an error) and judges.
    expect(schemaError(file as SchemaFile, 42)).toMatch(/^\/: must be (object|array)$/);
  });
});
