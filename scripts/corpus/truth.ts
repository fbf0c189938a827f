// A corpus tutorial's truth file (tutorials/corpus/README.md): the claims a careful reader finds in the text, each
// with its line and verdict, and the problems of the text worth a finding. Written before the tool read the text.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { validate } from '../../src/input/validate.ts';
import { parseYamlDocs } from '../../src/input/yaml-source.ts';

const TruthSchema = z.strictObject({
  target: z.string().min(1),
  config: z.string().min(1).optional(),
  claims: z
    .array(
      z.strictObject({
        line: z.number().int().positive(),
        file: z.string().min(1).optional(),
        probe: z.number().int().positive().optional(),
        kind: z.enum(['output', 'prose', 'dns', 'hubble']),
        says: z.string(),
        verdict: z.enum(['holds', 'contradicted', 'unknowable']),
        reason: z.string().min(1),
      }),
    )
    .default([]),
  problems: z.array(z.strictObject({ line: z.number().int().positive(), file: z.string().min(1).optional(), reason: z.string().min(1) })).nullish(),
});

export type Truth = z.infer<typeof TruthSchema>;
export type TruthClaim = Truth['claims'][number];

/** The truth of the tutorial in `dir`, with every file resolved to an absolute path. */
export async function readTruth(dir: string): Promise<Truth> {
  const file = path.join(dir, 'truth.yaml');
  const docs = parseYamlDocs(await readFile(file, 'utf8'), file);
  const truth = validate(TruthSchema, docs[0]!);
  const target = path.resolve(dir, truth.target);
  const own = (f: string | undefined) => (f ? path.resolve(dir, f) : target);
  return {
    ...truth,
    target,
    config: truth.config && path.resolve(dir, truth.config),
    claims: truth.claims.map((c) => ({ ...c, file: own(c.file) })),
    problems: (truth.problems ?? []).map((p) => ({ ...p, file: own(p.file) })),
  };
}
