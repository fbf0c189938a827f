// On a sample of what the loaders refuse (taken from their own tests: test/suite/load-errors, input-validation,
// known-divergences, test/cli/docs, test/results/format), the schemas refuse it too, so that an editor marks it
// while it is typed. What a schema cannot express (zod refinements, checks made after the schema, YAML itself) is
// listed apart: there the schema is looser than the loader, which still refuses it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDocsConfig } from '../../src/tutorials/config.ts';
import { parseResults } from '../../src/results/format.ts';
import { InputError } from '../../src/input/input-error.ts';
import { loadKnownDivergences } from '../../src/results/known-divergences.ts';
import { parseSuite } from '../../src/suite/load.ts';
import { fixture, REPO } from '../support/fixture.ts';
import { cellResult, resultsFile, stepResult, suiteResult } from '../support/results.ts';
import { schemaError, yamlValue, type SchemaFile } from '../support/json-schema.ts';

/** The loader's refusal of `text` (an InputError's message), or undefined when it loads. */
async function loaderRefusal(load: (file: string) => Promise<unknown>, name: string, text: string): Promise<string | undefined> {
  const file = path.join(await fixture({ [name]: text }), name);
  return load(file).then(
    () => undefined,
    (e: unknown) => {
      if (e instanceof InputError) return e.message;
      throw e;
    },
  );
}

const FORMATS: Record<'suite' | 'docs' | 'known', { schema: SchemaFile; name: string; load: (file: string) => Promise<unknown> }> = {
  // Up to the manifests it names, which these samples do not: the suite file itself.
  suite: { schema: 'suite.schema.json', name: 'x.suite.yaml', load: async (file) => parseSuite(await readFile(file, 'utf8'), file) },
  docs: { schema: 'docs-config.schema.json', name: 'netpol-docs.yaml', load: (file) => loadDocsConfig('README.md', file) },
  known: { schema: 'known-divergences.schema.json', name: 'known.yaml', load: loadKnownDivergences },
};

const SUITE = 'name: x\nsteps:\n  - name: a\n    expect:\n      frontend -> backend:8080: ok\n';
const step = (fields: string) => `name: x\nsteps:\n  - name: a\n${fields}    expect:\n      frontend -> backend:8080: ok\n`;
const KNOWN = '- suite: s\n  from: frontend\n  to: backend:8080\n  cilium: ">=1.19.0"\n  observed: ok:200\n  why: upstream\n';
const entry = (fields: string) => `${KNOWN}${fields}`;

