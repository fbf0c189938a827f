// A real cluster through the Kubernetes API (client-node): server-side apply as field manager netpol-e2e, deletes
// and readiness confirmed through watches, probes run by one exec per source pod, and on Cilium each change waited
// for until every agent's endpoints have realized the new policy revision, and each relabel until the relabelled
// pods' endpoints carry their new identity.
import { PatchStrategy, VersionApi, type KubeConfig, type KubernetesObject, type V1Node, type V1Pod } from '@kubernetes/client-node';
import pLimit from 'p-limit';
import { formatRef, refOf, type KubeObject, type ObjectRef } from '../../manifest/objects.ts';
import type { ExecResult } from '../../probe/classify.ts';
import { lookupToolProblem } from '../../model/client-profile.ts';
import { isReservedAddress } from '../../world/world.ts';
import { TransportError, type ClusterBackend, type ClusterEnvironment, type PodInfo, type PodQuery, type PolicyChange, type ProbeReach } from '../backend.ts';
import { apiError, isNotFound, isUnrecognizedKind } from './api-errors.ts';
import { AGENT_CONTAINER, AGENT_SELECTOR, ciliumEvidence, type AgentExec } from './cilium.ts';
import { Enforcement } from './enforcement.ts';
import { execInPod } from './exec.ts';
import { apiVersionOf, KIND_REQUIREMENTS, POLICY_KINDS } from '../../manifest/kinds.ts';
import { CLUSTER_NP_CHANNEL_ANNOTATION, experimentalChannelFields, type ClusterNetworkPolicy } from '../../manifest/schemas/cluster-network-policy.ts';
import { formatPath } from '../../input/input-error.ts';
import { ApiTransport, type ApiBounds } from './bounded-http.ts';
import { ObjectApi } from './object-api.ts';
import { buildProbeScript } from './probe-script.ts';
import { retried } from './retry.ts';
import { ROLLOUTS } from './rollout.ts';
import { waitForEvent } from './watch.ts';

const FIELD_MANAGER = 'netpol-e2e';
/** Probes run at the same time inside one pod. */
const PROBE_WAVE = 32;
/** How the container runtime says the image has no `sh`. */
const NO_SHELL = /executable file not found|no such file or directory/i;
const MANAGED_BY_KEY = 'app.kubernetes.io/managed-by';
/** network-policy-api's ClusterNetworkPolicy CRD (either channel), and the annotation naming its release. */
const CLUSTER_NP_CRD = 'clusternetworkpolicies.policy.networking.k8s.io';
const CLUSTER_NP_BUNDLE_ANNOTATION = 'policy.networking.k8s.io/bundle-version';
const MANAGED_BY = { [MANAGED_BY_KEY]: 'netpol-e2e' };

export interface KubeBackendOptions {
  /** Shown in reports: "kind (kind-netpol-e2e)" or "context (NAME)". */
  name: string;
  /** Bound on waits for rollouts, deletions and policy revisions. */
  waitTimeoutMs?: number;
  /** How often an agent's endpoints are asked whether they have realized a policy revision (default 1 s). */
  revisionPollMs?: number;
  /** How many pods run their probes at the same time. */
  podConcurrency?: number;
  /** False when the nodes' kernel has no SCTP (cluster:up found out); unknown means assumed present. */
  sctp?: boolean;
  /** Reserved world addresses (world/world.ts) that a server on this cluster's network holds (kind's world server). */
  servedWorld?: readonly string[];
  /** The node image, where known (kind: what cluster:up created the nodes from). */
  nodeImage?: string;
  /** Bounds on every request, response and watch (bounded-http.ts; cluster-choice.ts, DEFAULT_BOUNDS). */
  bounds?: Partial<ApiBounds>;
}

/** CNIs other than Cilium, by the label of their agent pods in kube-system. */
const OTHER_CNIS: { name: string; labels: Record<string, string> }[] = [
  { name: 'kindnet', labels: { app: 'kindnet' } },
  { name: 'calico', labels: { 'k8s-app': 'calico-node' } },
  { name: 'flannel', labels: { app: 'flannel' } },
  { name: 'weave-net', labels: { name: 'weave-net' } },
  { name: 'antrea', labels: { app: 'antrea', component: 'antrea-agent' } },
];

