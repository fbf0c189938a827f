// Known divergences whose cells pass again on the versions run: said after a run or a comparison, so that the file
// keeps only what still diverges.
import pc from 'picocolors';
import { inertDeep } from '../report/inert.ts';
import type { KnownDivergence } from '../results/known-divergences.ts';
import { writeLine } from './io.ts';

export function reportStale(raw: readonly KnownDivergence[], out: NodeJS.WritableStream): void {
  for (const e of inertDeep(raw)) writeLine(out, pc.yellow(`stale known divergence at ${e.at}: ${e.suite} / ${e.from} -> ${e.to} no longer diverges on these versions: remove the entry`));
}