/** [format, what, text, where]: the loader refuses it and so does the schema, there (its first complaint's place). */
const REFUSED: [keyof typeof FORMATS, string, string, string][] = [
  ['suite', 'a misspelt top-level key (stpes)', 'name: x\nstpes:\n  - name: a\n', '/'],
  ['suite', 'an unknown field of a step (expcet)', step('    expcet: {}\n'), '/steps/0'],
  ['suite', 'an unknown probe field', `probe: { timeout: 5 }\n${SUITE}`, '/probe'],
  ['suite', 'an unknown field of an expectation', SUITE.replace(': ok', ': { outcom: ok }'), '/steps/0/expect/frontend -> backend:8080'],
  ['suite', 'no name', SUITE.replace('name: x\n', ''), '/'],
  ['suite', 'an empty name', SUITE.replace('name: x', 'name: ""'), '/name'],
  ['suite', 'no steps', 'name: x\n', '/'],
  ['suite', 'no step at all', 'name: x\nsteps: []\n', '/steps'],
  ['suite', 'a step without a name', 'name: x\nsteps:\n  - expect: { frontend -> backend:8080: ok }\n', '/steps/0'],
  ['suite', 'steps that are a number', 'name: x\nsteps: 5\n', '/steps'],
  ['suite', 'steps that are binary data (!!binary)', 'name: x\nsteps: !!binary aGVsbG8=\n', '/steps'],
  ['suite', 'steps that are a set (!!set)', 'name: x\nsteps: !!set {a, b}\n', '/steps'],
  ['suite', 'a name that is a timestamp (!!timestamp)', SUITE.replace('name: x', 'name: !!timestamp 2001-12-14'), '/name'],
  ['suite', 'a name that is a list', SUITE.replace('name: x', 'name: [x]'), '/name'],
  ['suite', 'apply that is not a list', step('    apply: p.yaml\n'), '/steps/0/apply'],
  ['suite', 'policyAuditMode that is not a boolean', step('    policyAuditMode: "yes"\n'), '/steps/0/policyAuditMode'],
  ['suite', 'an app name in capitals', `apps: [Demo]\n${SUITE}`, '/apps/0'],
  ['suite', 'a channel that does not exist', `clusterNetworkPolicyChannel: beta\n${SUITE}`, '/clusterNetworkPolicyChannel'],
  ['suite', 'a connect timeout of 0', `probe: { connectTimeout: 0 }\n${SUITE}`, '/probe/connectTimeout'],
  ['suite', 'a connect timeout of 61', `probe: { connectTimeout: 61 }\n${SUITE}`, '/probe/connectTimeout'],
  ['suite', 'a connect timeout of 1.5', `probe: { connectTimeout: 1.5 }\n${SUITE}`, '/probe/connectTimeout'],
  ['suite', 'a pod label that is empty', `pods: { label: "" }\n${SUITE}`, '/pods/label'],
  ['suite', 'an external name in capitals', `external:\n  Cilium.io: { "80": 200 }\n${SUITE}`, '/external'],
  ['suite', 'an external HTTP status of 99', `external:\n  cilium.io: { "80": 99 }\n${SUITE}`, '/external/cilium.io/80'],
  ['suite', 'an external host with an address but no ports', `external:\n  cilium.io: { ip: 198.51.100.7 }\n${SUITE}`, '/external/cilium.io/ip'],
  ['suite', 'a matrix without sources', `matrix: { from: [], to: [backend:8080] }\n${SUITE}`, '/matrix/from'],
  ['suite', 'a reachability protocol that does not exist', step('    reachability: [{ port: 80, protocol: HTTP, table: "- x/a\\nx/a -" }]\n'), '/steps/0/reachability/0/protocol'],
  ['suite', 'a reachability via that does not exist', step('    reachability: [{ port: 80, via: node-ip, table: "- x/a\\nx/a -" }]\n'), '/steps/0/reachability/0/via'],
  ['suite', 'a reachability port of 0', step('    reachability: [{ port: 0, table: "- x/a\\nx/a -" }]\n'), '/steps/0/reachability/0/port'],
  ['suite', 'a reachability port as text', step('    reachability: [{ port: "80", table: "- x/a\\nx/a -" }]\n'), '/steps/0/reachability/0/port'],
  ['suite', 'a reachability without a table', step('    reachability: [{ port: 80 }]\n'), '/steps/0/reachability/0'],
  ['suite', 'a label action without set', step('    label: [{ namespace: default }]\n'), '/steps/0/label/0'],
  ['suite', 'a label value that is a number', step('    label: [{ namespace: default, set: { a: 1 } }]\n'), '/steps/0/label/0/set/a'],
  ['docs', 'a misspelt key (file for files)', 'apps: [demo]\nfile: {}\n', '/'],
  ['docs', 'apps that are not a list', 'apps: demo\n', '/apps'],
  ['docs', 'an empty variant', 'variant: ""\n', '/variant'],
  ['docs', 'a command without match', 'commands:\n  - creates: [namespace/cilium-test]\n', '/commands/0'],
  ['docs', 'lost that is not a boolean', 'commands:\n  - match: helm install\n    lost: "yes"\n', '/commands/0/lost'],
  ['docs', 'a substitution that is not text', 'substitutions: { VERSION: [1] }\n', '/substitutions/VERSION'],
  ['docs', 'a config that is a list', '- apps: [demo]\n', '/'],
  ['known', 'an unknown field', entry('  color: red\n'), '/0'],
  ['known', 'a step of 0', entry('  step: 0\n'), '/0/step'],
  ['known', 'an entry without observed', KNOWN.replace('  observed: ok:200\n', ''), '/0'],
  ['known', 'an empty why', KNOWN.replace('why: upstream', 'why: ""'), '/0/why'],
  ['known', 'a map instead of a list', KNOWN.replace('- suite', 'suite').replace(/\n {2}/g, '\n'), '/'],
];

