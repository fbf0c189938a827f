// Cilium's agents, asked through exec the way cilium-cli's connectivity tests ask them (cilium-cli/connectivity/
// check/policy.go): before a change, each agent's policy repository revision (getCiliumPolicyRevision: `cilium policy
// get -o jsonpath='{.revision}'`); after it, until no endpoint with an identity on the agent's node is below that
// revision plus the number of changes (waitCiliumPolicyRevision, countEndpointsBelowPolicyRevision, over `cilium
// endpoint list -o json`). Not `policy wait`: it needs every endpoint of the node ready at one instant, which churn
// can postpone past any timeout (cilium-cli stopped using it for that reason). `cilium` in the agent image is a link
// to `cilium-dbg` (cilium-dbg/Makefile), the name used here. After a relabel, until the relabelled pods' endpoints
// carry their new labels in their identity and are ready again, and every agent's ipcache maps their addresses to
// that identity. And evidence for a failing cell.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecResult } from '../../probe/classify.ts';
import type { PodInfo } from '../backend.ts';
import { NAMESPACE_LABELS_PREFIX } from '../../model/cilium-labels.ts';

export const AGENT_SELECTOR = { namespace: 'kube-system', labels: { 'k8s-app': 'cilium' } };
export const AGENT_CONTAINER = 'cilium-agent';
const ENDPOINT_LIST = ['cilium-dbg', 'endpoint', 'list', '-o', 'json'];
const IP_LIST = ['cilium-dbg', 'ip', 'list', '-o', 'json'];
// exec runs no shell: cilium-cli's quotes around the template reach jsonpath as text it prints around the number.
const POLICY_REVISION = ['cilium-dbg', 'policy', 'get', '-o', 'jsonpath={.revision}'];
/** As cilium-cli's getPolicyRevisionRetries: a blip reading a revision should not end the run. */
const REVISION_ATTEMPTS = 3;

export type AgentExec = (agent: PodInfo, argv: string[], timeoutMs: number) => Promise<ExecResult>;

const output = (r: ExecResult, what: string) => {
  if (r.exitCode !== 0) throw new Error(`${what} exited with ${r.exitCode}: ${(r.stderr || r.stdout).trim().slice(0, 300)}`);
  return r.stdout;
};

/** What a cilium-dbg command printed with -o json, which must be an array; null (a nil slice) is an empty one. */
function printedArray<T>(json: string, what: string): T[] {
  try {
    const parsed = JSON.parse(json) as unknown;
    if (parsed === null) return [];
    if (Array.isArray(parsed)) return parsed as T[];
  } catch {
    // reported below
  }
  throw new Error(`${what}: ${JSON.stringify(json.slice(0, 100))}`);
}

const parseEndpoints = (json: string, agent: string) => printedArray<EndpointJson>(json, `agent ${agent} printed no endpoint list`);

async function endpointList(exec: AgentExec, agent: PodInfo): Promise<EndpointJson[]> {
  return parseEndpoints(output(await exec(agent, ENDPOINT_LIST, 30_000), `endpoint list on ${agent.name}`), agent.name);
}

/**
 * The identity of each address in the agent's ipcache (`cilium-dbg ip list -o json`: models.IPListEntry, cidr and
 * identity; a pod's address as ADDR/32). It decides which identity the agent's datapath gives a packet from it.
 */
async function ipcache(exec: AgentExec, agent: PodInfo): Promise<Map<string, number | undefined>> {
  const printed = output(await exec(agent, IP_LIST, 30_000), `ip list on ${agent.name}`);
  const entries = printedArray<{ cidr?: string; identity?: number }>(printed, `agent ${agent.name} printed no ipcache`);
  return new Map(entries.map((e) => [e.cidr?.replace(/\/32$/, '') ?? '', e.identity]));
}

/**
 * The realized policy revision of each endpoint that has a security identity. Endpoints without one have computed
 * no policy yet, and compute it at the current revision once they get one, so they are not waited for; one with an
 * identity and nothing realized is behind (countEndpointsBelowPolicyRevision).
 */
async function realizedRevisions(exec: AgentExec, agent: PodInfo): Promise<{ id: number | undefined; revision: number }[]> {
  const endpoints = await endpointList(exec, agent);
  return endpoints.filter((e) => e.status?.identity).map((e) => ({ id: e.id, revision: e.status?.policy?.realized?.['policy-revision'] ?? 0 }));
}

/**
 * The agent's policy repository revision: every policy import or delete bumps it at once, before any endpoint has
 * realized it, so a target taken from it cannot be met by endpoints still catching up on an earlier change (the
 * highest revision an endpoint has realized can be). Printed as a number and a newline; trimmed of quotes and
 * newlines as cilium-cli trims it.
 */
