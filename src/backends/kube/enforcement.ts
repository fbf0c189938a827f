// What changed since the last wait for enforcement (policies applied or deleted, pods and namespaces relabelled), and
// that wait: on Cilium, until every agent's endpoints have realized the new policy revision and the relabelled pods'
// endpoints carry their new identity (cilium.ts). Without Cilium agents there is nothing to ask: the runner probes
// until the matrix settles.
import type { PodInfo } from '../backend.ts';
import { policyRevision, waitRelabelled, waitRevision, type AgentExec, type Relabel } from './cilium.ts';

export interface EnforcementOptions {
  /** Bound on the wait for policy revisions and identities. */
  waitTimeoutMs: number;
  /** How often an agent's endpoints are asked whether they have realized a policy revision. */
  revisionPollMs: number;
}

export class Enforcement {
  private listed: PodInfo[] | undefined;
  /** Each agent's revision before the first policy change since the last wait, and how many policies changed. */
  private baseline: Map<string, number> | undefined;
  private policyChanges = 0;
  /** Labels changed on pods and namespaces since the last wait, in order. */
  private relabels: Relabel[] = [];

  constructor(
    /** The Cilium agents' pods, as listed now. */
    private readonly listAgents: (signal?: AbortSignal) => Promise<PodInfo[]>,
    /** Execs in Cilium agents, ended by `signal`. */
    private readonly agentExec: (signal?: AbortSignal) => AgentExec,
    private readonly options: EnforcementOptions,
  ) {}

  /** The agents, listed once (and again before each change). */
  async agents(signal?: AbortSignal): Promise<PodInfo[]> {
    this.listed ??= await this.listAgents(signal);
    return this.listed;
  }

  /** Before a change: each agent's revision, unless it was taken since the last wait. */
  async beforeChange(signal?: AbortSignal): Promise<void> {
    if (this.baseline) return;
    // Listed afresh for every change: an agent may have restarted under a new name since the last one.
    this.listed = await this.listAgents(signal);
    const agents = this.listed;
    const entries = await Promise.all(agents.map(async (a) => [a.name, await policyRevision(this.agentExec(signal), a)] as const));
    this.baseline = new Map(entries);
  }

  /** A policy was created, changed or deleted: one more revision to wait for. */
  policyChanged(): void {
    this.policyChanges++;
  }

  relabelled(relabel: Relabel): void {
    this.relabels.push(relabel);
  }

  /** Waits until the agents have realized every change since the last wait. */
  async wait(signal?: AbortSignal): Promise<'confirmed' | 'unconfirmed'> {
    const agents = await this.agents(signal);
    const baseline = this.baseline;
    const changes = this.policyChanges;
    const relabels = this.relabels;
    this.baseline = undefined;
    this.policyChanges = 0;
    this.relabels = [];
    // Elsewhere the runner probes until the matrix settles.
    if (agents.length === 0) return 'unconfirmed';
    const options = { timeoutMs: this.options.waitTimeoutMs, intervalMs: this.options.revisionPollMs, signal };
    if (baseline && changes > 0) {
      await Promise.all(
        agents.map(async (agent) => {
          const before = baseline.get(agent.name);
          // An agent that started after the baseline has the new policies from its start.
          if (before === undefined) return;
          await waitRevision(this.agentExec(signal), agent, before + changes, options);
        }),
      );
    }
    // Relabelling changes identities, not the revision: wait until the endpoints carry the new ones.
    if (relabels.length) await waitRelabelled(this.agentExec(signal), agents, relabels, options);
    return 'confirmed';
  }
}
