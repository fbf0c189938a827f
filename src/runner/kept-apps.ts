// Apps a suite's setup deployed, kept for the next suite whose setup is the same: a cluster run then deploys the
// conformance topology once instead of once per suite (upstream's netpol e2e keeps its namespaces the same way).
// Whatever a suite's steps did is still undone after it; a suite whose steps touch a kept object releases them.
import type { ClusterBackend } from '../backends/backend.ts';
import { formatRef, refOf, type ObjectRef } from '../manifest/objects.ts';
import type { Action } from '../suite/types.ts';

const keyOf = (setup: readonly Action[]) => JSON.stringify(setup.map((a) => (a.kind === 'apply' ? a.objects : a)));

export class KeptApps {
  private key: string | undefined;
  private refs: ObjectRef[] = [];

  matches(setup: readonly Action[]): boolean {
    return this.key !== undefined && this.key === keyOf(setup);
  }

  keep(setup: readonly Action[], refs: readonly ObjectRef[]): void {
    this.key = keyOf(setup);
    this.refs = [...refs];
  }

  /** Whether an action would change a kept object. */
  touches(action: Action): boolean {
    const kept = new Set(this.refs.map(formatRef));
    const refs = action.kind === 'delete' ? action.refs : action.kind === 'apply' ? action.objects.map((o) => refOf(o)) : [];
    return refs.some((r) => kept.has(formatRef(r)));
  }

  /** Deletes the kept apps, newest first. */
  async release(backend: ClusterBackend): Promise<void> {
    const refs = this.refs.reverse();
    this.key = undefined;
    this.refs = [];
    const failures: string[] = [];
    for (const ref of refs) await backend.remove([ref], { ignoreMissing: true }).catch((e: Error) => failures.push(`${formatRef(ref)}: ${e.message}`));
    if (failures.length) throw new Error(`cleanup left behind: ${failures.join('; ')}`);
  }
}
