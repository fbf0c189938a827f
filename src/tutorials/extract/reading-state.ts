// What the reading of a tutorial knows at each line, and what it has found so far: one object, handed to each
// part of the reading (blocks, sessions, actions, targets, claims), which reads and changes only what it is about.
import { ModelBackend } from '../../backends/model/model-backend.ts';
import type { KubeObject, ObjectRef } from '../../manifest/objects.ts';
import { formatExpectation, type Expectation } from '../../probe/outcome.ts';
import type { PodSelectorRef, Target } from '../../probe/target.ts';
import type { Action } from '../../suite/types.ts';
import type { DocsConfig } from '../config.ts';
import type { Finding } from '../read/blocks.ts';
import type { Variant } from '../read/claimed-output.ts';
import type { DocCommand, PodField } from '../read/doc-command.ts';
import type { NamedSentence } from '../read/named-outcomes.ts';
import type { OutcomeSentence } from '../read/outcome-sentences.ts';
import type { ProbeCall } from '../read/probe-commands.ts';
import { maskPlaceholders, PLACEHOLDER_MARK, ShellSyntaxError } from '../read/shell.ts';
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
  /** The claim is in words (a sentence, a shell comment), not an output shown. */
  stated?: true;
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
  /** The pod it runs in, as written (`deployment/ui`, `$(kubectl get po -l app=x ...)`): the names the prose may use. */
  client: { pod: string; namespace?: string };
  /** How many changes the text made before it (followed or not). */
  changes: number;
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

/** A shell the reader opened in a pod (or on a node, `kubectl debug node/NAME`). */
export interface Session {
  pod: string;
  namespace?: string;
  /** The pod to delete when the session ends (`kubectl run --rm`). */
  remove?: ObjectRef;
  /** The pod `kubectl run` started for it: deleting that pod ends the shell. */
  created?: ObjectRef;
  /** `kubectl debug node/NAME`: a shell on that node, where no probe is a pod's. */
  node?: string;
  /** How prose names it ("the BusyBox shell", "the client pod"): the pod's name and its image's. */
  names: string[];
  place: Place;
  /** Where the reader last ran kubectl outside it, leaving it open. */
  left?: Place;
}

/** A shell variable set from `kubectl get pods -l app=NAME -o jsonpath=...`. */
export interface Variable {
  pod?: PodSelectorRef;
  field: PodField;
  why?: string;
}

export interface ReadingState {
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
  /** Names of objects the model does not simulate (a Calico GlobalNetworkPolicy): the prose may name them too. */
  readonly definedElsewhere: Set<string>;
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
  /** The probes the text showed last, for the sentences after them that state their outcome (claims.ts). */
  shown: { probes: DocProbe[]; told: boolean; stale?: boolean };
  /** Outcome sentences just before a code block: about its probes if it starts with one, else about those before. */
  held?: { file: string; sentences: Said[]; before: DocProbe[]; each?: boolean };
  /** Sentences that name probes' clients and targets, until the section ends (named-claims.ts). */
  named: NamedHeld[];
  /** How many changes the text made so far, those the reading could not follow included. */
  changes: number;
  /** The first probe of the current section, in `probes`. */
  sectionStart: number;
  /** The latest command that shows flows, while its output may follow. */
  observer?: DocObserver;
  /** Set once a change could not be followed: later claims cannot be checked. */
  lost?: string;
  /**
   * Objects applied that the model does not simulate: claims about their namespace (or all, without one) are not
   * checked; with `pods`, only claims about flows from or to pods carrying those labels there.
   */
  readonly unsimulated: { namespace?: string; pods?: Record<string, string>; why: string }[];
  /** Why it is not known where Cilium's policy audit mode is on (one endpoint, one agent): claims are not checked. */
  audit?: string;
  /** A cilium-config change of policy audit mode the agents take when they restart (audit-mode.ts): till then claims are not checked. */
  pendingAudit?: { on: boolean; why: string };
  /**
   * Each object as last applied from a manifest, where, from which `-f` file, and how many manifests the text had
   * shown by then: the same file changed, or shown changed after it, edits it.
   */
  readonly applied: Map<string, { object: KubeObject; line: number; shown: number; file?: string }>;
  /** The shell the reader is typing into, if any; shells left open for commands run outside them stay in `shells`. */
  session?: Session;
  shells: Session[];
  /** How many prose blocks the shell reading has seen: the ones after it say where the next command runs. */
  proseSeen: number;
}

/** A sentence that names probes, with how many changes the text had made before it (named-claims.ts). */
export interface NamedHeld {
  file: string;
  sentence: NamedSentence;
  changes: number;
}

/** An outcome sentence, and the same sentence read by names, for when its words tie it to no probe shown. */
export interface Said {
  said: OutcomeSentence;
  named?: NamedHeld;
}

export function readingState(config: DocsConfig, resolver: ManifestResolver, findings: Finding[]): ReadingState {
  return {
    model: new ModelBackend(),
    config,
    resolver,
    steps: [],
    probes: [],
    observers: [],
    findings,
    defined: [],
    definedElsewhere: new Set(),
    prose: [],
    vars: new Map(),
    created: new Set(),
    unsimulated: [],
    applied: new Map(),
    leadIn: new Set(),
    lastBlockShowedManifest: false,
    pending: [],
    last: 'other',
    shells: [],
    proseSeen: 0,
    shown: { probes: [], told: false },
    named: [],
    changes: 0,
    sectionStart: 0,
  };
}

export function find(state: ReadingState, severity: Finding['severity'], rule: string, place: Place, message: string) {
  state.findings.push({ file: place.file, line: place.line, severity, rule, message });
}

// Commands a placeholder leaves nothing to check in: they change nothing and probe nothing.
const INERT = new Set<DocCommand['kind']>(['other', 'syntax', 'skipped']);

/**
 * A command line parsed, or a bad-shell finding at its line and nothing to run. A placeholder the reader fills in
 * (`<your-pod-name>`) leaves a probe or a shell not checkable (a warning: its pod or target is not known), and a
 * change not followed.
 */
export function parseShell(state: ReadingState, place: Place, text: string, parse: (line: string) => DocCommand[]): DocCommand[] {
  const { line, placeholders } = maskPlaceholders(text);
  try {
    return parse(line).map((c): DocCommand => {
      if (placeholders.length === 0 || INERT.has(c.kind) || !JSON.stringify(c).includes(PLACEHOLDER_MARK)) return c;
      const why = `${text}: ${placeholders.join(', ')} is for the reader to fill in`;
      if (c.kind !== 'probe' && c.kind !== 'session') return { kind: 'unsupported', why };
      find(state, 'warning', 'placeholder', place, `${why}: not checked`);
      return c;
    });
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e;
    find(state, 'error', 'bad-shell', place, `${e.message}: ${text}`);
    return [];
  }
}

/** A manifest's objects are defined from here on, applied or only shown (for the prose lint). */
export function define(state: ReadingState, read: { objects: readonly KubeObject[]; unmodelled: readonly { name?: string }[] }) {
  state.defined.push(...read.objects);
  for (const u of read.unmodelled) if (u.name) state.definedElsewhere.add(u.name);
}

/** A claim stated in words (a sentence, a shell comment) at its line. */
export const statedClaim = (file: string, line: number, text: string, expect: Expectation): DocClaim => ({ file, line, output: text, expect, reason: `"${text}" (${formatExpectation(expect)})`, stated: true });
