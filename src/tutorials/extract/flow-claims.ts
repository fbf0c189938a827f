// Flow lines a tutorial shows (`hubble observe`, `cilium monitor`) as claims about the probes whose flows they are.
// A flow is the most recent probe's of the same section that went from the flow's source pod to its destination (a
// pod of the Service the probe named, the pod whose IP it used, or the outside host) on its port and protocol; it
// claims what hubbleClaim reads in it. A flow no probe made (traffic the text never generated, from the world or
// another node) claims nothing a probe can check: it is the showing command's claim, not checkable, with the reason.
import type { ModelPod } from '../../model/cluster.ts';
import { workloadPodNames } from '../../model/workload-pods.ts';
import { targetProtocol, type PodSelectorRef, type Target } from '../../probe/target.ts';
import type { SourceLine } from '../read/blocks.ts';
import type { ClaimedOutcome } from '../read/claimed-output.ts';
import { hubbleClaim, parseHubbleLine, type FlowEndpoint, type HubbleFlow } from '../read/hubble-lines.ts';
import { parseMonitorLine } from '../read/monitor-lines.ts';
import { generatedBy, POD_LABEL } from './targets.ts';
import type { DocClaim, DocProbe, Place, ReadingState } from './reading-state.ts';

/** A line of `hubble observe` (compact or JSON) or of `cilium monitor` as a flow. */
function parseFlowLine(text: string): HubbleFlow | undefined {
  return parseHubbleLine(text) ?? parseMonitorLine(text);
}

/** Whether a command shows flows: `hubble observe`, `cilium monitor`, `cilium-dbg monitor` (also through kubectl exec). */
export function showsFlows(text: string): boolean {
  return /(?:^|[\s/])hubble\s+observe\b|(?:^|[\s/])cilium(?:-dbg)?\s+monitor\b/.test(text);
}

/** A command that shows flows: the output after it is read as flows. */
export function observeFlows(state: ReadingState, place: Place, text: string) {
  state.last = 'hubble';
  state.observer = { ...place, command: text, claims: [] };
  state.observers.push(state.observer);
}

/** Whether output lines hold flows (no client prints one, so they are flows whatever command came before). */
export function holdsFlows(lines: SourceLine[]): boolean {
  return flowsIn(lines).length > 0;
}

/** The flows of output lines: one a line, or a JSON flow pretty-printed over several lines (`-o json | jq`). */
function flowsIn(lines: SourceLine[]): { line: number; output: string; flow: HubbleFlow }[] {
  const found: { line: number; output: string; flow: HubbleFlow }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const { text, line } = lines[i]!;
    const flow = parseFlowLine(text);
    if (flow) {
      found.push({ line, output: text.trim(), flow });
      continue;
    }
    if (text.trim() !== '{') continue;
    // jq closes the object with a brace at the indentation it opened it with.
    const indent = text.indexOf('{');
    const end = lines.findIndex((l, j) => j > i && l.text.indexOf('}') === indent && l.text.trimEnd().length === indent + 1);
    const object =
      end < 0
        ? undefined
        : lines
            .slice(i, end + 1)
            .map((l) => l.text)
            .join('\n');
    const pretty = object === undefined ? undefined : parseHubbleLine(object);
    if (!pretty) continue;
    found.push({ line, output: JSON.stringify(JSON.parse(object!)), flow: pretty });
    i = end;
  }
  return found;
}

