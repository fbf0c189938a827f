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

describe('deep nesting', () => {
  // Flow sequences 20,000 deep overflow the parser's stack (it reports that as an error of the document); a few
  // hundred pass the parser and would overflow what walks the document after it, in a block list as in a flow one.
  it('is refused past 128 levels at the line where it goes too deep, whether the parser or a later walk would overflow', () => {
    const flow = (n: number) => `name: x\nsteps: ${'['.repeat(n)}${']'.repeat(n)}\n`;
    expect(() => parseYamlDocs(flow(20_000), 'flow.yaml')).toThrow('flow.yaml:2: invalid YAML: nested more than 128 levels deep');
    expect(() => parseYamlDocs(flow(129), 'flow.yaml')).toThrow('flow.yaml:2: invalid YAML: nested more than 128 levels deep');
    const block = `steps:\n${Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- \n`).join('')}`;
    expect(() => parseYamlDocs(block, 'block.yaml')).toThrow('block.yaml:129: invalid YAML: nested more than 128 levels deep');
    // A complex key counts as deep as a value.
    expect(() => parseYamlDocs(`? ${'['.repeat(200)}${']'.repeat(200)}\n: 1\n`, 'key.yaml')).toThrow('key.yaml:1: invalid YAML: nested more than 128 levels deep');
  });

  it('128 levels still load', () => {
    const [doc] = parseYamlDocs(`a: ${'['.repeat(127)}1${']'.repeat(127)}\n`, 'ok.yaml');
    let value = (doc!.value as { a: unknown }).a;
    let depth = 1;
    while (Array.isArray(value)) [value, depth] = [value[0], depth + 1];
    expect([value, depth]).toEqual([1, 128]);
  });
});
