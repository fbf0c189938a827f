// What a run left behind on the cluster: the things its cleanup could not undo (objects, labels, Cilium's policy
// audit mode), each with why, and the API server it could no longer reach. A result of the run like its cells, so
// that the report prints it (report/left-behind.ts) without knowing the runner, which records it (runner/left-behind.ts).
import type { ObjectRef } from '../manifest/objects.ts';

/** A thing to undo: an object to delete, labels to restore (`restore`: the values to set again, null: remove), audit mode to switch off. */
export type Undoing = { what: 'object'; ref: ObjectRef } | { what: 'labels'; ref: ObjectRef; restore: Record<string, string | null> } | { what: 'audit mode' };
/** A thing the cleanup could not undo, and why. */
export type Left = Undoing & { why: string };

/** What the cleanups of a run could not undo, in the order they met them. */
export interface LeftOnCluster {
  readonly entries: readonly Left[];
  /** The API server the cleanup found unreachable (after a call's own retries), when it did: nothing more was sent. */
  readonly unreachable: { readonly server: string; readonly message: string } | undefined;
}