const labelSelector = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** A bare Pod is ready when it runs with an IP and its Ready condition is True (the kubelet's readiness). */
function podReady(p: KubernetesObject): boolean {
  const { status } = p as V1Pod;
  return status?.phase === 'Running' && Boolean(status.podIP) && (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function podState(p: KubernetesObject): string {
  const { status } = p as V1Pod;
  return `phase ${status?.phase ?? 'unknown'}, ready ${(status?.conditions ?? []).find((c) => c.type === 'Ready')?.status ?? 'unknown'}`;
}

function readyEndpoints(slice: KubernetesObject): number {
  const { endpoints } = slice as { endpoints?: { conditions?: { ready?: boolean } }[] };
  return (endpoints ?? []).filter((e) => e.conditions?.ready !== false).length;
}

export class KubeBackend implements ClusterBackend {
  readonly name: string;
  private readonly api: ObjectApi;
  private readonly transport: ApiTransport;
  private readonly waitTimeoutMs: number;
  private readonly limit: ReturnType<typeof pLimit>;
  /** Pod name → its first container, learned when pods are listed. */
  private readonly containers = new Map<string, string>();
  private readonly enforcement: Enforcement;
  private readonly sctp: boolean;
  private readonly servedWorld: ReadonlySet<string>;
  private readonly nodeImage: string | undefined;
  private clusterNpCrd: Promise<{ channel?: string; release?: string } | undefined> | undefined;

  constructor(config: KubeConfig, options: KubeBackendOptions) {
    this.name = options.name;
    this.transport = new ApiTransport(config, options.bounds);
    this.api = ObjectApi.forTransport(this.transport);
    this.waitTimeoutMs = options.waitTimeoutMs ?? 180_000;
    this.enforcement = new Enforcement(
      (signal) => this.pods(AGENT_SELECTOR, signal),
      (signal) => this.agentExec(signal),
      {
        waitTimeoutMs: this.waitTimeoutMs,
        revisionPollMs: options.revisionPollMs ?? 1000,
      },
    );
    this.limit = pLimit(options.podConcurrency ?? 4);
    this.sctp = options.sctp ?? true;
    this.servedWorld = new Set(options.servedWorld ?? []);
    this.nodeImage = options.nodeImage;
  }

  async environment(): Promise<ClusterEnvironment> {
    const known = async <T>(ask: () => Promise<T>) => ask().catch(() => undefined);
    const [version, nodes, agents, crd] = await Promise.all([
      known(() => new VersionApi(this.transport.configuration()).getCode()),
      // One node is all that is read: a cluster of thousands would answer megabytes.
      known(() => this.api.list<V1Node>('v1', 'Node', undefined, undefined, undefined, undefined, undefined, undefined, 1)),
      known(() => this.pods(AGENT_SELECTOR)),
      this.clusterNetworkPolicyCrd(),
    ]);
    const info = nodes?.items[0]?.status?.nodeInfo;
    const environment: ClusterEnvironment = {
      kubernetesVersion: version?.gitVersion,
      nodeImage: this.nodeImage ?? info?.osImage,
      kernel: info?.kernelVersion,
      clusterNetworkPolicyChannel: crd?.channel,
      networkPolicyApi: crd?.release,
    };
    if (agents?.length) {
      // As cilium-cli asks a running agent (cilium-cli/k8s/client.go, GetCiliumVersion).
      const answer = await known(() => this.agentExec()(agents[0]!, ['cilium-dbg', 'version', '-o', 'jsonpath={$.Daemon.Version}'], 30_000));
      if (answer?.exitCode === 0 && answer.stdout.trim()) environment.ciliumVersion = answer.stdout.trim().replace(/^'|'$/g, '');
    } else {
      for (const cni of OTHER_CNIS) {
        if (!(await known(() => this.pods({ namespace: 'kube-system', labels: cni.labels })))?.length) continue;
        environment.cni = cni.name;
        break;
      }
    }
    return Object.fromEntries(Object.entries(environment).filter(([, v]) => v !== undefined)) as ClusterEnvironment;
  }

  async unservedKind(apiVersion: string, kind: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      await this.api.withSignal(signal).collectionPath({ apiVersion, kind, metadata: {} });
      return undefined;
    } catch (e) {
      signal?.throwIfAborted();
      // Not served: discovery of the group/version is a 404, or the group/version lacks the kind.
      if (!isNotFound(e) && !isUnrecognizedKind(e)) throw apiError(`discover ${kind} (${apiVersion})`, e, this.transport.server);
      const needs = KIND_REQUIREMENTS[kind];
      return `the cluster does not serve ${kind} (${apiVersion})${needs ? `: ${needs}` : ''}`;
    }
  }

  async unservedFields(object: KubeObject): Promise<string | undefined> {
    if (object.kind !== 'ClusterNetworkPolicy') return undefined;
    const [field] = experimentalChannelFields(object as unknown as ClusterNetworkPolicy);
    if (!field) return undefined;
    const channel = (await this.clusterNetworkPolicyCrd())?.channel;
    // Where the channel is unknown (no such annotation, the CRD not readable), the apply will tell.
    if (channel === undefined || channel === 'experimental') return undefined;
    return `${formatPath(field)} is in the experimental channel of network-policy-api; the installed CRD is the ${channel} channel (its annotation ${CLUSTER_NP_CHANNEL_ANNOTATION})`;
  }

  /** The installed ClusterNetworkPolicy CRD's channel and release, from its annotations; undefined where it cannot be read. */
  private clusterNetworkPolicyCrd(): Promise<{ channel?: string; release?: string } | undefined> {
    this.clusterNpCrd ??= this.api.read({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: CLUSTER_NP_CRD } }).then(
      ({ metadata }) => ({ channel: metadata?.annotations?.[CLUSTER_NP_CHANNEL_ANNOTATION], release: metadata?.annotations?.[CLUSTER_NP_BUNDLE_ANNOTATION] }),
      // Not installed (404), or not ours to read (403): nothing known.
      () => undefined,
    );
    return this.clusterNpCrd;
  }

  unprobeable({ scheme, host, image }: ProbeReach): string | undefined {
    if (scheme === 'sctp' && !this.sctp) return "the nodes' kernel has no SCTP (cluster:up found no sctp module)";
    if (scheme === 'dns') return lookupToolProblem(image ?? '');
    if (isReservedAddress(host) && !this.servedWorld.has(host)) {
      return `nothing on this cluster serves ${host}, a reserved address (RFC 5737/2544): on kind, cluster:up's world server holds the addresses of suites/ (run it again after adding one)`;
    }
    return undefined;
  }

  async apply(objects: KubeObject[], signal?: AbortSignal): Promise<void> {
    for (const object of objects) {
      const ref = refOf(object);
      const what = `apply ${formatRef(ref)}`;
      const spec = {
        ...object,
        metadata: { ...object.metadata, ...(ref.namespace ? { namespace: ref.namespace } : {}), labels: { ...object.metadata.labels, ...MANAGED_BY } },
      } as KubernetesObject;
      const policy = POLICY_KINDS.has(object.kind);
      if (policy) await this.enforcement.beforeChange(signal);
      const existing = await this.read(ref, signal);
      // Whatever a suite applies is deleted afterwards: never take over an object someone else made.
      if (existing && existing.metadata?.labels?.[MANAGED_BY_KEY] !== MANAGED_BY[MANAGED_BY_KEY]) {
        throw new Error(`${formatRef(ref)} already exists and is not managed by netpol-e2e: refusing to change it (and to delete it afterwards)`);
      }
      const before = existing?.metadata?.generation;
      const applied = await retried(what, this.transport.server, () => this.api.withSignal(signal).serverSideApply(spec, FIELD_MANAGER), signal);
      if (policy && applied.metadata?.generation !== before) this.enforcement.policyChanged();
    }
  }

  async remove(refs: ObjectRef[], options: { ignoreMissing?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = options;
    for (const ref of refs) {
      const spec = this.specOf(ref);
      const what = `delete ${formatRef(ref)}`;
      if (POLICY_KINDS.has(ref.kind)) await this.enforcement.beforeChange(signal);
      let attempts = 0;
      try {
        // Background, not Foreground: a Foreground delete first marks the object deleting, which raises its
        // generation (k8s.io/apiserver registry/generic/registry/store.go, markAsDeleting), and Cilium imports a
        // policy again whenever its generation moves (pkg/policy/k8s/cilium_network_policy.go, onUpsert): one more
        // revision than the one change counted, so the wait could end before the delete itself is realized.
        // Policies have no dependents to wait for; without finalizers the object is gone at once.
        await retried(what, this.transport.server, () => (attempts++, this.api.withSignal(signal).delete(spec, undefined, undefined, undefined, undefined, 'Background')), signal);
      } catch (e) {
        // A kind the cluster does not serve has no objects: nothing of it can be missing, or left behind.
        if (options.ignoreMissing && isUnrecognizedKind(e)) continue;
        if (!isNotFound(e)) throw e;
        if (attempts === 1) {
          if (options.ignoreMissing) continue;
          throw new Error(`${what}: not found`);
        }
        // Missing on a retry: an earlier attempt deleted it, and only its answer was lost.
      }
      if (POLICY_KINDS.has(ref.kind)) this.enforcement.policyChanged();
      await this.waitGone(ref, signal);
    }
  }

  async waitReady(refs: ObjectRef[], signal?: AbortSignal): Promise<void> {
    // Rollouts first: a Service's endpoints become ready with its pods.
    const wait = (kind: string, one: (ref: ObjectRef) => Promise<void>) => Promise.all(refs.filter((r) => r.kind === kind).map(one));
    await Promise.all(
      refs
        .filter((r) => ROLLOUTS[r.kind])
        .map(async (ref) => {
          const rollout = ROLLOUTS[ref.kind]!;
          await waitForEvent(this.transport, { path: await this.api.withSignal(signal).collectionPath(this.specOf(ref)), name: ref.name }, (type, o) => type !== 'DELETED' && rollout.done(o), {
            timeoutMs: this.waitTimeoutMs,
            what: `rollout of ${formatRef(ref)}`,
            describe: rollout.state,
            signal,
          });
        }),
    );
    await wait('Pod', async (ref) => {
      await waitForEvent(this.transport, { path: await this.api.withSignal(signal).collectionPath(this.specOf(ref)), name: ref.name }, (type, p) => type !== 'DELETED' && podReady(p), {
        timeoutMs: this.waitTimeoutMs,
        what: `readiness of ${formatRef(ref)}`,
        describe: podState,
        signal,
      });
    });
    await wait('Service', async (ref) => {
      // Probes through the Service need a ready backend in its EndpointSlices, if any pod is meant to back it.
      const selector = ((await this.read(ref, signal)) as { spec?: { selector?: Record<string, string> } } | undefined)?.spec?.selector;
      if (!selector || Object.keys(selector).length === 0 || (await this.pods({ namespace: ref.namespace!, labels: selector }, signal)).length === 0) return;
      const path = await this.api.withSignal(signal).collectionPath({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { namespace: ref.namespace } });
      await waitForEvent(this.transport, { path, labelSelector: `kubernetes.io/service-name=${ref.name}` }, (type, slice) => type !== 'DELETED' && readyEndpoints(slice) > 0, {
        timeoutMs: this.waitTimeoutMs,
        what: `ready endpoints of ${formatRef(ref)}`,
        describe: (slice) => `${readyEndpoints(slice)} ready endpoint(s)`,
        signal,
      });
    });
  }

  async pods(query: PodQuery, signal?: AbortSignal): Promise<PodInfo[]> {
    const list = await retried(
      `list pods in ${query.namespace}`,
      this.transport.server,
      () => this.api.withSignal(signal).list<V1Pod>('v1', 'Pod', query.namespace, undefined, undefined, undefined, undefined, labelSelector(query.labels)),
      signal,
    );
    return list.items
      .filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp && p.status.podIP)
      .map((p) => {
        const container = p.spec!.containers[0]!;
        this.containers.set(`${query.namespace}/${p.metadata!.name}`, container.name);
        return { name: p.metadata!.name!, namespace: query.namespace, labels: p.metadata!.labels ?? {}, ip: p.status!.podIP!, image: container.image ?? '', node: p.spec?.nodeName };
      });
  }

  async serviceIP(service: { namespace: string; name: string }, signal?: AbortSignal): Promise<string | undefined> {
    const found = await this.read({ kind: 'Service', ...service }, signal);
    const ip = (found as { spec?: { clusterIP?: string } } | undefined)?.spec?.clusterIP;
    return ip && ip !== 'None' ? ip : undefined;
  }

  async labels(ref: ObjectRef, signal?: AbortSignal): Promise<Record<string, string> | undefined> {
    const found = await this.read(ref, signal);
    return found && (found.metadata?.labels ?? {});
  }

  async setLabels(ref: ObjectRef, patch: Record<string, string | null>, signal?: AbortSignal): Promise<void> {
    // A merge patch, like `kubectl label`: labels are shared with whoever owns the object, so no apply ownership.
    const spec = { ...this.specOf(ref), metadata: { ...this.specOf(ref).metadata, labels: patch } } as KubernetesObject;
    await this.enforcement.beforeChange(signal);
    await retried(`label ${formatRef(ref)}`, this.transport.server, () => this.api.withSignal(signal).patch(spec, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch), signal);
    if (ref.kind === 'Pod' || ref.kind === 'Namespace') this.enforcement.relabelled({ namespace: ref.namespace ?? ref.name, pod: ref.kind === 'Pod' ? ref.name : undefined, labels: patch });
  }

  async probe(pod: { namespace: string; name: string }, probes: string[][], timeoutMs: number, signal?: AbortSignal): Promise<ExecResult[]> {
    return this.limit(async () => {
      const script = buildProbeScript(probes, PROBE_WAVE);
      // The script ends when its slowest wave of probes has: each probe is bounded by its own timeout.
      const waves = Math.ceil(probes.length / PROBE_WAVE);
      let result: ExecResult;
      try {
        result = await this.exec(pod, script.argv, waves * timeoutMs + 15_000, signal);
      } catch (e) {
        if (e instanceof TransportError || !NO_SHELL.test((e as Error).message)) throw e;
        // An image without a shell: one exec per probe, a wave at a time.
        const results: ExecResult[] = [];
        for (let i = 0; i < probes.length; i += PROBE_WAVE) {
          results.push(...(await Promise.all(probes.slice(i, i + PROBE_WAVE).map((argv) => this.exec(pod, argv, timeoutMs + 15_000, signal)))));
        }
        return results;
      }
      if (result.exitCode !== 0) throw new Error(`the probe script in ${pod.namespace}/${pod.name} exited with ${result.exitCode}: ${(result.stderr || result.stdout).trim().slice(0, 300)}`);
      return script.parse(result.stdout);
    });
  }

  waitEnforced(_change: PolicyChange, signal?: AbortSignal): Promise<'confirmed' | 'unconfirmed'> {
    return this.enforcement.wait(signal);
  }

  async diagnose(pod: PodInfo, target: string, signal?: AbortSignal): Promise<string[]> {
    const agent = (await this.enforcement.agents(signal)).find((a) => a.node === pod.node);
    if (!agent) return [`no Cilium agent found on node ${pod.node ?? '?'}: no flow evidence`];
    return ciliumEvidence(this.agentExec(signal), agent, pod, target);
  }

  /** Execs in Cilium agents, ended by `signal`. */
  private agentExec(signal?: AbortSignal): AgentExec {
    return (agent, argv, timeoutMs) => execInPod(this.transport, { namespace: agent.namespace, pod: agent.name, container: AGENT_CONTAINER }, argv, timeoutMs, signal);
  }

  private exec(pod: { namespace: string; name: string }, argv: string[], timeoutMs: number, signal?: AbortSignal): Promise<ExecResult> {
    return execInPod(this.transport, { namespace: pod.namespace, pod: pod.name, container: this.containers.get(`${pod.namespace}/${pod.name}`) }, argv, timeoutMs, signal);
  }

  private specOf(ref: ObjectRef): KubernetesObject & { metadata: { name: string } } {
    return { apiVersion: apiVersionOf(ref.kind), kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } };
  }

  private async read(ref: ObjectRef, signal?: AbortSignal): Promise<KubernetesObject | undefined> {
    try {
      return await retried(`read ${formatRef(ref)}`, this.transport.server, () => this.api.withSignal(signal).read(this.specOf(ref)), signal);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  private async waitGone(ref: ObjectRef, signal?: AbortSignal): Promise<void> {
    const current = await this.read(ref, signal);
    if (!current) return;
    await waitForEvent(this.transport, { path: await this.api.withSignal(signal).collectionPath(this.specOf(ref)), name: ref.name, resourceVersion: current.metadata?.resourceVersion }, (type) => type === 'DELETED', {
      timeoutMs: this.waitTimeoutMs,
      what: `deletion of ${formatRef(ref)}`,
      signal,
      settled: async () => (await this.read(ref, signal)) === undefined,
    });
  }
}
