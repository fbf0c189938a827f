// known-divergences.yaml: cells that fail on some Cilium or Kubernetes versions for a reason already known upstream
// (a Cilium bug, a documented difference from the Kubernetes spec). Each entry names the cell, the versions (semver
// ranges), the outcome seen there and why; a run or compare reports such a cell as known instead of failed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { z } from 'zod';
import { readTextFile } from '../input/read-text.ts';
import { validate } from '../input/validate.ts';
import { parseYamlDocs } from '../input/yaml-source.ts';
import { parseExpectation, type Expectation } from '../probe/outcome.ts';
import { KNOWN_DIVERGENCES_FILE } from './known-divergences-file.ts';

const range = z.string().refine((r) => semver.validRange(r) !== null, { error: 'not a semver range (e.g. ">=1.19.0 <1.19.6")' });

const Entry = z
  .strictObject({
    suite: z.string().min(1).describe("The suite's name."),
    step: z
      .union([z.number().int().min(1), z.string().min(1)])
      .optional()
      .describe("The step's number (from 1) or a part of its name; any step when absent."),
    from: z.string().min(1).describe("The cell's source, as the suite writes it."),
    to: z.string().min(1).describe("The cell's target, as the suite writes it."),
    cilium: range.optional().describe('The Cilium versions it diverges on (a semver range).'),
    kubernetes: range.optional().describe('The Kubernetes versions it diverges on (a semver range).'),
    observed: z
      .string()
      .refine((o) => parseExpectation(o) !== undefined, { error: 'not an outcome (ok, ok:NNN, connect-timeout, dns-timeout, dns-error, refused, tls-error, denied, dns-failure)' })
      .describe('The outcome seen on those versions (denied matches any drop).'),
    why: z.string().min(1).describe('The reason, such as the upstream issue.'),
  })
  .refine((e) => e.cilium !== undefined || e.kubernetes !== undefined, { error: 'name the versions it diverges on: cilium and/or kubernetes (a semver range)' });

/** The file: a list of entries. The descriptions are what an editor shows from its JSON Schema (`npm run schemas`). */
export const KnownDivergencesSchema = z.array(Entry).meta({
  title: 'netpol-e2e known divergences',
  description: 'Cells that fail on some Cilium or Kubernetes versions for a reason already known upstream (docs/results-json.md, "Known divergences").',
});

export interface KnownDivergence extends Omit<z.infer<typeof Entry>, 'observed'> {
  observed: Expectation;
  /** Where the entry is written, for reports of stale entries. */
  at: string;
}

/** The file named, else known-divergences.yaml in `dir` where it exists, else none; checked before anything runs. */
export async function knownDivergencesFor(file: string | undefined, dir = '.'): Promise<KnownDivergence[]> {
  if (file !== undefined) return loadKnownDivergences(file);
  const fallback = path.join(dir, KNOWN_DIVERGENCES_FILE);
  return existsSync(fallback) ? loadKnownDivergences(fallback) : [];
}

export async function loadKnownDivergences(file: string): Promise<KnownDivergence[]> {
  const text = await readTextFile(file);
  const doc = parseYamlDocs(text, file)[0];
  if (!doc) return [];
  const entries = validate(KnownDivergencesSchema, doc);
  return entries.map((e, i) => ({ ...e, observed: parseExpectation(e.observed)!, at: `${file}:${doc.lineOf([i])}` }));
}
