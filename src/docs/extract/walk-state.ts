// What the walk through a tutorial knows at each line, and what it has found so far: one object, handed to each
// part of the walk (blocks, sessions, actions, targets, claims), which reads and changes only what it is about.
import { ModelBackend } from '../../backends/model/model-backend.ts';
import type { KubeObject, ObjectRef } from '../../manifest/objects.ts';
import type { Expectation } from '../../probe/outcome.ts';
import type { PodSelectorRef, Target } from '../../probe/target.ts';
import type { Action } from '../../suite/types.ts';
import type { DocsConfig } from '../config.ts';
import type { Finding } from '../read/blocks.ts';
import type { Variant } from '../read/claimed-output.ts';
import type { DocCommand, PodField } from '../read/commands.ts';
import type { ProbeCall } from '../read/probe-commands.ts';
import { ShellSyntaxError } from '../read/shell.ts';
import type { ManifestResolver } from './manifests.ts';

export interface Place {
  file: string;
  line: number;
}

export interface DocClaim extends Place {
  /** The output as shown, lines joined. */
  output: string;
  expect?: Expectation;
  /** Whose words the output is in (busybox wget, OpenBSD nc, ...), to say what that client would print instead. */
  variant?: Variant;
  /** Why the output means that outcome. */
  reason?: string;
  /** Why the output cannot be checked (it says nothing about connectivity). */
  why?: string;
}

export interface DocProbe extends Place {
  command: string;
  step: number;
  cell?: { key: string; from: PodSelectorRef; to: Target };
  /** Why the probe cannot be run (an unknown pod, a variable never set, a state the harness lost track of). */
  problem?: string;
  claims: DocClaim[];
  /** How the text names it, to match output sections (`# Frontend`, `# Call to https://...`). */
  names: string[];
  /** The client and how it was called (its timeout, what it prints). */
  call: ProbeCall;
  /** The heading it ran under: flows shown later in the same section may be its. */
  heading?: string;
}

/** A command that shows flows (`hubble observe`, `cilium monitor`): the flows it shows that no probe of the text made are its claims. */
export interface DocObserver extends Place {
  command: string;
  claims: DocClaim[];
}

export interface DocAction extends Place {
  command: string;
  action: Action;
  /** The model's fingerprint before and after: an action that returns to an earlier state undoes it. */
  before: string;
  after: string;
  /** A pod `kubectl run --rm` starts and deletes around its probe: bookkeeping, not a change the text makes. */
  throwaway?: boolean;
}

export interface DocStep extends Place {
  name: string;
  actions: DocAction[];
  probes: DocProbe[];
}

/** A pod's shell the reader is typing into. */
export interface Session {
  pod: string;
  namespace?: string;
  /** The pod to delete when the session ends (`kubectl run --rm`). */
  remove?: ObjectRef;
  place: Place;
}

/** A shell variable set from `kubectl get pods -l app=NAME -o jsonpath=...`. */
export interface Variable {
  pod?: PodSelectorRef;
  field: PodField;
  why?: string;
}

export interface WalkState {
  readonly model: ModelBackend;
  readonly config: DocsConfig;
  readonly resolver: ManifestResolver;
  readonly steps: DocStep[];
  readonly probes: DocProbe[];
  /** Commands that showed flows no probe of the text made. */
  readonly observers: DocObserver[];
  readonly findings: Finding[];
  /** Every object any manifest in the text defines, applied or not (for the prose lint). */
  readonly defined: KubeObject[];
  readonly prose: (Place & { text: string })[];
  readonly vars: Map<string, Variable>;
  /** Every object some step created so far, formatted. */
  readonly created: Set<string>;
  /** Names the steps: the chapter's title, then its latest heading. */
  heading?: string;
  /** File names the prose mentioned since the last code block: they name the next manifest shown. */
  leadIn: Set<string>;
  lastBlockShowedManifest: boolean;
  /** Probes whose output has not been shown yet, and what the latest command was. */
  pending: DocProbe[];
  last: 'probe' | 'hubble' | 'other';
  /** The latest command that shows flows, while its output may follow. */
  observer?: DocObserver;
  /** Set once a change could not be followed: later claims cannot be checked. */
  lost?: string;
  /** The pod whose shell the reader is typing into, if any. */
  session?: Session;
}

export function walkState(config: DocsConfig, resolver: ManifestResolver, findings: Finding[]): WalkState {
  return {
    model: new ModelBackend(),
    config,
    resolver,
    steps: [],
    probes: [],
    observers: [],
    findings,
    defined: [],
    prose: [],
    vars: new Map(),
    created: new Set(),
    leadIn: new Set(),
    lastBlockShowedManifest: false,
    pending: [],
    last: 'other',
  };
}

export function find(state: WalkState, severity: Finding['severity'], rule: string, place: Place, message: string) {
  state.findings.push({ file: place.file, line: place.line, severity, rule, message });
}

/** A command line parsed, or a bad-shell finding at its line and nothing to run. */
export function parseShell(state: WalkState, place: Place, text: string, parse: () => DocCommand[]): DocCommand[] {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e;
    find(state, 'error', 'bad-shell', place, `${e.message}: ${text}`);
    return [];
  }
}
