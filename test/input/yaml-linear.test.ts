// Loading is linear in the keys of one map (issue 15: 10k expect keys took 38 s, 40k more than 300 s). Work is
// counted, not timed: every key comparison goes through the yaml package's isScalar, counted here by a spy.
import { describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ isScalar: 0 }));
vi.mock('yaml', async (importOriginal) => {
  const yaml = await importOriginal<typeof import('yaml')>();
  return {
    ...yaml,
    isScalar: (node: unknown) => {
      calls.isScalar++;
      return yaml.isScalar(node);
    },
  };
});

const { parseYamlDocs } = await import('../../src/input/yaml-source.ts');

describe('a map of many keys', () => {
  it('is checked for duplicates and has every key line found in linear work', () => {
    const n = 20_000;
    const text = `steps:\n  - expect:\n${Array.from({ length: n }, (_, i) => `      frontend -> backend:${i + 1}: refused\n`).join('')}`;
    calls.isScalar = 0;
    const [doc] = parseYamlDocs(text, 'big.yaml');
    const keys = Object.keys((doc!.value as { steps: { expect: Record<string, string> }[] }).steps[0]!.expect);
    expect(keys).toHaveLength(n);
    keys.forEach((key, i) => expect(doc!.lineOf(['steps', 0, 'expect', key])).toBe(i + 3));
    // A comparison per key to find duplicates, one per key to index the map, one per lookup's path: a few per key.
    expect(calls.isScalar).toBeLessThan(5 * n);
  });

  it('still refuses a duplicate key, at its line', () => {
    expect(() => parseYamlDocs('a: 1\nb: 2\na: 3\n', 'dup.yaml')).toThrow('dup.yaml:3: invalid YAML: Map keys must be unique ("a" appears twice)');
  });
});
