// Property: whatever text or suite-shaped object the loader is given, it ends in a Suite or in its own
// InputError, never another exception, and always finishes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { InputError } from '../../src/input/input-error.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { parseSuite, type ReadText } from '../../src/suite/load.ts';

const MANIFESTS: Record<string, string> = {
  'apps/demo.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: frontend }\nspec:\n  selector: { matchLabels: { app: frontend } }\n  template:\n    metadata: { labels: { app: frontend } }\n    spec: { containers: [{ name: c, image: curl }] }\n',
  'p.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p }\nspec: { podSelector: {}, ingress: [] }\n',
  'bad.yaml': 'kind: [',
};
const read: ReadText = async (file) => {
  const text = MANIFESTS[file];
  if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  return text;
};

/**
 * Loads and predicts; anything but an InputError is rethrown (the property fails). An InputError must name a file
 * this load read, a line inside that file when it gives one, and say something in words (no "undefined", no
 * "[object Object]").
 */
async function outcome(text: string): Promise<'ok' | 'input-error'> {
  try {
    await predictSuite(await parseSuite(text, 'fuzz.suite.yaml', read));
    return 'ok';
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const manifest = Object.entries(MANIFESTS).find(([name]) => e.file.endsWith(name))?.[1];
    const lines = (e.file === 'fuzz.suite.yaml' ? text : (manifest ?? '')).split('\n').length;
    expect(
      ['fuzz.suite.yaml', ...Object.keys(MANIFESTS), 'missing.yaml', 'nope.yaml'].some((f) => e.file === f || e.file.endsWith(f)),
      e.message,
    ).toBe(true);
    if (e.line !== undefined) expect(e.line >= 1 && e.line <= lines + 1, `${e.message} (${lines} lines)`).toBe(true);
    expect(e.detail, e.message).not.toMatch(/undefined|\[object |NaN|^$/);
    return 'input-error';
  }
}

const word = fc.constantFrom('frontend', 'backend', 'x', 'default/frontend', 'p.yaml', 'bad.yaml', 'apps/demo.yaml', 'netpol/p', '', '->', 'ok', 'ok:200', 'denied', 'kube-system');
const cellKey = fc.tuple(word, fc.constantFrom(' -> ', '->', ' '), word, fc.constantFrom('', ':8080', ':0', ':x')).map((parts) => parts.join(''));
const step = fc.record(
  {
    name: fc.oneof(word, fc.integer()),
    apply: fc.array(word, { maxLength: 2 }),
    delete: fc.array(word, { maxLength: 2 }),
    label: fc.array(fc.record({ namespace: word, set: fc.dictionary(word, fc.oneof(word, fc.constant(null))) }, { requiredKeys: [] }), { maxLength: 1 }),
    expect: fc.dictionary(cellKey, fc.oneof(word, fc.record({ outcome: word, claim: word }, { requiredKeys: [] })), { maxKeys: 3 }),
    reachability: fc.array(
      fc.record(
        {
          port: fc.oneof(fc.constantFrom(80, 0, 70000), word),
          protocol: fc.constantFrom('TCP', 'UDP', 'ICMP'),
          via: fc.constantFrom('pod-ip', 'service-ip', 'x'),
          // Tables of random rows: headers, marks, blank lines, ragged rows, and blank tables.
          table: fc
            .array(
              fc.array(fc.constantFrom('-', 'x/a', 'y/b', 'frontend', '.', 'X', '?', ''), { maxLength: 4 }).map((row) => row.join(' ')),
              { maxLength: 4 },
            )
            .map((rows) => rows.join('\n')),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    ),
    extra: fc.anything({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);
const suiteShaped = fc.record(
  {
    name: fc.oneof(word, fc.constant(null)),
    apps: fc.oneof(fc.array(fc.constantFrom('demo', 'nope', 'Bad App'), { maxLength: 2 }), fc.anything({ maxDepth: 1 })),
    external: fc.dictionary(fc.constantFrom('kubernetes.io', 'Bad Name', 'x'), fc.dictionary(fc.constantFrom('80', '443', 'http'), fc.oneof(fc.integer(), word))),
    matrix: fc.record({ from: fc.array(word, { maxLength: 2 }), to: fc.array(word, { maxLength: 2 }) }, { requiredKeys: [] }),
    probe: fc.record({ connectTimeout: fc.oneof(fc.integer(), word) }, { requiredKeys: [] }),
    steps: fc.oneof(fc.array(step, { maxLength: 3 }), fc.anything({ maxDepth: 2 })),
  },
  { requiredKeys: [] },
);

// Mostly valid suites with a few wrong parts, so that the property also reaches prediction.
const nearlyValid = fc.record({
  name: fc.constant('s'),
  apps: fc.constant(['demo']),
  steps: fc.array(
    fc.record(
      {
        name: fc.constant('a'),
        apply: fc.subarray(['p.yaml', 'bad.yaml', 'missing.yaml']),
        delete: fc.subarray(['netpol/p', 'p.yaml']),
        expect: fc.dictionary(fc.constantFrom('frontend -> backend:8080', 'frontend -> pod-ip:frontend:80', 'frontend -> https://x.io', 'x -> y:1'), fc.constantFrom('ok', 'denied', 'dns-error', 'nope'), { maxKeys: 2 }),
      },
      { requiredKeys: ['name'] },
    ),
    { minLength: 1, maxLength: 3 },
  ),
});

describe('suite loader under random input', () => {
  it('random text: a suite or an InputError, nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.stringMatching(/^[a-z:{}[\]\-> "'&*!|\n]{0,200}$/)), async (text) => {
        await outcome(text);
      }),
      { numRuns: 400 },
    );
  });

  it('random suite-shaped objects: a suite or an InputError, nothing else', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(suiteShaped, nearlyValid), async (object) => {
        if ((await outcome(stringify(object))) === 'ok') accepted++;
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
    );
    // Not vacuous: some generated suites are valid and get all the way through prediction.
    expect(accepted).toBeGreaterThan(0);
  });
});
