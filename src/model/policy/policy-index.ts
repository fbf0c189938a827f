// Policies indexed by the pods they select, with each rule's pod peers computed once per pod set: a verdict then
// costs a few array lookups, which is what lets the model compute a 1,000,000-cell matrix in well under a second.
import type { ModelPod } from '../cluster.ts';
import type { CompiledPolicy, CompiledRule, Direction, PolicySource, Tier } from './types.ts';

export class IndexedRule {
  private matches?: Uint8Array;

  constructor(
    readonly policy: PolicySource,
    readonly rule: CompiledRule,
    private readonly pods: readonly ModelPod[],
  ) {}

  /** Whether the rule names this pod as a peer (computed for every pod the first time it is asked). */
  matchesPod(pod: ModelPod): boolean {
    const select = this.rule.peer.pods;
    if (!select) return false;
    this.matches ??= Uint8Array.from(this.pods, (p) => (select(p) ? 1 : 0));
    return this.matches[pod.index] === 1;
  }
}

export interface Side {
  /** Policies that put the pod into default deny in this direction. */
  isolatedBy: PolicySource[];
  allow: IndexedRule[];
  deny: IndexedRule[];
  /** ClusterNetworkPolicy rules of each tier, in precedence order (first match decides). */
  tiers: Record<Tier, IndexedRule[]>;
}

export class PolicyIndex {
  private readonly rules: { policy: CompiledPolicy; ingress: { allow: IndexedRule[]; deny: IndexedRule[] }; egress: { allow: IndexedRule[]; deny: IndexedRule[] } }[];
  private readonly sides: ({ ingress: Side; egress: Side } | undefined)[];

  constructor(
    readonly pods: readonly ModelPod[],
    readonly policies: readonly CompiledPolicy[],
  ) {
    const index = (policy: CompiledPolicy, rules: readonly CompiledRule[]) => rules.map((r) => new IndexedRule(policy.source, r, pods));
    this.rules = policies.map((policy) => ({
      policy,
      ingress: { allow: index(policy, policy.ingress.allow), deny: index(policy, policy.ingress.deny) },
      egress: { allow: index(policy, policy.egress.allow), deny: index(policy, policy.egress.deny) },
    }));
    // Stryker disable next-line ArrayDeclaration: the size is only preallocation
    this.sides = new Array(pods.length);
  }

  side(pod: ModelPod, direction: Direction): Side {
    return (this.sides[pod.index] ??= this.sidesOf(pod))[direction];
  }

  /** The rules of the policies selecting a pod, by direction, computed the first time the pod is asked about. */
  private sidesOf(pod: ModelPod): { ingress: Side; egress: Side } {
    const empty = (): Side => ({ isolatedBy: [], allow: [], deny: [], tiers: { Admin: [], Baseline: [] } });
    const sides = { ingress: empty(), egress: empty() };
    for (const { policy, ingress, egress } of this.rules) {
      if (!policy.selects(pod)) continue;
      for (const [d, rules] of [
        ['ingress', ingress],
        ['egress', egress],
      ] as const) {
        if (policy[d].isolates) sides[d].isolatedBy.push(policy.source);
        if (policy.tier) {
          sides[d].tiers[policy.tier].push(...rules.allow);
          continue;
        }
        sides[d].allow.push(...rules.allow);
        sides[d].deny.push(...rules.deny);
      }
    }
    for (const side of [sides.ingress, sides.egress]) for (const rules of Object.values(side.tiers)) rules.sort((a, b) => a.rule.tiered!.priority - b.rule.tiered!.priority);
    return sides;
  }

  /** The pods a policy selects. */
  selectedBy(policy: CompiledPolicy): ModelPod[] {
    return this.pods.filter((p) => policy.selects(p));
  }
}
