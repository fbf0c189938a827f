// The API server stand-in with a cluster behind it: every object applied, relabelled or deleted through the API
// is mirrored into the policy model, whose pods and Services the API lists, and exec runs the probe script in a
// real sh where `curl` asks the model what that pod's curl would print. A whole suite can run through the kube
// backend this way: client-node, watches, WebSocket exec and the script, with the model as the datapath.
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { POLICY_KINDS, WORKLOAD_KINDS } from '../../src/manifest/kinds.ts';
import { ModelBackend } from '../../src/backends/model/model-backend.ts';
import { refOf, type KubeObject } from '../../src/manifest/objects.ts';
import { WORKER_NODES } from '../../src/model/workload-pods.ts';
import type { WorldHost } from '../../src/world/world.ts';
import { AgentStandIn } from './cilium-agent.ts';
import { findOnPath } from '../../scripts/cluster/run.ts';
import { FakeApiServer, reply, runHere, type ExecCall, type Obj } from './fake-apiserver.ts';

const MIRRORED = ['Namespace', ...WORKLOAD_KINDS, 'Pod', 'Service', 'NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'ClusterNetworkPolicy', 'CiliumCIDRGroup', 'ConfigMap'];
/** The probe programs a pod of the stand-in runs through the model (their shims print what the model says they print). */
const PROBE_PROGRAMS = ['curl', 'nslookup'];

export class ModelApiServer extends FakeApiServer {
  readonly model: ModelBackend;
  /** With Cilium agents: one per worker, each bumping its revision once per policy imported (a new generation) or deleted. */
  readonly agents: AgentStandIn[] = [];
  private shimDir = '';
  private readonly mirroredKeys = new Set<string>();

  constructor(world: readonly WorldHost[] = [], options: { ciliumAgents?: boolean } = {}) {
    super();
    this.model = new ModelBackend(world);
    this.rolloutDelayMs = 1;
    // The model's nodes (model/cluster.ts), so that a DaemonSet's controller wants as many pods as the model runs.
    for (let i = 0; i < WORKER_NODES; i++) this.put('/api/v1', 'nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: `worker${i ? i + 1 : ''}` } });
    this.exec = (call, ws) => (call.container === 'cilium-agent' ? this.agent(call, ws) : this.runScript(call, ws));
    if (options.ciliumAgents) {
      for (const node of ['worker', 'worker2']) {
        // The model's pods all run on the first worker (see sync): its agent has their endpoints, with their identities.
        const pods = () => (node === 'worker' ? this.model.cluster.pods().map((p) => ({ namespace: p.namespace, name: p.name, labels: Object.fromEntries(p.identity), ip: p.ip })) : []);
        const agent = new AgentStandIn(`cilium-${node}`, 1, 2, pods);
        // Every agent's ipcache learns each pod's identity from the agent whose endpoint it is.
        agent.ipcacheSource = () => this.agents.flatMap((a) => [...a.shownIdentities]);
        this.agents.push(agent);
        this.put('/api/v1', 'pods', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `cilium-${node}`, namespace: 'kube-system', labels: { 'k8s-app': 'cilium' } },
          spec: { nodeName: node, containers: [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium' }] },
          status: { phase: 'Running', podIP: '172.18.0.3' },
        });
      }
    }
  }

  override async start(): Promise<this> {
    await super.start();
    this.shimDir = await mkdtemp(path.join(tmpdir(), 'netpol-e2e-shim-'));
    // The shim asks the model with the real curl (milliseconds to start, where a node process takes tens).
    const curl = await findOnPath('curl');
    if (!curl) throw new Error("the model API server needs curl on the PATH for its pods' curl shim");
    // The probe programs a pod runs (curl, nslookup): each prints what the model says this pod's program prints.
    for (const program of PROBE_PROGRAMS) {
      await writeFile(
        path.join(this.shimDir, program),
        `#!/bin/sh\n# ${program} inside a pod of the model-backed API server: runs what the model says this pod's ${program} prints.\neval "$(printf '%s\\0' "$@" | ${curl} -sS --data-binary @- "$NETPOL_FAKE_PROBE_URL?program=${program}&pod=$NETPOL_FAKE_POD")"\n`,
      );
      await chmod(path.join(this.shimDir, program), 0o755);
    }
    for (const name of ['default', 'kube-system']) this.put('/api/v1', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } });
    this.sync();
    return this;
  }

  /** Objects netpol-e2e left behind in the API (labelled as its own). */
  leftovers(): string[] {
    return [...this.store.values()].filter((o) => o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'netpol-e2e').map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
  }

  namespaceLabels(name: string): Record<string, string> | undefined {
    return this.get('/api/v1', 'namespaces', name)?.metadata.labels;
  }

  protected override onApplied(object: Obj): void {
    if (!MIRRORED.includes(object.kind ?? '')) return;
    // The fake API server raises the generation only when the spec changed: so does Cilium's revision.
    if (POLICY_KINDS.has(object.kind!) && object.metadata.generation !== this.lastGeneration.get(object.metadata.name)) for (const a of this.agents) a.bump();
    this.lastGeneration.set(object.metadata.name, object.metadata.generation);
    this.model.cluster.apply(structuredClone({ ...object, status: undefined }) as KubeObject);
    this.sync();
  }

  protected override onLabelled(object: Obj, patch: Record<string, string | null>): void {
    this.model.cluster.setLabels(refOf(object as KubeObject), patch);
    this.sync();
  }

  private readonly lastGeneration = new Map<string, number | undefined>();

  /** A policy marked for deletion has a new generation: Cilium imports it again (pkg/policy/k8s, onUpsert). */
  protected override onUpdated(object: Obj): void {
    if (!POLICY_KINDS.has(object.kind!) || object.metadata.generation === this.lastGeneration.get(object.metadata.name)) return;
    for (const a of this.agents) a.bump();
    this.lastGeneration.set(object.metadata.name, object.metadata.generation);
  }

  protected override onDeleted(object: Obj): void {
    if (POLICY_KINDS.has(object.kind!)) {
      for (const a of this.agents) a.bump();
      this.lastGeneration.delete(object.metadata.name);
    }
    this.model.cluster.remove(refOf(object as KubeObject));
    this.sync();
  }

  /**
   * What the policy model says this pod's curl (or nslookup) would print, as shell text the shim evaluates: its stdout, its
   * stderr and its exit code. The argv arrives NUL-separated, so no argument is re-split.
   */
  protected override extraRoute(url: URL, body: string | undefined): unknown {
    if (url.pathname !== '/__model/probe') return undefined;
    const program = url.searchParams.get('program') ?? '';
    if (!PROBE_PROGRAMS.includes(program)) return undefined;
    const argv = [program, ...(body ?? '').split('\0').slice(0, -1)];
    const [namespace, name] = (url.searchParams.get('pod') ?? '').split('/') as [string, string];
    const simulation = this.model.simulate({ namespace, name }, argv);
    const { exitCode, stdout, stderr } = 'exec' in simulation ? simulation.exec : simulation;
    const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
    return `printf %s ${quote(stdout)}; printf %s ${quote(stderr)} >&2; exit ${exitCode}\n`;
  }

  /** The model's pods and Services, as the API lists them. */
  private sync(): void {
    for (const key of this.mirroredKeys) this.store.delete(key);
    this.mirroredKeys.clear();
    for (const p of this.model.cluster.pods()) {
      this.put('/api/v1', 'pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
        spec: { nodeName: 'worker', containers: [{ name: 'main', image: p.image }] },
        // Running and Ready, as the kubelet reports a started pod whose containers pass their probes (core/v1
        // PodStatus.conditions, type Ready; pkg/kubelet/status/generate.go, GeneratePodReadyCondition).
        status: { phase: 'Running', podIP: p.ip, conditions: [{ type: 'Ready', status: 'True' }] },
      });
      this.mirroredKeys.add(this.key({ prefix: '/api/v1', plural: 'pods', namespace: p.namespace, name: p.name }));
    }
    for (const s of this.model.cluster.services()) {
      const key = this.key({ prefix: '/api/v1', plural: 'services', namespace: s.namespace, name: s.name });
      const stored = this.store.get(key);
      this.put('/api/v1', 'services', { ...(stored ?? { apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace: s.namespace } }), spec: { ...(stored?.spec as object | undefined), clusterIP: s.clusterIP } });
      if (!stored) this.mirroredKeys.add(key);
      // Its EndpointSlice, as the endpoint slice controller would write it: every selected pod, ready.
      if (!s.selector) continue;
      const selected = this.model.cluster.pods().filter((p) => p.namespace === s.namespace && Object.entries(s.selector!).every(([k, v]) => p.labels[k] === v));
      const slice = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${s.name}-slice`, namespace: s.namespace, labels: { 'kubernetes.io/service-name': s.name } },
        endpoints: selected.map((p) => ({ addresses: [p.ip], conditions: { ready: true } })),
      };
      this.put('/apis/discovery.k8s.io/v1', 'endpointslices', slice);
      this.mirroredKeys.add(this.key({ prefix: '/apis/discovery.k8s.io/v1', plural: 'endpointslices', namespace: s.namespace, name: slice.metadata.name }));
    }
  }

  /** The agent commands the kube backend uses, answered as cilium-dbg would. */
  private agent(call: ExecCall, ws: import('ws').WebSocket): void {
    const answer = this.agents.find((a) => a.node === call.pod)?.answer(call.command);
    reply(ws, answer ?? { stderr: `unknown agent command ${call.command.join(' ')}`, exitCode: 1 });
  }

  /** The probe script in a real sh, whose `curl` is the shim that asks the model. */
  private runScript(call: ExecCall, ws: import('ws').WebSocket): void | Promise<void> {
    const env = { PATH: `${this.shimDir}:${process.env.PATH}`, NETPOL_FAKE_POD: `${call.namespace}/${call.pod}`, NETPOL_FAKE_PROBE_URL: `${this.url}/__model/probe` };
    return runHere(env)(call, ws);
  }
}
