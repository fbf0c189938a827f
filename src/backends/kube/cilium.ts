// Cilium's agents, asked through exec (the way cilium-cli's connectivity tests ask them): the policy revision before
// a change, `policy wait` until every endpoint has realized the revision after it, and evidence for a failing cell.
import type { ExecResult } from '../../probe/classify.ts';
import type { PodInfo } from '../backend.ts';

export const AGENT_SELECTOR = { namespace: 'kube-system', labels: { 'k8s-app': 'cilium' } };
export const AGENT_CONTAINER = 'cilium-agent';

export type AgentExec = (agent: PodInfo, argv: string[], timeoutMs: number) => Promise<ExecResult>;

const output = (r: ExecResult, what: string) => {
  if (r.exitCode !== 0) throw new Error(`${what} exited with ${r.exitCode}: ${(r.stderr || r.stdout).trim().slice(0, 300)}`);
  return r.stdout;
};

export async function policyRevision(exec: AgentExec, agent: PodInfo): Promise<number> {
  const text = output(await exec(agent, ['cilium-dbg', 'policy', 'get', '-o', 'jsonpath={.revision}'], 30_000), `policy revision on ${agent.name}`);
  const revision = Number(text.replace(/['"\s]/g, ''));
  if (!Number.isInteger(revision)) throw new Error(`agent ${agent.name} printed no policy revision: ${JSON.stringify(text.slice(0, 100))}`);
  return revision;
}

/** Waits until every endpoint the agent manages has realized `revision`. */
export async function waitRevision(exec: AgentExec, agent: PodInfo, revision: number, timeoutMs: number): Promise<void> {
  const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  output(await exec(agent, ['cilium-dbg', 'policy', 'wait', String(revision), '--max-wait-time', seconds], timeoutMs + 10_000), `policy wait ${revision} on ${agent.name}`);
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

function endpointOf(json: string, pod: PodInfo): string {
  let endpoints: EndpointJson[];
  try {
    endpoints = JSON.parse(json) as EndpointJson[];
  } catch {
    return 'endpoint list: not JSON';
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
  const endpoints = await run(['cilium-dbg', 'endpoint', 'list', '-o', 'json']);
  if (endpoints !== undefined) lines.push(endpointOf(endpoints, pod));
  if (!/^[\d.:]+$/.test(targetHost)) {
    const cache = await run(['cilium-dbg', 'fqdn', 'cache', 'list']);
    if (cache !== undefined) {
      const hits = cache.split('\n').filter((l) => l.includes(targetHost));
      lines.push(hits.length ? `FQDN cache for ${targetHost}:` : `FQDN cache has no entry for ${targetHost}`, ...hits.map((l) => `  ${l.trim()}`));
    }
  }
  return lines;
}