/** [format, what, text]: the loader refuses it; the schema cannot say so (why, in words), and accepts it. */
const LOOSER: [keyof typeof FORMATS, string, string, string][] = [
  ['suite', 'a label action with both namespace and pod', 'a refinement across fields', step('    label: [{ namespace: default, pod: frontend, set: { a: b } }]\n')],
  ['suite', 'a label action with neither namespace nor pod', 'a refinement across fields', step('    label: [{ set: { a: b } }]\n')],
  ['suite', 'a label key the API server refuses', "apimachinery's rules, a refinement", step('    label: [{ namespace: default, set: { "my key": v } }]\n')],
  ['suite', 'an external port key of 0', 'a refinement of a record key', `external:\n  cilium.io: { "0": 200 }\n${SUITE}`],
  ['suite', 'an external port key that is a word', 'a refinement of a record key', `external:\n  cilium.io: { http: 200 }\n${SUITE}`],
  ['suite', 'an external host that is no IPv4 address (256.1.1.1)', "Go's netip rules, a refinement", `external:\n  256.1.1.1: { "80": 200 }\n${SUITE}`],
  ['suite', 'an external ip with a leading zero', "Go's netip rules, a refinement", `external:\n  cilium.io: { ip: 010.0.0.1, ports: { "80": 200 } }\n${SUITE}`],
  ['suite', 'a blank reachability table', 'read after the schema, row by row', step('    reachability: [{ port: 80, table: " " }]\n')],
  ['suite', 'an outcome that does not exist (okay)', 'read after the schema (probe/outcome.ts)', SUITE.replace(': ok', ': okay')],
  ['suite', 'a cell that is not "source -> target"', 'read after the schema (probe/target.ts)', SUITE.replace('frontend -> backend:8080', 'frontend to backend')],
  ['suite', 'a manifest file that does not exist', 'a file on disk', step('    apply: [nope.yaml]\n')],
  ['suite', 'a key given twice', 'YAML, before any schema', `${SUITE}name: y\n`],
  ['suite', 'two YAML documents', 'YAML, before any schema', `${SUITE}---\n${SUITE}`],
  ['docs', 'a created object that is not KIND/NAME', 'a refinement', 'commands:\n  - match: helm install\n    creates: [cilium]\n'],
  ['docs', 'a setup path that does not exist', 'a file on disk', 'setup: [manifests/base-application]\n'],
  ['known', 'a version that is not a semver range', 'semver, a refinement', KNOWN.replace('">=1.19.0"', 'latest')],
  ['known', 'an observed outcome that does not exist', 'probe/outcome.ts, a refinement', KNOWN.replace('ok:200', 'fine')],
  ['known', 'an entry with neither cilium nor kubernetes', 'a refinement across fields', KNOWN.replace('  cilium: ">=1.19.0"\n', '')],
];

describe('the samples are well made', () => {
  it.each([
    ['suite', SUITE],
    ['docs', 'apps: [demo]\n'],
    ['known', KNOWN],
  ] as const)('the %s they start from loads, and the schema accepts it', async (format, text) => {
    const { schema, name, load } = FORMATS[format];
    expect(await loaderRefusal(load, name, text)).toBeUndefined();
    expect(schemaError(schema, yamlValue(text))).toBeUndefined();
  });
});

describe('the schema refuses what the loader refuses', () => {
  it.each(REFUSED)('%s: %s', async (format, _, text, where) => {
    const { schema, name, load } = FORMATS[format];
    expect(await loaderRefusal(load, name, text)).toBeDefined();
    const complaint = schemaError(schema, yamlValue(text));
    expect(complaint?.slice(0, where.length + 2), complaint).toBe(`${where}: `);
  });
});

describe('where the schema is looser, the loader still refuses', () => {
  it.each(LOOSER)('%s: %s (%s)', async (format, _, __, text) => {
    const { schema, name, load } = FORMATS[format];
    expect(await loaderRefusal(load, name, text)).toBeDefined();
    // YAML the parser refuses has no value to validate; an editor's YAML parser marks it itself.
    const value = (() => {
      try {
        return yamlValue(text);
      } catch {
        return 'not YAML';
      }
    })();
    if (value !== 'not YAML') expect(schemaError(schema, value)).toBeUndefined();
  });
});

