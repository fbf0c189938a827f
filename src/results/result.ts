// What a run produces; the JSON report writes these as they are (docs/results-json.md).
import type { ClusterEnvironment } from '../backends/backend.ts';
import type { RunEnvironmentData, SuiteResultData } from './format.ts';
import type { AppSource } from '../suite/apps.ts';

export interface CellEvidence {
  pod: string;
  command: string[];
  exitCode: number;
  stderr: string;
  /** The first line curl printed on stdout (the HTTP status line). */
  stdout: string;
  /** Why the observation was classified as it was. */
  reason: string;
}

export interface CellResult {
  from: string;
  to: string;
  /** Absent for matrix cells the step does not assert; those pass when observation and prediction agree. */
  expected?: string;
  predicted: string;
  observed: string;
  pass: boolean;
  agreesWithModel: boolean;
  /** Where the tutorial makes this claim. */
  claim?: string;
  /** The suite line of the expectation. */
  line: number;
  resolved?: { name: string; ip: string };
  evidence?: CellEvidence;
  /** The model's account of the predicted outcome, one line per decision. */
  explanation: string[];
  /** Set when a deny held but proves nothing: the source never connected anywhere in the run. */
  unproven?: string;
  /** Set when the backend cannot run this probe at all (observed is then "not-runnable"): why. Neither a pass nor a failure. */
  notRunnable?: string;
  /**
   * Set when the model does not simulate a field this cell depends on (predicted is then "unpredicted"): which, and
   * where. On a cluster the cell is judged by its expectation alone; on the model it is not predicted and fails.
   */
  unpredicted?: string;
  /**
   * Set when the prediction rests on a server whose image the catalog does not know (its declared ports were
   * trusted): why. docs check does not judge a claim on it from the model alone.
   */
  assumed?: string;
  /** Set when the cell failed as a known divergence says it does on these versions (then pass is true): why, and where. */
  known?: string;
  /** What the backend's datapath said about this failing cell (flows, drop reasons, endpoint state, DNS). */
  diagnostics?: string[];
}

export interface StepResult {
  index: number;
  name: string;
  claim?: string;
  actions: string[];
  convergenceMs: number;
  /** "unconfirmed": the backend could not confirm enforcement, so the matrix was probed until it settled. */
  enforcement: 'confirmed' | 'unconfirmed';
  /** Where the step's time went: its actions, the enforcement wait, the first probing, probing again until settled. */
  timing: StepTiming;
  /** The policies in force after the step, as the model sees them: each with its source, whom it selects and isolates. */
  policies?: string[];
  cells: CellResult[];
}

export interface StepTiming {
  applyMs: number;
  enforceMs: number;
  probeMs: number;
  settleMs: number;
}

export interface SuiteResult {
  name: string;
  file: string;
  source?: string;
  /** Which file each app was read from: the suite's manifestDir, or the package's built-in copy. */
  apps?: AppSource[];
  backend: string;
  steps: StepResult[];
  counts: { cells: number; asserted: number; claims: number; failed: number; execErrors: number; notRunnable: number; unpredicted: number };
  pass: boolean;
  /** Set when the run stopped early: an action failed, cleanup failed, or it was interrupted. */
  error?: string;
}

/** What a run ran on: results that know their environment can be compared across Cilium and Kubernetes versions. */
export interface RunEnvironment extends ClusterEnvironment {
  /** model, kind or context. */
  backend: string;
  netpolE2e: { version: string; commit?: string };
}

// These types and the schemas of results/format.ts describe one format: each must be assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const RESULT_TYPES_MATCH_SCHEMA: [Same<SuiteResult, SuiteResultData>, Same<RunEnvironment, RunEnvironmentData>] = [true, true];
