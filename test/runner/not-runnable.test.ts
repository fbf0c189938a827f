// Cells a backend cannot run at all are reported one by one as not runnable, with the reason: never dropped, never
// counted as passed or failed. The limits are the kube backend's own (KubeBackend.unprobeable), put on the model's
// datapath so that the whole runner is exercised.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ProbeReach } from '../../src/backends/backend.ts';
import { KubeBackend } from '../../src/backends/kube/kube-backend.ts';
import { ModelBackend } from '../../src/backends/model/model-backend.ts';
import { checkDocs } from '../support/check-docs.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { predictSuite } from '../../src/runner/predict.ts';
import { runSuite } from '../../src/runner/run-suite.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { REPO } from '../support/fixture.ts';

function kube(options: { sctp?: boolean; servedWorld?: string[] }): KubeBackend {
  // Never contacted: unprobeable answers from what cluster:up recorded.
  const config = new KubeConfig();
  config.loadFromOptions({ clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  return new KubeBackend(config, { name: 'test', ...options });
}

/** The model's datapath behind the limits of a kube backend with these options. */
function limited(world: ModelBackend['cluster']['world'], options: { sctp?: boolean; servedWorld?: string[] }) {
  const backend = new ModelBackend(world);
  const limits = kube(options);
  const applied: string[] = [];
  const apply = backend.apply.bind(backend);
  backend.apply = async (objects) => {
    applied.push(...objects.map((o) => `${o.kind} ${o.metadata.name}`));
    return apply(objects);
  };
  return Object.assign(backend, { unprobeable: (p: ProbeReach) => limits.unprobeable(p), applied });
}

const conformance = (prefix: string) => loadSuite(path.join(REPO, 'suites/conformance', readdirSync(path.join(REPO, 'suites/conformance')).find((f) => f.startsWith(prefix))!));

describe('cells a backend cannot run', () => {
  it('knows what the kube backend cannot run: SCTP without the module, reserved addresses nothing holds', () => {
    expect(kube({ sctp: false }).unprobeable({ scheme: 'sctp', host: '10.244.1.2' })).toMatch(/no SCTP/);
    expect(kube({}).unprobeable({ scheme: 'sctp', host: '10.244.1.2' })).toBeUndefined();
    expect(kube({ servedWorld: [] }).unprobeable({ scheme: 'http', host: '198.51.100.20' })).toMatch(/nothing on this cluster serves 198\.51\.100\.20/);
    expect(kube({ servedWorld: ['198.51.100.20'] }).unprobeable({ scheme: 'http', host: '198.51.100.20' })).toBeUndefined();
    // Names and real addresses are the internet's business, not the world server's.
    expect(kube({ servedWorld: [] }).unprobeable({ scheme: 'https', host: 'kubernetes.io' })).toBeUndefined();
    expect(kube({ servedWorld: [] }).unprobeable({ scheme: 'https', host: '1.1.1.1' })).toBeUndefined();
  });

  it('reports every cell of an SCTP suite as not runnable where the nodes lack SCTP, and applies nothing', async () => {
    const suite = await conformance('45-');
    const backend = limited(suite.world, { sctp: false });
    const result = await runSuite(suite, backend, await predictSuite(suite));
    const cells = result.steps.flatMap((s) => s.cells);
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c) => c.observed === 'not-runnable' && c.pass && /serve SCTP, and the nodes' kernel has no SCTP/.test(c.notRunnable!))).toBe(true);
    expect(result.counts.notRunnable).toBe(cells.length);
    expect(result.counts.failed).toBe(0);
    expect(backend.applied).toEqual([]);
  });

  it('probes the cells it can and names those it cannot, cell by cell', async () => {
    const suite = await conformance('39-');
    const backend = limited(suite.world, { servedWorld: ['198.51.100.20'] });
    const result = await runSuite(suite, backend, await predictSuite(suite));
    const cells = result.steps.flatMap((s) => s.cells);
    const skipped = cells.filter((c) => c.notRunnable);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((c) => c.to.includes('198.51.100.10') && c.evidence === undefined)).toBe(true);
    expect(cells.filter((c) => c.to.includes('198.51.100.20')).every((c) => c.notRunnable === undefined && c.observed !== 'not-runnable')).toBe(true);
    expect(result.counts.notRunnable).toBe(skipped.length);
    expect(result.pass).toBe(true);
  });

  it('makes a tutorial claim on such a cell not checkable, with the reason, never contradicted', async () => {
    const { extraction, suite } = await extractTutorial(path.join(REPO, 'tutorials/seeds/000_89d52f9fa1fc5b7b.txt'));
    const backend = Object.assign(new ModelBackend(suite.world), { unprobeable: ({ scheme }: ProbeReach) => (scheme === 'https' ? 'no route to the internet here' : undefined) });
    const check = await checkDocs(extraction, suite, backend);
    const https = check.claims.filter((c) => c.command.includes('https://'));
    expect(https.length).toBeGreaterThan(0);
    expect(https.every((c) => c.verdict === 'not-checkable' && c.why === 'not runnable on this backend: no route to the internet here')).toBe(true);
    expect(check.claims.filter((c) => c.verdict === 'contradicted')).toEqual([]);
  });
});
