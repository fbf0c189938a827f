// The suite file format (documented in docs/suite-format.md).
import { z } from 'zod';

const expectation = z.union([
  z.string(),
  z.strictObject({
    outcome: z.string(),
    /** Where the tutorial makes this claim, e.g. "seeds/004_12ab6aaadef4ac20.txt:262". */
    claim: z.string().optional(),
    note: z.string().optional(),
  }),
]);

const labelAction = z
  .strictObject({
    namespace: z.string().optional(),
    pod: z.string().optional(),
    set: z.record(z.string().min(1), z.string().nullable()),
  })
  .refine((a) => (a.namespace === undefined) !== (a.pod === undefined), { error: 'give exactly one of namespace and pod' });

const step = z.strictObject({
  name: z.string().min(1),
  claim: z.string().optional(),
  note: z.string().optional(),
  apply: z.array(z.string().min(1)).optional(),
  delete: z.array(z.string().min(1)).optional(),
  label: z.array(labelAction).optional(),
  expect: z.record(z.string(), expectation).optional(),
});

export const SuiteSchema = z.strictObject({
  name: z.string().min(1),
  source: z.string().optional(),
  /** Where manifest paths are resolved from, relative to the suite file (default: the suite's folder). */
  manifestDir: z.string().optional(),
  /** Apps deployed before the first step: <manifestDir>/apps/<name>.yaml */
  apps: z.array(z.string().regex(/^[a-z0-9][-a-z0-9]*$/)).default([]),
  /** Hosts outside the cluster: name -> { port: HTTP status }. */
  external: z
    .record(
      z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'must be a lowercase DNS name' }),
      z.record(z.string().regex(/^\d+$/, { error: 'must be a port number' }), z.number().int().min(100).max(599)),
    )
    .default({}),
  probe: z.strictObject({ connectTimeout: z.number().int().min(1).max(60).default(5) }).default({ connectTimeout: 5 }),
  /** Cells probed at every step in addition to the step's expectations. */
  matrix: z.strictObject({ from: z.array(z.string()).min(1), to: z.array(z.string()).min(1) }).optional(),
  steps: z.array(step).min(1),
});
export type SuiteFile = z.infer<typeof SuiteSchema>;
