import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ciliumLabels, ciliumLookup, compileIdentitySelector } from '../../src/model/cilium-labels.ts';
import type { LabelSelector } from '../../src/manifest/schemas/label-selector.ts';
import { compileSelector } from '../../src/manifest/selector.ts';

// compileIdentitySelector resolves each key's source once; it must decide as the selector on ciliumLookup does.
const source = fc.constantFrom('', 'k8s:', 'any:', 'reserved:', 'container:', 'unknown:');
const name = fc.constantFrom('app', 'tier', 'io.kubernetes.pod.namespace', 'io.cilium.k8s.namespace.labels.team', 'io.cilium.k8s.policy.serviceaccount');
const key = fc.tuple(source, name).map(([s, n]) => s + n);
const value = fc.constantFrom('a', 'b', 'x', 'default');
const selector: fc.Arbitrary<LabelSelector> = fc.record(
  {
    matchLabels: fc.dictionary(key, value, { maxKeys: 3 }),
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({ key, operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.array(value, { minLength: 1, maxLength: 3 }) }),
        fc.record({ key, operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
      ),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
);
const identity = fc
  .record({ namespace: fc.constantFrom('x', 'default'), pod: fc.dictionary(fc.constantFrom('app', 'tier'), value), ns: fc.dictionary(fc.constantFrom('team'), value) })
  .map(({ namespace, pod, ns }) => ciliumLabels(namespace, pod, ns));

describe('identity selectors', () => {
  it('decide as the selector does on the Cilium lookup, for every source prefix', () => {
    fc.assert(
      fc.property(selector, identity, (s, labels) => {
        expect(compileIdentitySelector(s)(labels)).toBe(compileSelector(s)(ciliumLookup(labels)));
      }),
      { numRuns: 2000 },
    );
  });
});
