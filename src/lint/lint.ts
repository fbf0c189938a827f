// `netpol-e2e lint`: what in a suite's policies cannot do what its author meant, found by walking the suite on the
// model: policies that select no pod, toFQDNs rules no DNS proxy feeds, ipBlock/CIDR rules aimed at pod IPs (which
// Cilium never matches), steps that change nothing, and declared ports the image does not listen on (image catalog).
import { ModelBackend } from '../backends/model/model-backend.ts';
import type { ModelCluster, ModelPod } from '../model/cluster.ts';
import { NO_FQDNS, type CompiledPolicy } from '../model/policy/types.ts';
import { decide } from '../model/policy/verdict.ts';
import { formatPolicy } from '../model/trace.ts';
import { walkSuite } from '../runner/walk.ts';
import type { Suite } from '../suite/types.ts';

export type LintRule = 'selects-no-pod' | 'fqdn-without-dns-proxy' | 'cidr-aimed-at-pods' | 'step-without-effect' | 'declared-port-not-served';

export interface Finding {
  file: string;
  line?: number;
  rule: LintRule;
  message: string;
}

function ruleFindings(cluster: ModelCluster, policy: CompiledPolicy, selected: readonly ModelPod[]): Finding[] {
  const { source } = policy;
  const index = cluster.policyIndex();
  const dnsServer = cluster.dnsServer();
  const findings: Finding[] = [];
  const pods = cluster.pods();
  for (const direction of ['ingress', 'egress'] as const) {
    for (const rule of [...policy[direction].allow, ...policy[direction].deny]) {
      const where = { file: source.file ?? '?', line: rule.line ?? source.line };
      const world = rule.peer.world;
      const covered = world ? pods.find((p) => world(p.ip)) : undefined;
      if (covered) {
        findings.push({
          ...where,
          rule: 'cidr-aimed-at-pods',
          message: `${source.name} ${rule.path}: its CIDR covers pod IPs (${covered.namespace}/${covered.name} ${covered.ip}), but on Cilium CIDR rules never select pods: use pod and namespace selectors`,
        });
      }
      if (direction === 'egress' && rule.peer.fqdn) {
        const unproxied = selected.filter((pod) => !(dnsServer && decide(index, 'egress', { source: { kind: 'pod', pod }, destination: { kind: 'pod', pod: dnsServer }, port: 53, protocol: 'UDP', context: NO_FQDNS }).dnsProxy));
        if (unproxied.length) {
          findings.push({
            ...where,
            rule: 'fqdn-without-dns-proxy',
            message: `${source.name} ${rule.path}: toFQDNs can never match for ${unproxied.map((p) => `${p.namespace}/${p.name}`).join(', ')}: no rule sends their DNS through Cilium's DNS proxy (toPorts on port 53 with rules.dns), so no address is ever learned`,
          });
        }
      }
    }
  }
  return findings;
}

/** Declared ports the pods' images do not listen on, at the manifest line that declares them. */
function portFindings(cluster: ModelCluster, fallback: string): Finding[] {
  return cluster.pods().flatMap((pod) => pod.unservedPorts.map((u) => ({ file: u.file ?? fallback, line: u.line, rule: 'declared-port-not-served' as const, message: u.message })));
}

/** The same, for the apps a suite deploys before its first step: what `run` warns about. */
export async function setupPortFindings(suite: Suite): Promise<Finding[]> {
  const model = await setUp(suite);
  return portFindings(model.cluster, suite.file);
}

async function setUp(suite: Suite): Promise<ModelBackend> {
  const model = new ModelBackend(suite.world);
  for (const action of suite.setup) if (action.kind === 'apply') await model.apply(action.objects);
  return model;
}

export async function lintSuite(suite: Suite): Promise<Finding[]> {
  const model = await setUp(suite);
  let before = model.cluster.fingerprint();
  const walker = new ModelBackend(suite.world);
  const findings = new Map<string, Finding>();
  const add = (f: Finding) => findings.set(`${f.rule} ${f.file}:${f.line} ${f.message}`, f);
  // A policy may select no pod at one step and some at a later one (after a relabel): only never is a finding.
  const selection = new Map<string, { policy: CompiledPolicy; ever: boolean }>();
  for await (const walked of walkSuite(suite, walker)) {
    const after = walker.cluster.fingerprint();
    if (walked.step.actions.length > 0 && after === before) {
      add({ file: suite.file, line: walked.step.line, rule: 'step-without-effect', message: `step "${walked.step.name}" leaves every object and label as it was: what it probes proves nothing new` });
    }
    before = after;
    for (const f of portFindings(walker.cluster, suite.file)) add(f);
    for (const policy of walker.cluster.policies()) {
      const selected = walker.cluster.policyIndex().selectedBy(policy);
      for (const f of ruleFindings(walker.cluster, policy, selected)) add(f);
      const key = formatPolicy(policy.source);
      const ever = (selection.get(key)?.ever ?? false) || selected.length > 0;
      selection.set(key, { policy, ever });
    }
  }
  for (const { policy, ever } of selection.values()) {
    if (ever) continue;
    const { source } = policy;
    add({ file: source.file ?? '?', line: source.line, rule: 'selects-no-pod', message: `${formatPolicy(source)} selects no pod at any step: it changes nothing` });
  }
  return [...findings.values()];
}