export async function policyRevision(exec: AgentExec, agent: PodInfo): Promise<number> {
  let failure: Error | undefined;
  for (let attempt = 1; attempt <= REVISION_ATTEMPTS; attempt++) {
    try {
      const printed = output(await exec(agent, POLICY_REVISION, 30_000), `policy get on ${agent.name}`).replace(/^['\n]+|['\n]+$/g, '');
      if (/^\d+$/.test(printed)) return Number(printed);
      failure = new Error(`agent ${agent.name} printed no policy revision: ${JSON.stringify(printed.slice(0, 100))}`);
    } catch (e) {
      failure = e as Error;
    }
  }
  throw failure!;
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Asks `behind` until it names nothing: soon at first (regeneration usually takes a fraction of a second), then
 * less often, at most every `intervalMs`. At the deadline, fails with what it named last.
 */
async function waitUntilNone(behind: () => Promise<string[]>, options: WaitOptions, failure: (left: string, seconds: number) => string): Promise<void> {
  const { timeoutMs, intervalMs = 1000, signal } = options;
  const deadline = Date.now() + timeoutMs;
  for (let delay = Math.min(50, intervalMs); ; delay = Math.min(delay * 2, intervalMs)) {
    const left = await behind();
    if (left.length === 0) return;
    if (Date.now() >= deadline) throw new Error(failure(left.join(', '), Math.round(timeoutMs / 1000)));
    await sleep(delay, undefined, { signal });
  }
}

/** Waits until no endpoint with an identity on the agent's node is below `revision`. */
export async function waitRevision(exec: AgentExec, agent: PodInfo, revision: number, options: WaitOptions): Promise<void> {
  await waitUntilNone(
    async () => (await realizedRevisions(exec, agent)).filter((e) => e.revision < revision).map((e) => `${e.id ?? '?'} at ${e.revision}`),
    options,
    (left, seconds) => `policy revision ${revision} not realized on ${agent.name} within ${seconds} s: endpoint(s) ${left}`,
  );
}

/** Labels set (a value) or removed (null) on a pod, or on a namespace, whose labels every pod in it carries. */
export interface Relabel {
  namespace: string;
  /** Undefined for the namespace's own labels. */
  pod?: string;
  labels: Record<string, string | null>;
}

/** The k8s-sourced labels a relabel leaves on an endpoint (a namespace's as io.cilium.k8s.namespace.labels.*), or none. */
function relabelledTo(endpoint: EndpointJson, relabels: readonly Relabel[]): Map<string, string | null> | undefined {
  const ids = endpoint.status?.['external-identifiers'];
  const [namespace, pod] = ids?.['k8s-namespace'] ? [ids['k8s-namespace'], ids['k8s-pod-name']] : (ids?.['pod-name']?.split('/') ?? []);
  const mine = relabels.filter((r) => r.namespace === namespace && (r.pod === undefined || r.pod === pod));
  if (!namespace || mine.length === 0) return undefined;
  const labels = new Map<string, string | null>();
  for (const r of mine) for (const [k, v] of Object.entries(r.labels)) labels.set(r.pod === undefined ? NAMESPACE_LABELS_PREFIX + k : k, v);
  return labels;
}

/**
 * Why an endpoint does not yet enforce with its new labels, or undefined once it does. The agent sorts a pod's
 * labels into identity labels (status.labels['security-relevant']) and labels its label filter leaves out of the
 * identity (status.labels.derived: pkg/endpoint/api.go, GetModel); an identity label counts once the endpoint's
 * identity carries it (status.identity.labels) and the endpoint has regenerated with that identity (state ready).
 * Labels print as source:key=value, or source:key for an empty value (pkg/labels, Label.String).
 */
function identityBehind(endpoint: EndpointJson, expected: Map<string, string | null>): string | undefined {
  const status = endpoint.status;
  if (!status?.identity) return 'no identity yet';
  const identity = status.identity.labels ?? [];
  const { 'security-relevant': security = [], derived = [] } = status.labels ?? {};
  const withKey = (key: string, list: readonly string[]) => list.find((l) => l === `k8s:${key}` || l.startsWith(`k8s:${key}=`));
  for (const [key, value] of expected) {
    if (value === null) {
      const still = withKey(key, identity) ?? withKey(key, security) ?? withKey(key, derived);
      if (still) return `still carries ${still}`;
      continue;
    }
    const label = value === '' ? `k8s:${key}` : `k8s:${key}=${value}`;
    // A label the agent's label filter leaves out of identities changes nothing to wait for.
    if (derived.includes(label)) continue;
    if (!security.includes(label) || !identity.includes(label)) return `identity ${status.identity.id ?? '?'} lacks ${label}`;
  }
  return status.state === 'ready' ? undefined : `state ${status.state}`;
}

/**
 * Waits until every endpoint of a relabelled pod (or of a pod in a relabelled namespace), on every agent, carries
 * the new labels in its identity and is ready, and then until every agent's ipcache maps those endpoints' addresses
 * to their new identities: what a packet from them is judged as, on every node. A pod without an endpoint (host
 * network) has nothing to wait for.
 */
export async function waitRelabelled(exec: AgentExec, agents: readonly PodInfo[], relabels: readonly Relabel[], options: WaitOptions): Promise<void> {
  const behind = async () => {
    const left: string[] = [];
    const done: { ip: string; identity: number | undefined; pod: string }[] = [];
    for (const [agent, endpoints] of await Promise.all(agents.map(async (a) => [a, await endpointList(exec, a)] as const))) {
      for (const endpoint of endpoints) {
        const expected = relabelledTo(endpoint, relabels);
        if (!expected) continue;
        const pod = endpoint.status?.['external-identifiers']?.['pod-name'] ?? '?';
        const why = identityBehind(endpoint, expected);
        const ip = endpoint.status?.networking?.addressing?.[0]?.ipv4;
        if (why) left.push(`endpoint ${endpoint.id ?? '?'} (${pod}) on ${agent.name}: ${why}`);
        else if (ip) done.push({ ip, identity: endpoint.status?.identity?.id, pod });
      }
    }
    if (left.length || done.length === 0) return left;
    for (const [agent, cache] of await Promise.all(agents.map(async (a) => [a, await ipcache(exec, a)] as const))) {
      for (const { ip, identity, pod } of done) {
        if (cache.get(ip) !== identity) left.push(`${ip} (${pod}) in the ipcache of ${agent.name}: identity ${cache.get(ip) ?? 'none'}, not ${identity ?? '?'}`);
      }
    }
    return left;
  };
  await waitUntilNone(behind, options, (left, seconds) => `relabelled pods' identities not realized within ${seconds} s: ${left}`);
}

interface EndpointJson {
  id?: number;
  status?: {
    state?: string;
    identity?: { id?: number; labels?: string[] };
    labels?: { 'security-relevant'?: string[]; derived?: string[] };
    networking?: { addressing?: { ipv4?: string }[] };
    'external-identifiers'?: { 'k8s-pod-name'?: string; 'k8s-namespace'?: string; 'pod-name'?: string };
    policy?: { realized?: { 'policy-enabled'?: string; 'policy-revision'?: number } };
  };
}

function endpointOf(json: string, pod: PodInfo, agent: PodInfo): string {
  let endpoints: EndpointJson[];
  try {
    endpoints = parseEndpoints(json, agent.name);
  } catch (e) {
    return (e as Error).message;
  }
  const ep = endpoints.find((e) => {
    const ids = e.status?.['external-identifiers'];
    return (ids?.['k8s-pod-name'] === pod.name && ids['k8s-namespace'] === pod.namespace) || ids?.['pod-name'] === `${pod.namespace}/${pod.name}`;
  });
  if (!ep) return `no Cilium endpoint for ${pod.namespace}/${pod.name} on this node`;
  const realized = ep.status?.policy?.realized;
  return `endpoint ${ep.id}: state ${ep.status?.state}, identity ${ep.status?.identity?.id}, enforcement ${realized?.['policy-enabled'] ?? '?'}, policy revision ${realized?.['policy-revision'] ?? '?'}`;
}

/** Hubble flows from the pod (with drop reasons), its endpoint's enforcement state, and what DNS gave for a named target. */
export async function ciliumEvidence(exec: AgentExec, agent: PodInfo, pod: PodInfo, targetHost: string): Promise<string[]> {
  const lines: string[] = [];
  const run = async (argv: string[]) => {
    try {
      return output(await exec(agent, argv, 30_000), argv.slice(0, 3).join(' '));
    } catch (e) {
      lines.push(`(${(e as Error).message})`);
      return undefined;
    }
  };
  const flows = await run(['hubble', 'observe', '--from-pod', `${pod.namespace}/${pod.name}`, '--last', '20', '-o', 'compact']);
  if (flows !== undefined)
    lines.push(
      `hubble flows from ${pod.namespace}/${pod.name} (node ${agent.node ?? '?'}):`,
      ...flows
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => `  ${l}`),
    );
  const endpoints = await run(ENDPOINT_LIST);
  if (endpoints !== undefined) lines.push(endpointOf(endpoints, pod, agent));
  if (!/^[\d.:]+$/.test(targetHost)) {
    const cache = await run(['cilium-dbg', 'fqdn', 'cache', 'list']);
    if (cache !== undefined) {
      const hits = cache.split('\n').filter((l) => l.includes(targetHost));
      lines.push(hits.length ? `FQDN cache for ${targetHost}:` : `FQDN cache has no entry for ${targetHost}`, ...hits.map((l) => `  ${l.trim()}`));
    }
  }
  return lines;
}
