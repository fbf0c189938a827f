// Cilium's agents, asked through exec (the way cilium-cli's connectivity tests ask them): each endpoint's realized
// policy revision before a change, the same until every endpoint with an identity has realized the revision after
// it, and evidence for a failing cell. Everything comes from `cilium-dbg endpoint list -o json`, which every pinned
// minor serves alike: `policy get` is deprecated in current Cilium, and `policy wait` needs every endpoint of the
// node ready at one instant, which churn can postpone past any timeout (cilium-cli stopped using it for that reason:
// cilium-cli/connectivity/check/policy.go, waitCiliumPolicyRevision).
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecResult } from '../../probe/classify.ts';
import type { PodInfo } from '../backend.ts';

export const AGENT_SELECTOR = { namespace: 'kube-system', labels: { 'k8s-app': 'cilium' } };
export const AGENT_CONTAINER = 'cilium-agent';
const ENDPOINT_LIST = ['cilium-dbg', 'endpoint', 'list', '-o', 'json'];

export type AgentExec = (agent: PodInfo, argv: string[], timeoutMs: number) => Promise<ExecResult>;

const output = (r: ExecResult, what: string) => {
  if (r.exitCode !== 0) throw new Error(`${what} exited with ${r.exitCode}: ${(r.stderr || r.stdout).trim().slice(0, 300)}`);
  return r.stdout;
};

function parseEndpoints(json: string, agent: string): EndpointJson[] {
  try {
    const parsed = JSON.parse(json) as unknown;
    if (Array.isArray(parsed)) return parsed as EndpointJson[];
  } catch {
    // reported below
  }
  throw new Error(`agent ${agent} printed no endpoint list: ${JSON.stringify(json.slice(0, 100))}`);
}

/**
 * The realized policy revision of each endpoint that has a security identity. Endpoints without one have computed
 * no policy yet, and compute it at the current revision once they get one, so they are not waited for.
 */
async function realizedRevisions(exec: AgentExec, agent: PodInfo): Promise<{ id: number | undefined; revision: number }[]> {
  const endpoints = parseEndpoints(output(await exec(agent, ENDPOINT_LIST, 30_000), `endpoint list on ${agent.name}`), agent.name);
  return endpoints.filter((e) => e.status?.identity).map((e) => ({ id: e.id, revision: e.status?.policy?.realized?.['policy-revision'] ?? 0 }));
}

/**
 * The agent's policy revision, as its endpoints have realized it. Read before a change, after the last change has
 * been waited for, every endpoint has realized the repository's revision (Cilium bumps an endpoint's realized
 * revision on every change, also when its own policy stays the same), so the highest is the agent's.
 */
export async function policyRevision(exec: AgentExec, agent: PodInfo): Promise<number> {
  return Math.max(0, ...(await realizedRevisions(exec, agent)).map((e) => e.revision));
}

/**
 * Waits until no endpoint with an identity on the agent's node is below `revision`. Asks again soon at first
 * (regeneration usually takes a fraction of a second), then less often, at most every `intervalMs`.
 */
export async function waitRevision(exec: AgentExec, agent: PodInfo, revision: number, options: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal }): Promise<void> {
  const { timeoutMs, intervalMs = 1000, signal } = options;
  const deadline = Date.now() + timeoutMs;
  for (let delay = Math.min(50, intervalMs); ; delay = Math.min(delay * 2, intervalMs)) {
    const behind = (await realizedRevisions(exec, agent)).filter((e) => e.revision < revision);
    if (behind.length === 0) return;
    if (Date.now() >= deadline) {
      const which = behind.map((e) => `${e.id ?? '?'} at ${e.revision}`).join(', ');
      throw new Error(`policy revision ${revision} not realized on ${agent.name} within ${Math.round(timeoutMs / 1000)} s: endpoint(s) ${which}`);
    }
    await sleep(delay, undefined, { signal });
  }
}

interface EndpointJson {
  id?: number;
  status?: {
    state?: string;
    identity?: { id?: number; labels?: string[] };
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
  if (flows !== undefined) lines.push(`hubble flows from ${pod.namespace}/${pod.name} (node ${agent.node ?? '?'}):`, ...flows.trim().split('\n').filter(Boolean).map((l) => `  ${l}`));
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
