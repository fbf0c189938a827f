// The versioned file formats netpol-e2e writes and reads back (docs/results-json.md): the results file (`run --json`)
// and the comparison (`compare --json`), as zod schemas. Whatever reads such a file (compare, the e2e workflow's
// compare job, known divergences applied to results) reads it through readResultsFile, so that a file that does not
// say what a run saw is refused (exit 2, the file, the field and its line) instead of being half-read: a gate that
// reads a cell without `pass` as "not failed" passes a regression. The JSON Schemas in schemas/ are generated from
// these (`npm run schemas`); the descriptions are what they show. Depends on nothing but zod, input/ and probe/, so that runner/ and report/ may both use it.
import { z } from 'zod';
import { formatPath, InputError } from '../input/input-error.ts';
import { readTextFile } from '../input/read-text.ts';
import { OUTCOMES, parseExpectation } from '../probe/outcome.ts';

export const RESULTS_FORMAT = 'netpol-e2e/results/v1';
export const COMPARE_FORMAT = 'netpol-e2e/compare/v1';

// Objects drop fields they do not know (a later v1 may add some); every field a reader relies on is required, and
// every field is checked for its type where it is present.
const text = z.string();
const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();
const line = z.number().int().nonnegative();
/** An outcome as observed or predicted: ok, ok:NNN, connect-timeout, ... (probe/outcome.ts). */
const observation = z.string().regex(new RegExp(`^(?:${OUTCOMES.join('|')})(?::\\d{3})?$`), { error: `is not an outcome (${OUTCOMES.join(', ')}, or ok:NNN)` });
const expectation = z.string().refine((v) => parseExpectation(v) !== undefined, { error: 'is not an expectation (ok, ok:NNN, ok:<NNN, denied, dns-failure, or an outcome)' });

export const RunEnvironmentSchema = z.object({
  backend: text,
  kubernetesVersion: text.optional(),
  ciliumVersion: text.optional(),
  nodeImage: text.optional(),
  kernel: text.optional(),
  cni: text.optional(),
  clusterNetworkPolicyChannel: text.optional(),
  networkPolicyApi: text.optional(),
  netpolE2e: z.object({ version: text, commit: text.optional() }),
});

export const CellResultSchema = z.object({
  from: text,
  to: text,
  expected: expectation.optional(),
  predicted: observation,
  observed: observation,
  pass: z.boolean(),
  agreesWithModel: z.boolean(),
  claim: text.optional(),
  line,
  resolved: z.object({ name: text, ip: text }).optional(),
  evidence: z.object({ pod: text, command: z.array(text), exitCode: z.number().int(), stderr: text, stdout: text, reason: text }).optional(),
  explanation: z.array(text),
  unproven: text.optional(),
  notRunnable: text.optional(),
  unpredicted: text.optional(),
  assumed: text.optional(),
  known: text.optional(),
  diagnostics: z.array(text).optional(),
});

export const StepResultSchema = z.object({
  index: count,
  name: text,
  claim: text.optional(),
  actions: z.array(text),
  convergenceMs: ms,
  enforcement: z.enum(['confirmed', 'unconfirmed']),
  timing: z.object({ applyMs: ms, enforceMs: ms, probeMs: ms, settleMs: ms }),
  policies: z.array(text).optional(),
  cells: z.array(CellResultSchema),
});

export const SuiteResultSchema = z.object({
  name: text,
  file: text,
  source: text.optional(),
  /** Which file each app was read from: the suite's manifestDir, or the package's built-in copy. */
  apps: z.array(z.object({ name: text, file: text, builtIn: z.boolean() })).optional(),
  backend: text,
  steps: z.array(StepResultSchema),
  counts: z.object({ cells: count, asserted: count, claims: count, failed: count, execErrors: count, notRunnable: count, unpredicted: count.default(0) }),
  pass: z.boolean(),
  error: text.optional(),
});

