// A suite after loading: every file read and validated, every cell parsed, every line known.
import type { KubeObject, ObjectRef } from '../manifest/objects.ts';
import type { WorldHost } from '../world/world.ts';
import type { Expectation } from '../probe/outcome.ts';
import type { AppSource } from './apps.ts';
import type { PodSelectorRef, Target } from '../probe/target.ts';

export type Action =
  | { kind: 'apply'; objects: KubeObject[]; what: string; line: number }
  | { kind: 'delete'; refs: ObjectRef[]; what: string; line: number }
  | { kind: 'label'; target: { namespace: string } | { pod: PodSelectorRef }; set: Record<string, string | null>; what: string; line: number }
  /** Cilium's policy audit mode for every endpoint (the agents' option): on, policy drops are forwarded as audited. */
  | { kind: 'policy-audit'; on: boolean; what: string; line: number };

export interface Cell {
  /** `from -> to` as the suite writes it */
  key: string;
  from: PodSelectorRef;
  to: Target;
  expect?: Expectation;
  claim?: string;
  line: number;
  /** A matrix cell: skipped at steps where its pods do not exist (yet), rather than an error. */
  optional?: boolean;
}

export interface Step {
  name: string;
  line: number;
  claim?: string;
  actions: Action[];
  cells: Cell[];
}

export interface Suite {
  name: string;
  /** The line of `name` in the suite file. */
  nameLine?: number;
  file: string;
  source?: string;
  world: WorldHost[];
  /** The pod label whose value names pods in cells. */
  podLabel: string;
  connectTimeoutSeconds: number;
  /** The network-policy-api channel whose ClusterNetworkPolicy CRD the suite needs (absent: standard, as cluster:up installs). */
  clusterNetworkPolicyChannel?: 'standard' | 'experimental';
  /** Deploys the apps; runs before the first step. */
  setup: Action[];
  /** Which file each app was read from (the suite's manifestDir, or the package's built-in copy). */
  apps?: AppSource[];
  steps: Step[];
}
