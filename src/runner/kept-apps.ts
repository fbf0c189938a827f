// Apps a suite's setup deployed, kept for the next suite whose setup is the same: a cluster run then deploys the
// conformance topology once instead of once per suite (upstream's netpol e2e keeps its namespaces the same way).
// Whatever a suite's steps did is still undone after it; a suite whose steps touch a kept object releases them.
import type { ClusterBackend } from '../backends/backend.ts';
import { formatRef, refOf, type ObjectRef } from '../manifest/objects.ts';
import type { Action } from '../suite/types.ts';
import type { LeftBehind } from './left-behind.ts';

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

  /** Deletes the kept apps, newest first; what it cannot delete is recorded in `left`. */
  async release(backend: ClusterBackend, left: LeftBehind): Promise<void> {
    const refs = this.refs.reverse();
    this.key = undefined;
    this.refs = [];
    for (const ref of refs) await left.undo(() => backend.remove([ref], { ignoreMissing: true }), { what: 'object', ref });
  }
}
