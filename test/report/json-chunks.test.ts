import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { json, jsonChunks } from '../../src/report/inert.ts';

// The results file is written piece by piece (jsonChunks); its text must be what one JSON.stringify gives, escaped.
const ACTIVE = /[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const whole = (value: unknown) => `${JSON.stringify(value, null, 2).replace(ACTIVE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;

const text = fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\u2028', '\u0085', '\u202e', ' ', 'é') });
// Results-shaped values: objects holding arrays of objects, with absent (undefined) fields and empty containers.
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), text, tie('array'), tie('object')),
  array: fc.array(fc.oneof(tie('value'), tie('object')), { maxLength: 4 }),
  object: fc.dictionary(text, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 4 }),
}));

describe('jsonChunks', () => {
  it('joined, is JSON.stringify(value, null, 2) made inert, with a final newline', () => {
    fc.assert(
      fc.property(fc.dictionary(text, value, { maxKeys: 4 }), (v) => {
        expect([...jsonChunks(v)].join('')).toBe(whole(v));
        expect(json(v)).toBe(whole(v));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes the cells of a step one by one, never the whole file in one piece', () => {
    const cells = Array.from({ length: 1000 }, (_, i) => ({ from: `x/p${i}`, explanation: ['a', 'b'] }));
    const chunks = [...jsonChunks({ suites: [{ steps: [{ cells }] }] })];
    expect(chunks.length).toBeGreaterThan(cells.length);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(200);
  });
});
