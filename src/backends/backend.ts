// The one interface every backend implements, so that the runner, probe construction, classification and
// reports run the same code on the model and on a real cluster.
import type { KubeObject, ObjectRef } from '../manifest/objects.ts';
import type { ExecResult } from '../probe/classify.ts';

export interface PodQuery {
  namespace: string;
  labels: Record<string, string>;
}

export interface PodInfo {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ip: string;
  image: string;
  /** The node it runs on, where a cluster has nodes (for evidence from that node's CNI agent). */
  node?: string;
}

export interface PolicyChange {
  applied: ObjectRef[];
  removed: ObjectRef[];
  /** Namespaces and pods whose labels changed (their identities, not the policies). */
  relabelled: ObjectRef[];
}

/** A probe as far as a backend's limits go: its scheme (http, https, tcp, udp, sctp, icmp, dns), the host it goes to, and the image of the pod it runs in. */
export interface ProbeReach {
  scheme: string;
  host: string;
  image?: string;
}

/** What a cluster runs, as far as a backend can tell; every field where known. */
export interface ClusterEnvironment {
  kubernetesVersion?: string;
  ciliumVersion?: string;
  nodeImage?: string;
  kernel?: string;
  /** The CNI, when it is not Cilium. */
  cni?: string;
  /** The installed ClusterNetworkPolicy CRD's network-policy-api channel (standard or experimental), and its release. */
  clusterNetworkPolicyChannel?: string;
  networkPolicyApi?: string;
}

export interface ClusterBackend {
  /** Named in every report, so that no result is mistaken for one from another backend. */
  readonly name: string;
  /**
   * The backend is the model itself: what it observes is the prediction, so a cell the model cannot predict has no
   * observation either (it is reported as not predicted instead of probed).
   */
  readonly observesPredictions?: boolean;
  /**
   * Creates or updates objects (server-side apply on a cluster). Here and below, `signal` is the run's Ctrl-C: it
   * ends the requests, watches and execs in flight at once, with its reason. A cleanup passes none: it must finish.
   */
  apply(objects: KubeObject[], signal?: AbortSignal): Promise<void>;
  /** Deletes objects and waits until they are gone; a missing object is an error unless ignoreMissing. */
  remove(refs: ObjectRef[], options?: { ignoreMissing?: boolean; signal?: AbortSignal }): Promise<void>;
  /** Waits until workloads (Deployments, ReplicaSets, StatefulSets, DaemonSets) and Pods are ready and Services have ready endpoints; `signal` ends the wait early (Ctrl-C). */
  waitReady(refs: ObjectRef[], signal?: AbortSignal): Promise<void>;
  pods(query: PodQuery, signal?: AbortSignal): Promise<PodInfo[]>;
  /** A Service's ClusterIP, or undefined when there is no such Service. */
  serviceIP(service: { namespace: string; name: string }, signal?: AbortSignal): Promise<string | undefined>;
  /** Labels of a Namespace or Pod, or undefined when it does not exist. */
  labels(ref: ObjectRef, signal?: AbortSignal): Promise<Record<string, string> | undefined>;
  /** Sets (string) or removes (null) labels, like `kubectl label`. */
  setLabels(ref: ObjectRef, patch: Record<string, string | null>, signal?: AbortSignal): Promise<void>;
  /**
   * Runs each probe argv in the pod's first container, concurrently where the backend can, and returns one result
   * per argv in order. Throws TransportError when the probes could not be run at all; nothing is retried inside.
   * `signal` (Ctrl-C) may end it early with the signal's reason.
   */
  probe(pod: { namespace: string; name: string }, probes: string[][], timeoutMs: number, signal?: AbortSignal): Promise<ExecResult[]>;
  /**
   * Returns once the datapath enforces the policies as they now are ("confirmed"), or as soon as it is known that
   * the backend cannot tell ("unconfirmed"): then the runner probes until the matrix settles.
   */
  waitEnforced(change: PolicyChange, signal?: AbortSignal): Promise<'confirmed' | 'unconfirmed'>;
  /**
   * Why such a probe cannot run on this backend at all (a protocol its nodes lack, an address nothing there serves),
   * or undefined. Such a cell is reported as not runnable, with this reason, never as passed or failed.
   */
  unprobeable?(probe: ProbeReach): string | undefined;
  /**
   * Switches Cilium's policy audit mode for every endpoint. A backend without it cannot run a suite that switches it
   * on: such a suite is not runnable there (the kube backend: it would take a cilium-config change and a restart of
   * every agent).
   */
  setPolicyAudit?(on: boolean): Promise<void>;
  /**
   * Why the cluster cannot take objects of this kind at all (its API does not serve it: a CRD is not installed), or
   * undefined. A suite that applies such an object is not runnable there, and nothing of it is applied.
   */
  unservedKind?(apiVersion: string, kind: string, signal?: AbortSignal): Promise<string | undefined>;
  /**
   * Why the cluster's API would refuse this object although the model takes it (a ClusterNetworkPolicy peer of
   * network-policy-api's experimental channel where the standard CRD is installed), or undefined. A suite that
   * applies such an object is not runnable there, as with a kind the cluster does not serve.
   */
  unservedFields?(object: KubeObject): Promise<string | undefined>;
  /** What the cluster runs (versions, node image, kernel); the model has none. Never throws: unknown is absent. */
  environment?(): Promise<ClusterEnvironment>;
  /** What the datapath says about a failing cell from this pod (flows, drop reasons, endpoint state, DNS). */
  diagnose?(pod: PodInfo, target: string, signal?: AbortSignal): Promise<string[]>;
}

/** The command never reached the pod (connection lost, API timeout): safe to retry, never a verdict. */
export class TransportError extends Error {
  override readonly name: string = 'TransportError';
}

/**
 * The API server did not answer at all, after the call's retries: the connection was refused or reset, or no answer
 * came within the request timeout (not an HTTP error: a server that answers 5xx is there). A cleanup that meets it
 * sends nothing more and lists what it could not undo.
 */
export class UnreachableError extends TransportError {
  override readonly name: string = 'UnreachableError';
  constructor(
    message: string,
    /** The API server's address, as the kubeconfig names it. */
    readonly server: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
