// Records what the cleanup of a run could not undo (results/left-behind.ts): objects it could not delete, labels it
// could not restore, and why. One record for the whole run, so that the run ends with one message listing them all
// (report/left-behind.ts). Once the API server could not be reached at all (after a call's own retries), the cleanup
// sends nothing more: every later undo is recorded as not tried, so a dead server ends the cleanup after one call's
// retries, not one per object.
import { UnreachableError } from '../backends/backend.ts';
import { formatRef } from '../manifest/objects.ts';
import type { Left, LeftOnCluster, Undoing } from '../results/left-behind.ts';

export class LeftBehind implements LeftOnCluster {
  /** In the order the cleanup met them. */
  readonly entries: Left[] = [];
  /** The first call that found the API server unreachable. */
  unreachable: UnreachableError | undefined;

  /**
   * Undoes one thing with `call`, or, when the API server is known unreachable, records it at once without a
   * request; what fails is recorded with its reason.
   */
  async undo(call: () => Promise<void>, left: Undoing): Promise<void> {
    if (this.unreachable) return void this.entries.push({ ...left, why: `not tried: ${this.unreachable.server} could not be reached` });
    try {
      await call();
    } catch (e) {
      if (e instanceof UnreachableError) this.unreachable ??= e;
      this.entries.push({ ...left, why: (e as Error).message });
    }
  }

  /**
   * What was recorded after `mark` (an earlier `entries.length`), in one line for a suite's error, things left for
   * the same reason in a row told together; undefined when nothing.
   */
  since(mark: number): string | undefined {
    const groups: { names: string[]; why: string }[] = [];
    for (const l of this.entries.slice(mark)) {
      const name = l.what === 'audit mode' ? 'policy audit mode' : l.what === 'labels' ? `labels of ${formatRef(l.ref)}` : formatRef(l.ref);
      const last = groups.at(-1);
      if (last?.why === l.why) last.names.push(name);
      else groups.push({ names: [name], why: l.why });
    }
    return groups.length ? `cleanup left behind: ${groups.map((g) => `${g.names.join(', ')}: ${g.why}`).join('; ')}` : undefined;
  }
}
