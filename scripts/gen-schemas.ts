// Writes schemas/*.schema.json (`npm run schemas`), or into the folder given; test/schemas/up-to-date.test.ts keeps
// the committed ones in step.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JSON_SCHEMAS, jsonSchemaText, SCHEMAS_DIR } from './json-schemas.ts';

const dir = process.argv[2] ?? SCHEMAS_DIR;
await mkdir(dir, { recursive: true });
for (const { file, schema } of JSON_SCHEMAS) {
  await writeFile(path.join(dir, file), jsonSchemaText(file, schema));
  console.log(`wrote ${path.join(dir, file)}`);
}
