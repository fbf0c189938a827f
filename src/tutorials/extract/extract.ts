// Follows a tutorial the way its reader would: chapter after chapter, block after block, command after command.
// The reading's parts share one state (reading-state.ts): blocks.ts reads the blocks, sessions.ts the lines typed into a
// pod's shell, actions.ts says what each command does, changes.ts tries the changes on the model as suite actions
// (manifest-files.ts reads `-f PATH`), targets.ts resolves pods and probe targets, claims.ts turns probes into cells
// and the output after them into claims.
import { formatRef, refOf, type KubeObject } from '../../manifest/objects.ts';
import type { Action } from '../../suite/types.ts';
import type { DocsConfig } from '../config.ts';
import type { Finding } from '../read/blocks.ts';
import type { Tutorial } from '../read/tutorial.ts';
import { block, chapter } from './blocks.ts';
import { lintUndos } from './changes.ts';
import { applySetup } from './manifest-files.ts';
import { resolveHeld } from './claims.ts';
import { resolveNamed } from './named-claims.ts';
import { ManifestResolver } from './manifests.ts';
import { lintProse } from './prose-lint.ts';
import { endSession } from './sessions.ts';
import { readingState, type DocObserver, type DocProbe, type DocStep, type Place } from './reading-state.ts';

export interface Extraction {
  target: string;
  tutorial: Tutorial;
  config: DocsConfig;
  steps: DocStep[];
  probes: DocProbe[];
  /** Commands that showed flows no probe made (hubble observe, cilium monitor), with those flows as claims. */
  observers: DocObserver[];
  findings: Finding[];
  /** Every object any manifest in the text defines, applied or not (for the prose lint). */
  defined: KubeObject[];
  prose: (Place & { text: string })[];
}

export async function extract(target: string, tutorial: Tutorial, config: DocsConfig, setup: Action[]): Promise<Extraction> {
  const state = readingState(config, new ManifestResolver(tutorial, config), [...tutorial.findings]);
  for (const a of setup) if (a.kind === 'apply') for (const o of a.objects) state.created.add(formatRef(refOf(o)));
  for (const a of setup) if (a.kind === 'apply') state.defined.push(...a.objects);
  for (const action of setup) if (action.kind === 'apply') await state.model.apply(action.objects);
  await applySetup(state);
  for (const c of tutorial.chapters) {
    await chapter(state, c);
    for (const b of c.blocks) await block(state, c, b);
  }
  resolveHeld(state);
  resolveNamed(state);
  await endSession(state);
  lintUndos(state);
  const { steps, probes, observers, findings, defined, prose } = state;
  findings.push(...lintProse(prose, defined, state.definedElsewhere));
  return { target, tutorial, config, steps, probes, observers, findings, defined, prose };
}
