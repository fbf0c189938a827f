import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/input-error.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { fixture, REPO, suiteWith } from '../support/fixture.ts';

async function loadError(files: Record<string, string>, entry = 'x.suite.yaml'): Promise<InputError> {
  const dir = await fixture(files);
  const error = await loadSuite(path.join(dir, entry))
    .then(predictSuite)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

const policy = (body: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: p
spec:
${body}`;

describe('bad input is one error naming file, line and field', () => {
  it('a misspelt top-level key is named at its line, not reported as the missing key it stands for', async () => {
    const e = await loadError({ 'x.suite.yaml': `name: x\nmanifestDir: ${path.join(REPO, 'manifests')}\napps: [demo]\nstpes:\n  - name: a\n` });
    expect([e.line, e.field, e.detail]).toEqual([4, 'stpes', 'unknown field "stpes"']);
  });

  it.each([
    ['blank', '" "'],
    ['a header only', '"-   x/a"'],
    ['only blank lines', '|\n          \n'],
  ])('a reachability table that is %s', async (_, table) => {
    const e = await loadError({
      'x.suite.yaml': `name: x\nmanifestDir: ${path.join(REPO, 'manifests')}\napps: [conformance]\npods: { label: pod }\nsteps:\n  - name: a\n    reachability:\n      - port: 80\n        table: ${table}\n`,
    });
    expect([e.line, e.field, e.detail]).toEqual([9, 'steps[0].reachability[0].table', 'the table needs a header row of targets and at least one row per source']);
  });

  it.each([
    ['!!binary aGVsbG8=', 'binary data (!!binary)'],
    ['!!set {a, b}', 'a set (!!set)'],
    ['!!omap [a: 1]', 'an ordered map (!!omap or !!pairs)'],
    ['!!timestamp 2001-12-14', 'a timestamp (!!timestamp)'],
  ])('a value with the YAML tag %s is named by its tag', async (value, words) => {
    const e = await loadError({ 'x.suite.yaml': `name: x\nsteps: ${value}\n` });
    expect([e.line, e.field, e.detail]).toEqual([2, 'steps', `Invalid input: expected array, received ${words}`]);
  });

  it('malformed YAML', async () => {
    const e = await loadError({ 'x.suite.yaml': 'name: x\nsteps:\n  - name: a: b\n' });
    expect(e.file).toMatch(/x\.suite\.yaml$/);
    expect(e.line).toBe(3);
    expect(e.detail).toMatch(/invalid YAML/);
  });

  it('an unknown field in a suite', async () => {
    const e = await loadError({ 'x.suite.yaml': suiteWith('  - name: a\n    expcet:\n      frontend -> backend:8080: ok\n') });
    expect([e.line, e.field, e.detail]).toEqual([6, 'steps[0].expcet', 'unknown field "expcet"']);
  });

  it('an unknown field in a policy names the policy file and line', async () => {
    const e = await loadError({
      'x.suite.yaml': suiteWith('  - name: a\n    apply: [p.yaml]\n', 'manifestDir: .\n').replace(/manifestDir: \/.*\n/, ''),
      'p.yaml': policy('  podSelector: {}\n  ingress:\n    - from:\n        - podSelecter: {}\n'),
      'apps/demo.yaml': await import('node:fs/promises').then((fs) => fs.readFile(path.join(REPO, 'manifests/apps/demo.yaml'), 'utf8')),
    });
    expect(e.file).toMatch(/p\.yaml$/);
    expect([e.line, e.field, e.detail]).toEqual([9, 'spec.ingress[0].from[0].podSelecter', 'unknown field "podSelecter"']);
  });

  it('an invalid policy (an operator that does not exist)', async () => {
    const dir = await fixture({
      'p.yaml': policy('  podSelector:\n    matchExpressions:\n      - { key: app, operator: Equals, values: [x] }\n'),
    });
    const e = await loadError({ 'x.suite.yaml': suiteWith(`  - name: a\n    apply: [${path.join(dir, 'p.yaml')}]\n`) });
    expect(e.file).toBe(path.relative(process.cwd(), path.join(dir, 'p.yaml')));
    expect(e.line).toBe(8);
    expect(e.field).toBe('spec.podSelector.matchExpressions[0].operator');
  });

  it('a policy field Cilium does not have is refused by name (a field the model only does not simulate loads: test/model/unmodelled.test.ts)', async () => {
    const dir = await fixture({
      'c.yaml': 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: c }\nspec:\n  endpointSelector: {}\n  egress:\n    - toService: [{ k8sService: { serviceName: s, namespace: default } }]\n',
    });
    const e = await loadError({ 'x.suite.yaml': suiteWith(`  - name: a\n    apply: [${path.join(dir, 'c.yaml')}]\n`) });
    expect([e.line, e.detail]).toEqual([7, 'unknown field "toService"']);
  });

  it('a missing manifest file is reported at the suite line that names it', async () => {
    const e = await loadError({ 'x.suite.yaml': suiteWith('  - name: a\n    apply:\n      - policies/nope.yaml\n') });
    expect(e.file).toMatch(/x\.suite\.yaml$/);
    expect(e.line).toBe(7);
    expect(e.detail).toMatch(/policies\/nope\.yaml: file not found/);
  });

  it('an unknown pod is reported at the expectation, before anything runs', async () => {
    const e = await loadError({ 'x.suite.yaml': suiteWith('  - name: a\n    expect:\n      frontendd -> backend:8080: ok\n') });
    expect(e.line).toBe(7);
    expect(e.detail).toBe('step "a": no pod frontendd (label app=frontendd) is running at this step');
  });

  it('an unknown outcome and a malformed cell', async () => {
    const outcome = await loadError({ 'x.suite.yaml': suiteWith('  - name: a\n    expect:\n      frontend -> backend:8080: allowed\n') });
    expect([outcome.line, outcome.detail]).toEqual([7, expect.stringMatching(/^"allowed" is not an outcome/)]);
    const cell = await loadError({ 'x.suite.yaml': suiteWith('  - name: a\n    expect:\n      frontend to backend: ok\n') });
    expect([cell.line, cell.detail]).toEqual([7, 'write a cell as "source -> target"']);
  });

  it('deleting an object that does not exist at that step', async () => {
    const e = await loadError({ 'x.suite.yaml': suiteWith('  - name: a\n    delete: [netpol/never-created]\n') });
    expect([e.line, e.detail]).toEqual([6, 'delete netpol/never-created: NetworkPolicy default/never-created not found']);
  });

  it('an unsupported kind', async () => {
    const dir = await fixture({ 'k.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n' });
    const e = await loadError({ 'x.suite.yaml': suiteWith(`  - name: a\n    apply: [${path.join(dir, 'k.yaml')}]\n`) });
    expect([e.line, e.field]).toEqual([2, 'kind']);
    expect(e.detail).toMatch(/kind "ConfigMap" is not supported/);
  });

  it('a suite file that does not exist', async () => {
    const e = await loadError({}, 'missing.suite.yaml');
    expect(e.detail).toBe('file not found');
  });
});
