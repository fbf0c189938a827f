// An extraction as a suite: in memory for `docs check` (objects keep their lines in the tutorial, so explanations
// point there), and as a suite file for `docs extract -o`.
import path from 'node:path';
import { stringify } from 'yaml';
import type { ObjectRef } from '../../manifest/objects.ts';
import { formatExpectation, type Expectation } from '../../probe/outcome.ts';
import type { SuiteFile } from '../../suite/schema.ts';
import { loadApp, worldOf } from '../../suite/load.ts';
import type { AppSource } from '../../suite/apps.ts';
import { readTextFile } from '../../input/read-text.ts';
import type { Action, Cell, Suite } from '../../suite/types.ts';
import type { DocsConfig } from '../config.ts';
import type { Extraction } from './extract.ts';
import type { DocProbe } from './reading-state.ts';

/** The docs config's apps, each the package's built-in copy (a tutorial has no manifestDir of its own). */
export async function setupActions(config: DocsConfig): Promise<{ actions: Action[]; apps: AppSource[] }> {
  const actions: Action[] = [];
  const apps: AppSource[] = [];
  for (const [i, { name, line }] of config.apps.entries()) {
    const { action, source } = await loadApp(name, undefined, readTextFile, { file: config.file ?? 'docs config', line, field: `apps[${i}]` });
    actions.push(action);
    apps.push(source);
  }
  return { actions, apps };
}

/** A probe's expectation: that of its first claim that says something about connectivity. */
function expectationOf(probe: DocProbe): { expect: Expectation; claim: string } | undefined {
  const claim = probe.claims.find((c) => c.expect);
  return claim && { expect: claim.expect!, claim: `${claim.file}:${claim.line}` };
}

/** External hosts: every name outside the cluster a probe targets, answering what the claims say (else 200). */
function externalOf(x: Extraction): SuiteFile['external'] {
  const external: Record<string, Record<string, number>> = {};
  const namespaces = new Set(['default', 'kube-system', ...x.defined.map((o) => (o.kind === 'Namespace' ? o.metadata.name : (o.metadata.namespace ?? 'default')))]);
  for (const probe of x.probes) {
    const host = probe.cell?.to.host;
    if (host?.kind !== 'name' || !isExternal(host.name, namespaces)) continue;
    const ports = (external[host.name] ??= {});
    const status = probe.claims.map((c) => (c.expect && 'status' in c.expect ? c.expect.status : undefined)).find((s) => s !== undefined);
    ports[String(probe.cell!.to.port)] = status ?? ports[String(probe.cell!.to.port)] ?? 200;
  }
  return { ...external, ...x.config.external };
}

/** A name with a dot that is not a Service's name: not `service.namespace[.svc[.cluster.local]]`. */
function isExternal(name: string, namespaces: ReadonlySet<string>): boolean {
  const labels = name.replace(/\.$/, '').split('.');
  if (labels.length < 2 || /\.svc(\.cluster\.local)?$/.test(name.replace(/\.$/, ''))) return false;
  return !(labels.length === 2 && namespaces.has(labels[1]!));
}

/** The `--connect-timeout` the tutorial's probes use most (5 s when none gives one). */
function connectTimeoutOf(x: Extraction): number {
  const uses = new Map<number, number>();
  for (const {
    call: { connectTimeout: seconds },
  } of x.probes)
    if (seconds) uses.set(seconds, (uses.get(seconds) ?? 0) + 1);
  return [...uses].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 5;
}

export function docSuite(x: Extraction, setup: Action[], apps: AppSource[]): Suite {
  const steps = x.steps.map((step) => {
    const cells = new Map<string, Cell>();
    for (const probe of step.probes) {
      if (!probe.cell || cells.has(probe.cell.key)) continue;
      const e = expectationOf(probe);
      if (!e) continue;
      cells.set(probe.cell.key, { key: probe.cell.key, from: probe.cell.from, to: probe.cell.to, expect: e.expect, claim: e.claim, line: probe.line });
    }
    return { name: step.name, line: step.line, claim: `${step.file}:${step.line}`, actions: step.actions.map((a) => a.action), cells: [...cells.values()] };
  });
  return {
    name: suiteName(x),
    file: x.target,
    source: `extracted from ${x.target}`,
    world: worldOf(externalOf(x)),
    podLabel: 'app',
    connectTimeoutSeconds: connectTimeoutOf(x),
    setup,
    apps,
    steps,
  };
}

function suiteName(x: Extraction): string {
  const titles = x.tutorial.chapters.map((c) => c.title).filter((t): t is string => t !== undefined);
  return titles.length ? titles.join(' / ') : path.basename(x.target);
}

const refText = (ref: ObjectRef) => (ref.namespace ? `${ref.namespace}/${ref.kind.toLowerCase()}/${ref.name}` : `${ref.kind.toLowerCase()}/${ref.name}`);

// A suite step switches policy audit mode, runs its labels, then its applies, then its deletes: a tutorial step in another order is written as
// several suite steps, the last one holding the expectations.
const RANK = { 'policy-audit': 0, label: 1, apply: 2, delete: 3 } as const;

function inSuiteOrder(actions: readonly Action[]): Action[][] {
  const parts: Action[][] = [];
  for (const action of actions) {
    const last = parts.at(-1);
    if (last && RANK[last.at(-1)!.kind] <= RANK[action.kind]) last.push(action);
    else parts.push([action]);
  }
  return parts.length ? parts : [[]];
}

function stepFields(actions: readonly Action[]) {
  const of = <K extends Action['kind']>(kind: K) => actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
  const audit = of('policy-audit').at(-1);
  return {
    ...(audit && { policyAuditMode: audit.on }),
    ...(of('label').length > 0 && {
      label: of('label').map((a) => ({ ...('namespace' in a.target ? { namespace: a.target.namespace } : { pod: `${a.target.pod.namespace}/${a.target.pod.name}` }), set: a.set })),
    }),
    ...(of('apply').length > 0 && { apply: of('apply').flatMap((a) => a.objects) }),
    ...(of('delete').length > 0 && { delete: of('delete').flatMap((a) => a.refs.map(refText)) }),
  };
}

/** The suite file for `docs extract -o FILE`: manifests inline, each step and expectation citing its line. */
export function suiteYaml(x: Extraction, suite: Suite): string {
  const steps: SuiteFile['steps'] = x.steps.flatMap((step, i) => {
    const s = suite.steps[i]!;
    const expect = Object.fromEntries(s.cells.map((c) => [c.key, { outcome: formatExpectation(c.expect!), claim: c.claim }]));
    if (step.actions.length === 0 && s.cells.length === 0) return [];
    const parts = inSuiteOrder(s.actions);
    return parts.map((actions, k) => ({
      name: parts.length > 1 ? `${step.name} (part ${k + 1} of ${parts.length})` : step.name,
      claim: k === 0 ? s.claim : `${step.file}:${actions[0]!.line}`,
      ...stepFields(actions),
      ...(k === parts.length - 1 && s.cells.length > 0 && { expect }),
    }));
  });
  const file: Record<string, unknown> = {
    name: suite.name,
    source: `extracted by netpol-e2e docs extract from ${x.target}`,
    // Built-in apps resolve from anywhere (suite/apps.ts): the suite needs no manifestDir for them.
    ...(x.config.apps.length > 0 && { apps: x.config.apps.map((a) => a.name) }),
    ...(suite.world.length > 0 && { external: externalOf(x) }),
    probe: { connectTimeout: suite.connectTimeoutSeconds },
    steps,
  };
  return stringify(file, { lineWidth: 0 });
}