export const ResultsFileSchema = z
  .object({
    format: z.literal(RESULTS_FORMAT, { error: `is not ${JSON.stringify(RESULTS_FORMAT)}: not a results file (write one with run --json)` }).describe('What the file is, and its version.'),
    // Results written before runs knew their environment name only their backend.
    environment: RunEnvironmentSchema.optional().describe('What the run ran on; each field where known.'),
    backend: text.describe('Which backend produced the observations: model, kind or context.'),
    pass: z.boolean().describe('Every suite passed.'),
    suites: z.array(SuiteResultSchema).describe('Each suite run: its steps, their cells, counts.'),
    staleKnown: z.array(text).optional().describe('Known divergences (file:line) whose versions match but whose cell passes.'),
    notRunnable: z.record(text, count).optional().describe('Only when cells were not run: how many, by reason.'),
  })
  .meta({ title: 'netpol-e2e results', description: 'What `netpol-e2e run --json FILE` writes (docs/results-json.md).' });

export const ComparedCellSchema = z.object({
  suite: text,
  /** The suite's file, which tells apart two suites of one name. */
  file: text,
  step: text,
  from: text,
  to: text,
  outcomes: z.array(z.union([observation, z.literal('-')])).describe('One per run, "-" where a run did not probe the cell.'),
  passes: z.array(z.boolean().nullable()).describe('One per run, null where a run did not probe the cell.'),
  predicted: observation,
  status: z.enum(['regression', 'fix', 'differs', 'known']),
  line,
  claim: text.optional(),
});

export const ComparisonSchema = z
  .object({
    format: z.literal(COMPARE_FORMAT).describe('What the file is, and its version.'),
    runs: z.array(RunEnvironmentSchema.extend({ file: text, label: text })).describe('The results files compared, each with its environment and label; the baseline first.'),
    baseline: text.optional().describe('The results file the others are judged against (--baseline).'),
    cells: z.array(ComparedCellSchema).describe('Every cell whose observed outcome differs between the runs or from the model.'),
  })
  .meta({ title: 'netpol-e2e comparison', description: 'What `netpol-e2e compare --json FILE` writes (docs/results-json.md, "Comparing runs").' });

export type ResultsFileData = z.infer<typeof ResultsFileSchema>;
export type SuiteResultData = z.infer<typeof SuiteResultSchema>;
export type RunEnvironmentData = z.infer<typeof RunEnvironmentSchema>;

/**
 * Where a results file contradicts itself in what names a cell, which no run writes and which would let one cell
 * hide another: two suites of one file and name, a step out of place, two cells of one step with the same source and
 * target. (Verdicts that follow from the cells, `pass` and `counts.failed`, are recounted by the reader instead.)
 */
function inconsistency(results: ResultsFileData): { path: PropertyKey[]; message: string } | undefined {
  const suites = new Map<string, number>();
  for (const [s, suite] of results.suites.entries()) {
    const key = JSON.stringify([suite.file, suite.name]);
    if (suites.has(key)) return { path: ['suites', s], message: `suite ${JSON.stringify(suite.name)} of ${suite.file} is already suites[${suites.get(key)}]` };
    suites.set(key, s);
    for (const [i, step] of suite.steps.entries()) {
      if (step.index !== i) return { path: ['suites', s, 'steps', i, 'index'], message: `is ${step.index}, but this is step ${i} of the suite (steps are written in order, from 0)` };
      const cells = new Map<string, number>();
      for (const [c, cell] of step.cells.entries()) {
        const key = `${cell.from} -> ${cell.to}`;
        if (cells.has(key)) return { path: ['suites', s, 'steps', i, 'cells', c], message: `cell ${JSON.stringify(key)} is already cells[${cells.get(key)}] of this step` };
        cells.set(key, c);
      }
    }
  }
  return undefined;
}

/**
 * Parses JSON text as a results file: JSON.parse, then a scan for what JSON.parse lets through silently (a key twice
 * in one object, where the last one wins; `__proto__` keys), then the schema and the file's own consistency.
 */