/** Each distinct flow of an output block, as a claim of its probe, else of `shower` (the command that showed it). */
export function flowOutput(state: ReadingState, file: string, lines: SourceLine[], shower: { claims: DocClaim[] }) {
  const seen = new Set<string>();
  const byProbe = new Map<DocProbe, (DocClaim & { delivered: boolean })[]>();
  for (const { line, output, flow } of flowsIn(lines)) {
    // A flow shown again (a retransmitted SYN, a line repeated) claims nothing new.
    if (seen.has(flowKey(flow))) continue;
    seen.add(flowKey(flow));
    const at = { file, line, output };
    const found = probeOf(state, file, flow);
    if ('why' in found) {
      shower.claims.push({ ...at, why: `${found.why}: nothing the text runs can check it` });
      continue;
    }
    const claimed: ClaimedOutcome = auditedUnfollowed(state, flow) ?? hubbleClaim(flow);
    // The probe's own DNS query: its drop is the probe's failed lookup; let through, it says nothing of the connection.
    if (found.lookup && !('expect' in claimed && claimed.expect.outcome === 'dns-timeout')) continue;
    byProbe.set(found.probe, [...(byProbe.get(found.probe) ?? []), { ...at, ...claimed, delivered: delivered(flow) }]);
  }
  // Of one probe's flows, each outcome once; its packets that say nothing only when no flow says something. A packet
  // let through at one end (an EGRESS verdict) and denied at the other is denied: the denial is what the client sees.
  // But a packet that reached the server beside one that did not are two attempts (before and after a change): which
  // one the probe's is, is not said.
  for (const [probe, flows] of byProbe) {
    const claims = flows.map(({ delivered: _, ...c }) => c);
    const failed = claims.some((c) => c.expect && c.expect.outcome !== 'ok');
    if (failed && flows.some((f) => f.delivered && f.expect?.outcome === 'ok')) {
      const { file: at, line, output } = claims[0]!;
      probe.claims.push({ file: at, line, output, why: 'the flows shown for it disagree: some reached the server, some were dropped, as two attempts would' });
      continue;
    }
    const said = claims.filter((c) => c.expect && !(failed && c.expect.outcome === 'ok'));
    const outcomes = new Set<string>();
    const kept = said.length ? said.filter((c) => !outcomes.has(JSON.stringify(c.expect)) && outcomes.add(JSON.stringify(c.expect))) : claims.slice(0, 1);
    probe.claims.push(...kept);
  }
}

/**
 * An audited flow where the harness follows no policy audit mode: the text switched it on in a way the reader did not
 * see (at install, in another chapter), and the model, enforcing, would judge it a drop.
 */
function auditedUnfollowed(state: ReadingState, flow: HubbleFlow): ClaimedOutcome | undefined {
  if (flow.verdict !== 'audited' || state.model.cluster.auditing()) return undefined;
  return { why: `${flow.type} AUDITED: the text shows policy audit mode on, but no command of it that switches it on for every endpoint came before` };
}

/** Whether the flow shows the packet delivered to the server (its ingress verdict, to-endpoint, or the server's reply). */
const delivered = (f: HubbleFlow) => f.verdict === 'allowed' && (f.reply === true || f.type === 'to-endpoint' || /INGRESS/.test(f.type));

type Found = { probe: DocProbe; lookup: boolean } | { why: string };

function probeOf(state: ReadingState, file: string, flow: HubbleFlow): Found {
  const src = flow.source;
  const reserved = reservedOf(src);
  if (reserved) return { why: `the flow comes from ${reserved}${src.ip ? ` (${src.ip})` : ''}, not from a pod a probe of the text runs in` };
  if (!src.pod && !src.identity) return { why: `the flow comes from ${describe({ ...src, port: undefined })}, which is no pod the text names` };
  const from = src.pod ? podsNamed(state, src) : undefined;
  if (from?.length === 0) return { why: `the flow comes from ${describe({ ...src, port: undefined })}, which is no pod of the text's` };
  const probes = state.probes.filter((p) => p.file === file && p.heading === state.heading && p.cell).reverse();
  // A flow known only by a pod's identity number or by `world` fits every such probe: it is theirs only if they agree.
  const loose: DocProbe[] = [];
  for (const probe of probes) {
    const { from: client, to } = probe.cell!;
    if (from && !from.some((p) => isOf(p, client))) continue;
    // A source known only by its identity number may be any pod: its lookups cannot be told apart.
    if (from && isLookup(flow, to)) return { probe, lookup: true };
    const fit = reaches(state, flow, client, to);
    if (fit === 'exact' && from) return { probe, lookup: false };
    if (fit) loose.push(probe);
  }
  const targets = new Set(loose.map((p) => p.cell!.key));
  if (targets.size === 1) return { probe: loose[0]!, lookup: false };
  if (targets.size > 1) return { why: `the flow from ${describe({ ...src, port: undefined })} to ${describe(flow.destination)} fits ${targets.size} probes (${[...targets].join('; ')}): which one's it is is not said` };
  return { why: `no probe of the text before it in this section goes from ${describe({ ...src, port: undefined })} to ${describe(flow.destination)}` };
}

// cilium/cilium pkg/identity/numericidentity.go (commit 005d3ed3): identities 1-8 are reserved (host, world, unmanaged,
// health, init, remote-node, kube-apiserver, ingress); 100 and up are well-known pods such as CoreDNS.
function reservedOf(e: FlowEndpoint): string | undefined {
  if (!e.identity) return undefined;
  const n = /^ID:(\d+)$/.exec(e.identity)?.[1];
  if (n === undefined) return e.identity;
  return Number(n) <= 8 ? `reserved identity ${n}` : undefined;
}

