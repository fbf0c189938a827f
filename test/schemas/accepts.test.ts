// The schemas accept what the repository holds and what netpol-e2e writes: every suite, every docs config, the
// examples of the docs, the suites `docs extract` writes, and a results file and a comparison from a real run on the
// model. (The schema is looser than the loader where zod's refinements have no JSON Schema; it must never be stricter.)
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeGeneratedSuite } from '../../bench/generate-suite.ts';
import { ModelBackend } from '../../src/backends/model/model-backend.ts';
import { runEnvironment } from '../../src/session/environment.ts';
import { DocsConfigSchema } from '../../src/tutorials/config.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { suiteYaml } from '../../src/tutorials/extract/suite.ts';
import { filesUnder } from '../../src/input/find-files.ts';
import { validate } from '../../src/input/validate.ts';
import { parseYamlDocs } from '../../src/input/yaml-source.ts';
import { compareRuns, readRun } from '../../src/results/compare.ts';
import { json } from '../../src/report/inert.ts';
import { writeResults } from '../../src/report/json.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { runSuite } from '../../src/runner/run-suite.ts';
import { discoverSuites } from '../../src/suite/discover.ts';
import { KnownDivergencesSchema } from '../../src/results/known-divergences.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { SuiteSchema } from '../../src/suite/schema.ts';
import { fixture, REPO } from '../support/fixture.ts';
import { schemaError, yamlValue } from '../support/json-schema.ts';

const read = (file: string) => readFile(path.join(REPO, file), 'utf8');
/** The YAML blocks of a markdown file, in order. */
const yamlBlocks = async (file: string) => [...(await read(file)).matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('every suite of the repository', async () => {
  const files = (await discoverSuites([path.join(REPO, 'suites')])).map((f) => path.relative(REPO, f));
  it('is many (the conformance pack too)', () => expect(files.length).toBeGreaterThan(50));
  it.each(files)('%s', async (file) => {
    expect(schemaError('suite.schema.json', yamlValue(await read(file), file))).toBeUndefined();
  });
});

describe('every docs config of the repository', async () => {
  const files = [...(await filesUnder(path.join(REPO, 'tutorials'), (n) => n.endsWith('netpol-docs.yaml'))), ...(await filesUnder(path.join(REPO, 'test/fixtures'), (n) => n.endsWith('netpol-docs.yaml')))].map((f) => path.relative(REPO, f));
  it('is many', () => expect(files.length).toBeGreaterThan(20));
  it.each(files)('%s', async (file) => {
    expect(schemaError('docs-config.schema.json', yamlValue(await read(file), file))).toBeUndefined();
  });
});

describe('the examples of the docs (each is also what the loader validates)', () => {
  it("docs/suite-format.md's first example is a whole suite", async () => {
    const [example] = await yamlBlocks('docs/suite-format.md');
    expect(example).toMatch(/^# yaml-language-server: \$schema=/);
    const doc = parseYamlDocs(example!, 'docs/suite-format.md')[0]!;
    expect(() => validate(SuiteSchema, doc)).not.toThrow();
    expect(schemaError('suite.schema.json', doc.value)).toBeUndefined();
  });

  it("docs/tutorials.md's docs config", async () => {
    const example = (await yamlBlocks('docs/tutorials.md')).find((b) => b.startsWith('apps:'))!;
    const doc = parseYamlDocs(example, 'docs/tutorials.md')[0]!;
    expect(() => validate(DocsConfigSchema, doc)).not.toThrow();
    expect(schemaError('docs-config.schema.json', doc.value)).toBeUndefined();
  });

  it("docs/results-json.md's known divergences", async () => {
    const example = (await yamlBlocks('docs/results-json.md')).find((b) => b.startsWith('- suite:'))!;
    const doc = parseYamlDocs(example, 'docs/results-json.md')[0]!;
    expect(() => validate(KnownDivergencesSchema, doc)).not.toThrow();
    expect(schemaError('known-divergences.schema.json', doc.value)).toBeUndefined();
  });
});

describe('what netpol-e2e writes', () => {
  it.each(['000_89d52f9fa1fc5b7b.txt', '003_87bba962e4e6e360.txt', '004_12ab6aaadef4ac20.txt'])('the suite docs extract writes for seed %s', async (seed) => {
    const { extraction, suite } = await extractTutorial(path.join(REPO, 'tutorials/seeds', seed));
    expect(schemaError('suite.schema.json', yamlValue(suiteYaml(extraction, suite)))).toBeUndefined();
  });

  it('a results file of a run on the model, and the comparison of it with a run that regressed', async () => {
    const dir = await fixture({});
    const suites = await Promise.all(['cilium-dns-aware', 'network-policy-tutorial'].map((n) => loadSuite(path.join(REPO, `suites/${n}.suite.yaml`))));
    const results = [];
    for (const suite of suites) results.push(await runSuite(suite, new ModelBackend(suite.world), await predictSuite(suite)));
    const model = path.join(dir, 'model.json');
    await writeResults(model, await runEnvironment('model'), results);
    const written = JSON.parse(await readFile(model, 'utf8')) as { suites: { steps: { cells: { observed: string; pass: boolean; agreesWithModel: boolean }[] }[] }[] };
    expect(schemaError('results.schema.json', written)).toBeUndefined();

    // The same run as another Cilium observed it: one cell that passed now fails.
    Object.assign(written.suites[0]!.steps[1]!.cells[0]!, { observed: 'refused', pass: false, agreesWithModel: false });
    const worse = path.join(dir, 'worse.json');
    await writeResults(worse, { ...(await runEnvironment('model')), ciliumVersion: '1.20.2' }, written.suites as never);
    const comparison = JSON.parse(json(compareRuns([await readRun(worse)], await readRun(model)))) as { cells: { status: string }[] };
    expect(comparison.cells.map((c) => c.status)).toEqual(['regression']);
    expect(schemaError('compare.schema.json', comparison)).toBeUndefined();
  });
});

describe('the generated suites of the benchmark', () => {
  it.each([1, 2, 7, 40])('%i pods: loaded by the loader, accepted by the schema', async (pods) => {
    const file = await writeGeneratedSuite(await fixture({}), pods, `gen-${pods}`);
    await expect(loadSuite(file)).resolves.toBeDefined();
    expect(schemaError('suite.schema.json', yamlValue(await readFile(file, 'utf8')))).toBeUndefined();
  });
});