describe('results files: the schema refuses what the reader refuses', () => {
  const base = () => resultsFile([suiteResult('S', 'suites/s.suite.yaml', [stepResult(0, [cellResult('a', 'b:80', 'ok:200', true), cellResult('a', 'c:80', 'ok:200', true)])])]);
  type Edit = (r: ReturnType<typeof base> & Record<string, unknown>) => void;
  const cell = (r: ReturnType<typeof base>) => r.suites[0]!.steps[0]!.cells[0]! as unknown as Record<string, unknown>;
  const refusals = (edit: Edit) => {
    const r = base() as ReturnType<typeof base> & Record<string, unknown>;
    edit(r);
    const text = JSON.stringify(r);
    let reader: string | undefined;
    try {
      parseResults('run.json', text);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      reader = e.message;
    }
    return { reader, schema: schemaError('results.schema.json', JSON.parse(text)) };
  };

  it('a whole one is read and accepted', () => {
    expect(refusals(() => {})).toEqual({ reader: undefined, schema: undefined });
  });

  it.each<[string, Edit]>([
    ['a cell without observed', (r) => delete cell(r).observed],
    ['a cell without pass', (r) => delete cell(r).pass],
    ['from: 42', (r) => (cell(r).from = 42)],
    ['steps that are not a list', (r) => ((r.suites[0] as unknown as { steps: number }).steps = 5)],
    ['an outcome that is none', (r) => (cell(r).observed = 'fine')],
    ['a step index of -1', (r) => (r.suites[0]!.steps[0]!.index = -1)],
    ['a step index of 1e308', (r) => (r.suites[0]!.steps[0]!.index = 1e308)],
    ['a negative timing', (r) => (r.suites[0]!.steps[0]!.timing.probeMs = -5)],
    ['another format', (r) => (r.format = 'netpol-e2e/results/v2' as never)],
    ['an enforcement that is neither', (r) => (r.suites[0]!.steps[0]!.enforcement = 'maybe' as never)],
  ])('%s', (_, edit) => {
    const { reader, schema } = refusals(edit);
    expect(reader).toBeDefined();
    expect(schema).toBeDefined();
  });

  // Looser: an expectation that is none (a refinement), a step out of its place, two cells of one source and target,
  // two suites of one file and name (the file's own consistency), a key twice or a __proto__ key (JSON text, which a
  // parsed value no longer shows).
  it.each<[string, Edit]>([
    ['an expectation that is none', (r) => (cell(r).expected = 'fine')],
    ['a step out of its place', (r) => (r.suites[0]!.steps[0]!.index = 7)],
    ['two cells of one source and target', (r) => r.suites[0]!.steps[0]!.cells.push(cellResult('a', 'b:80', 'ok:200', true))],
    ['two suites of one file and name', (r) => r.suites.push(base().suites[0]!)],
  ])('looser: %s (the reader still refuses it)', (_, edit) => {
    const { reader, schema } = refusals(edit);
    expect(reader).toBeDefined();
    expect(schema).toBeUndefined();
  });
});

describe('the yaml-language-server line does not move the lines the loaders name', () => {
  it('a suite of the repository with an error: the line of the error', async () => {
    const original = await readFile(path.join(REPO, 'suites/cilium-basics-network-policies.suite.yaml'), 'utf8');
    expect(original.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/suite.schema.json');
    const wrong = original.replace('manifestDir: ../manifests', `manifestDir: ${path.join(REPO, 'manifests')}`).replace('    claim: seeds/003_87bba962e4e6e360.txt:54', '    claims: seeds/003_87bba962e4e6e360.txt:54');
    const line = wrong.split('\n').findIndex((l) => l.startsWith('    claims:')) + 1;
    expect(line).toBeGreaterThan(2);
    const refusal = await loaderRefusal(FORMATS.suite.load, 'wrong.suite.yaml', wrong);
    expect(refusal).toMatch(new RegExp(`wrong\\.suite\\.yaml:${line}: steps\\[0\\]\\.claims: unknown field "claims"$`));
  });

  it('a docs config of the repository with an error: the line of the error', async () => {
    const original = await readFile(path.join(REPO, 'tutorials/seeds/004_12ab6aaadef4ac20.netpol-docs.yaml'), 'utf8');
    expect(original.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schemas/docs-config.schema.json');
    const wrong = original.replace('  - match: cilium install\n', '  - match: cilium install\n    lose: true\n');
    const line = wrong.split('\n').findIndex((l) => l.startsWith('    lose:')) + 1;
    const refusal = await loaderRefusal(FORMATS.docs.load, 'netpol-docs.yaml', wrong);
    expect(refusal).toMatch(new RegExp(`netpol-docs\\.yaml:${line}: commands\\[1\\]\\.lose: unknown field "lose"$`));
  });
});