/** The model's pods a pod name Hubble printed stands for: a bare Pod's own, or those of the workload that generated it. */
function podsNamed(state: ReadingState, e: FlowEndpoint): ModelPod[] {
  const namespace = e.namespace ?? 'default';
  const pods = state.model.cluster.pods().filter((p) => p.namespace === namespace);
  const own = pods.filter((p) => p.name === e.pod);
  if (own.length) return own;
  const owner = generatedBy(state, e.pod!, namespace);
  const names = owner ? new Set(workloadPodNames(state.model.cluster.get(owner)!)) : new Set<string>();
  return pods.filter((p) => names.has(p.name));
}

const isOf = (pod: ModelPod, ref: PodSelectorRef) => pod.namespace === ref.namespace && pod.labels[ref.label ?? POD_LABEL] === ref.name;

/** A query to port 53 from a probe that names its target: the probe's own lookup. */
const isLookup = (flow: HubbleFlow, to: Target) => flow.destination.port === 53 && to.host.kind === 'name' && !/^[\d.]+$/.test(to.host.name) && (to.port !== 53 || flow.protocol === 'UDP');

/** Whether the flow goes where the probe went: `exact` by the pod, name or address, `world` only by being outside. */
function reaches(state: ReadingState, flow: HubbleFlow, client: PodSelectorRef, to: Target): 'exact' | 'world' | false {
  const proto = targetProtocol(to);
  if (flow.protocol && (proto ? flow.protocol !== proto : !flow.protocol.startsWith('ICMP'))) return false;
  const dst = flow.destination;
  const host = to.host;
  if (dst.pod) {
    const pods = podsNamed(state, dst);
    if (host.kind === 'pod-ip') return pods.some((p) => isOf(p, host.pod)) && (dst.port ?? 0) === to.port && 'exact';
    const service = host.kind === 'service-ip' ? host.service : host.kind === 'name' ? serviceNamed(host.name, client.namespace) : undefined;
    return service !== undefined && backs(state, pods, service, to.port, dst.port ?? 0) && 'exact';
  }
  if (host.kind !== 'name' || (dst.port ?? 0) !== to.port) return false;
  const name = host.name.replace(/\.$/, '').toLowerCase();
  if (dst.ip === name || dst.names?.some((n) => n.replace(/\.$/, '').toLowerCase() === name)) return 'exact';
  // An address outside the cluster, for a probe to a name that is no Service: the outside host.
  const service = serviceNamed(name, client.namespace);
  return dst.identity === 'world' && !(service && state.model.cluster.services().some((s) => s.namespace === service.namespace && s.name === service.name)) && 'world';
}

/** `svc`, `svc.ns`, `svc.ns.svc[.cluster.local]` as a Service's namespace and name. */
function serviceNamed(name: string, namespace: string): PodSelectorRef | undefined {
  const m = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?\.?$/.exec(name);
  return m ? { namespace: m[2] ?? namespace, name: m[1]! } : undefined;
}

/** Whether some of `pods` back the Service on `port`, reached on `podPort` (its target port). */
function backs(state: ReadingState, pods: ModelPod[], service: PodSelectorRef, port: number, podPort: number): boolean {
  const s = state.model.cluster.services().find((x) => x.namespace === service.namespace && x.name === service.name);
  const entry = s?.selector && s.ports.find((p) => p.port === port);
  if (!s?.selector || !entry) return false;
  const selector = s.selector;
  return pods.some((p) => p.namespace === s.namespace && Object.entries(selector).every(([k, v]) => p.labels[k] === v) && targetPortOf(p, entry.targetPort) === podPort);
}

// A named target port is the container port of that name.
const targetPortOf = (pod: ModelPod, target: number | string) => (typeof target === 'number' ? target : pod.containerPorts.find((c) => c.name === target)?.port);

const flowKey = (f: HubbleFlow) => JSON.stringify([{ ...f.source, port: undefined }, f.destination, f.protocol, f.tcpFlags, f.type, f.verdict, f.http]);

function describe(e: FlowEndpoint): string {
  const host = e.pod ? `${e.namespace}/${e.pod}` : (e.names?.join(',') ?? e.ip ?? 'an unknown address');
  return `${host}${e.port ? `:${e.port}` : ''}${e.identity && !e.pod ? ` (${e.identity})` : ''}`;
}