export function parseResults(file: string, source: string): ResultsFileData {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (e) {
    throw new InputError(file, undefined, `not JSON (${(e as Error).message})`);
  }
  const fail = (path: readonly PropertyKey[], message: string, at = lineOf(source, path)): never => {
    throw new InputError(file, at, message, path.length ? formatPath(path) : undefined);
  };
  const suspect = scanKeys(source);
  if (suspect) fail(suspect.path, suspect.key === '__proto__' ? 'a "__proto__" key: no results file has one' : `the key "${suspect.key}" is given twice in one object`, suspect.line);
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== RESULTS_FORMAT) throw new InputError(file, undefined, `not a results file (format ${JSON.stringify(format)}, expected ${RESULTS_FORMAT}: write one with run --json)`);
  const parsed = ResultsFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
    fail(issue.path, missing ? `is required (${issue.expected})` : issue.message);
  }
  const results = parsed.data!;
  const wrong = inconsistency(results);
  if (wrong) fail(wrong.path, wrong.message);
  return results;
}

/** Reads and validates a results file (every reader of one goes through here). */
export async function readResultsFile(file: string): Promise<ResultsFileData> {
  return parseResults(file, await readTextFile(file));
}

// A walk over JSON text that JSON.parse has accepted (so it is valid): where a value is (its line), and the first key
// that is suspect. Iterative over a stack, so that deep nesting cannot overflow it.
interface Suspect {
  path: PropertyKey[];
  key: string;
  line: number;
}

function walkJson(source: string, onKey: (path: readonly PropertyKey[], key: string, line: number, seen: Set<string>) => boolean | undefined, onValue?: (path: readonly PropertyKey[], line: number) => boolean | undefined): void {
  let i = 0;
  let line = 1;
  const space = () => {
    for (let c = source.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = source.charCodeAt(++i)) if (c === 10) line++;
  };
  const string = () => {
    const start = i++;
    while (source[i] !== '"') i += source[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(source.slice(start, i)) as string;
  };
  // Each open container: its path, whether an object, its keys so far, its next array index.
  const stack: { path: PropertyKey[]; object: boolean; keys: Set<string>; next: number }[] = [];
  let path: PropertyKey[] = [];
  for (;;) {
    space();
    if (onValue?.(path, line)) return;
    const c = source[i];
    if (c === '{' || c === '[') {
      i++;
      stack.push({ path, object: c === '{', keys: new Set(), next: 0 });
    } else if (c === '"') string();
    else while (i < source.length && !',]} \t\r\n'.includes(source[i]!)) i++;
    // After a value (or an opening): the next key or element, or closings.
    for (;;) {
      space();
      const top = stack.at(-1);
      if (!top) return;
      const d = source[i];
      if (d === ']' || d === '}') {
        i++;
        stack.pop();
        continue;
      }
      if (d === ',') {
        i++;
        space();
      }
      if (top.object) {
        const keyLine = line;
        const key = string();
        if (onKey(top.path, key, keyLine, top.keys)) return;
        top.keys.add(key);
        space();
        i++; // ':'
        path = [...top.path, key];
      } else path = [...top.path, top.next++];
      break;
    }
  }
}

/** The first `__proto__` key, or key given twice in one object. */
export function scanKeys(source: string): Suspect | undefined {
  let found: Suspect | undefined;
  walkJson(source, (path, key, line, seen) => {
    if (key === '__proto__' || seen.has(key)) found = { path: [...path, key], key, line };
    return found !== undefined;
  });
  return found;
}

/** The line of the value at `path` (or of the nearest value on the way to it that exists). */
export function lineOf(source: string, path: readonly PropertyKey[]): number | undefined {
  let best: number | undefined;
  walkJson(
    source,
    () => false,
    (at, line) => {
      if (at.length > path.length || !at.every((k, n) => k === path[n])) return false;
      best = line;
      return at.length === path.length;
    },
  );
  return best;
}
