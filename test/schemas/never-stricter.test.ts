// Property: whatever suite-, docs-config- or known-divergences-shaped value the loader's zod schema accepts, the JSON
// Schema accepts too (it may accept more: refinements have no JSON Schema). Values mix valid and invalid parts, so
// that both sides are exercised; a share of them must be accepted, or the property would hold vacuously.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { DocsConfigSchema } from '../../src/tutorials/config.ts';
import { KnownDivergencesSchema } from '../../src/results/known-divergences.ts';
import { SuiteSchema } from '../../src/suite/schema.ts';
import { schemaError, type SchemaFile } from '../support/json-schema.ts';

/** Mostly what the format takes, now and then what it does not. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) => fc.oneof({ weight: 40, arbitrary: valid }, { weight: 1, arbitrary: invalid });
/** A map that now and then has a field the format does not know. */
const withUnknown = <T extends object>(value: fc.Arbitrary<T>, name: string) => fc.tuple(value, fc.nat(39), some).map(([v, n, extra]) => (n === 0 ? { ...v, [name]: extra } : v));
const some = fc.oneof(fc.constantFrom('', 'x', 'Demo', 'fine'), fc.integer({ min: -1, max: 70_000 }), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.constant(['x']));
const words = fc.constantFrom('x', 'demo', 'a b', 'frontend -> backend:8080', 'seeds/a.txt:5');
const key = mostly(words, fc.constant(''));
const text = mostly(words, some);
const list = <T>(a: fc.Arbitrary<T>) => mostly(fc.array(a, { maxLength: 3 }), some);
const record = <T>(fields: { [K in keyof T]: fc.Arbitrary<T[K]> }, required: (keyof T)[] = []) => mostly(fc.record(fields, { requiredKeys: required }), some);
const ports = fc.dictionary(mostly(fc.constantFrom('80', '443'), fc.constantFrom('0', '65536', 'http')), mostly(fc.integer({ min: 100, max: 599 }), some), { maxKeys: 2 });
const host = mostly(fc.constantFrom('cilium.io', 'kubernetes.io', '198.51.100.7'), fc.constantFrom('Cilium.io', '256.1.1.1', '-x'));
const external = fc.dictionary(host, fc.oneof(ports, record({ ip: mostly(fc.constant('198.51.100.8'), fc.constantFrom('010.0.0.1', 'x')), ports }, ['ports'])), { maxKeys: 2 });
const apps = list(mostly(fc.constantFrom('demo', 'monitoring'), fc.constantFrom('Demo', '-x', '')));
const labelSet = fc.dictionary(mostly(fc.constantFrom('app', 'contains', 'example.com/x'), fc.constantFrom('my key', 'k8s:app', '')), mostly(fc.constantFrom('x', 'coredns'), fc.constantFrom('x-', null)), { maxKeys: 2 });
const outcome = mostly(fc.constantFrom('ok', 'ok:200', 'denied', 'connect-timeout'), some);

const step = fc.record(
  {
    name: text,
    claim: text,
    note: text,
    apply: list(fc.oneof(text, fc.dictionary(fc.constantFrom('kind', 'metadata', 'spec'), some, { maxKeys: 2 }))),
    delete: list(text),
    label: list(fc.oneof(record({ namespace: text, set: labelSet }, ['namespace', 'set']), record({ pod: text, set: labelSet }, ['pod', 'set']), record({ namespace: text, pod: text, set: labelSet }))),
    policyAuditMode: mostly(fc.boolean(), some),
    expect: fc.dictionary(key, fc.oneof(outcome, record({ outcome, claim: text, note: text }, ['outcome'])), { maxKeys: 2 }),
    reachability: list(
      record(
        { port: mostly(fc.integer({ min: 1, max: 65_535 }), some), protocol: mostly(fc.constantFrom('TCP', 'UDP', 'SCTP'), fc.constant('HTTP')), via: mostly(fc.constantFrom('pod-ip', 'service-ip'), fc.constant('node-ip')), table: text },
        ['port', 'table'],
      ),
    ),
  },
  { requiredKeys: ['name'] },
);
const suite = withUnknown(
  fc.record(
    {
      name: text,
      source: text,
      manifestDir: text,
      apps,
      pods: record({ label: text }, ['label']),
      external,
      probe: record({ connectTimeout: mostly(fc.integer({ min: 1, max: 60 }), fc.oneof(fc.integer({ min: -1, max: 70 }), fc.double({ noNaN: true }))) }),
      clusterNetworkPolicyChannel: mostly(fc.constantFrom('standard', 'experimental'), fc.constant('beta')),
      matrix: record({ from: fc.array(text, { minLength: 1, maxLength: 2 }), to: fc.array(text, { minLength: 1, maxLength: 2 }) }, ['from', 'to']),
      steps: mostly(fc.array(withUnknown(step, 'expcet'), { minLength: 1, maxLength: 3 }), some),
    },
    { requiredKeys: ['name', 'steps'] },
  ),
  'stpes',
);
const docsConfig = withUnknown(
  fc.record({
    apps,
    setup: list(text),
    files: fc.dictionary(key, text, { maxKeys: 2 }),
    external,
    commands: list(record({ match: text, creates: list(mostly(fc.constantFrom('namespace/cilium-test', 'default/deploy/x'), fc.constantFrom('cilium', ''))), lost: mostly(fc.boolean(), some) }, ['match'])),
    substitutions: fc.dictionary(key, text, { maxKeys: 2 }),
    variant: text,
  }),
  'file',
);
const version = mostly(fc.constantFrom('>=1.19.0 <1.19.6', '1.33.x'), fc.constantFrom('latest', ''));
const knownDivergences = list(
  withUnknown(
    fc.record(
      { suite: text, step: mostly(fc.oneof(fc.integer({ min: 1, max: 3 }), text), fc.integer({ min: -1, max: 0 })), from: text, to: text, cilium: version, kubernetes: version, observed: outcome, why: text },
      { requiredKeys: ['suite', 'from', 'to', 'observed', 'why'] },
    ),
    'color',
  ),
);

describe.each<[SchemaFile, z.ZodType, fc.Arbitrary<unknown>]>([
  ['suite.schema.json', SuiteSchema, suite],
  ['docs-config.schema.json', DocsConfigSchema, docsConfig],
  ['known-divergences.schema.json', KnownDivergencesSchema, knownDivergences],
])('%s', (file, zod, values) => {
  it('accepts every value the loader accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(values, (value) => {
        if (!zod.safeParse(value).success) return;
        accepted++;
        expect(schemaError(file, value)).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(20);
  });
});
