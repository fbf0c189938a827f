// A local stand-in for the Kubernetes API server, speaking the documented wire protocols that the kube backend
// uses: API discovery, object GET/PATCH/DELETE, lists with label and field selectors, watch streams (JSON lines,
// ADDED/MODIFIED/DELETED), and pod exec over WebSocket (channel.k8s.io v4/v5 frames, v1 Status on channel 3).
// By default exec runs the command on this machine, so the probe script meets a real sh and real curl.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { execa } from 'execa';
import { WebSocketServer, type WebSocket } from 'ws';
import { parse } from 'yaml';
import { CHANNEL, encodeFrame } from '../../src/backends/kube/exec-protocol.ts';

export type Obj = {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; resourceVersion?: string; generation?: number; deletionTimestamp?: string; deletionGracePeriodSeconds?: number; finalizers?: string[] };
  [k: string]: unknown;
};

type Resources = Record<string, { name: string; kind: string; namespaced: boolean }[]>;

const RESOURCES: Resources = {
  '/api/v1': [
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
    { name: 'pods', kind: 'Pod', namespaced: true },
    { name: 'services', kind: 'Service', namespaced: true },
    // core/v1 serviceaccounts (kubernetes pkg/registry/core/rest/storage_core.go): pods name them; created before pods.
    { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
    { name: 'nodes', kind: 'Node', namespaced: false },
  ],
  '/apis/apps/v1': [
    { name: 'deployments', kind: 'Deployment', namespaced: true },
    { name: 'replicasets', kind: 'ReplicaSet', namespaced: true },
    { name: 'statefulsets', kind: 'StatefulSet', namespaced: true },
    { name: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  ],
  '/apis/discovery.k8s.io/v1': [{ name: 'endpointslices', kind: 'EndpointSlice', namespaced: true }],
  '/apis/networking.k8s.io/v1': [{ name: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true }],
  '/apis/cilium.io/v2': [
    { name: 'ciliumnetworkpolicies', kind: 'CiliumNetworkPolicy', namespaced: true },
    { name: 'ciliumclusterwidenetworkpolicies', kind: 'CiliumClusterwideNetworkPolicy', namespaced: false },
    // Cilium's CRD (pkg/k8s/apis/cilium.io/v2/cidrgroups_types.go: path ciliumcidrgroups, scope Cluster, from 1.18).
    { name: 'ciliumcidrgroups', kind: 'CiliumCIDRGroup', namespaced: false },
  ],
  // Every API server serves CustomResourceDefinitions; installCrd adds what one defines.
  '/apis/apiextensions.k8s.io/v1': [{ name: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false }],
};

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType?: string;
  authorization?: string;
  body?: string;
}

export interface ExecCall {
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
  protocol: string;
  query: URLSearchParams;
}

/**
 * An API server that misbehaves: `silent` accepts the request and never answers; `endless` answers 200 and streams
 * a body (or, for an exec, stdout) that never ends; `slow` answers 200 and trickles a body a byte at a time.
 */
export type Misbehaviour = 'silent' | 'endless' | 'slow';
type FaultAnswer = { code: number; body: unknown } | 'drop' | { misbehave: Misbehaviour };

/** What the server does with an exec once the WebSocket is open; the default runs the command here. */
export type ExecHandler = (call: ExecCall, socket: WebSocket) => void | Promise<void>;

export interface Located {
  prefix: string;
  namespace?: string;
  plural: string;
  name?: string;
  sub?: string;
}

function locate(resources: Resources, pathname: string): Located | undefined {
  const prefix = Object.keys(resources).find((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (!prefix) return undefined;
  const segs = pathname.slice(prefix.length).split('/').filter(Boolean).map(decodeURIComponent);
  if (segs[0] === 'namespaces' && segs.length >= 3) return { prefix, namespace: segs[1], plural: segs[2]!, name: segs[3], sub: segs[4] };
  return { prefix, plural: segs[0]!, name: segs[1] };
}

/**
 * The status each apps/v1 controller writes once all `count` pods run and are ready (the fields of k8s.io/api
 * apps/v1 DeploymentStatus, ReplicaSetStatus, StatefulSetStatus and DaemonSetStatus).
 */
const CONTROLLED: Record<string, (o: Obj, count: number) => Record<string, unknown>> = {
  Deployment: (o, n) => ({ observedGeneration: o.metadata.generation, replicas: n, updatedReplicas: n, availableReplicas: n, readyReplicas: n }),
  ReplicaSet: (o, n) => ({ observedGeneration: o.metadata.generation, replicas: n, fullyLabeledReplicas: n, availableReplicas: n, readyReplicas: n }),
  StatefulSet: (o, n) => {
    const revision = `${o.metadata.name}-${o.metadata.generation}`;
    return { observedGeneration: o.metadata.generation, replicas: n, readyReplicas: n, currentReplicas: n, updatedReplicas: n, availableReplicas: n, currentRevision: revision, updateRevision: revision };
  },
  DaemonSet: (o, n) => ({ observedGeneration: o.metadata.generation, desiredNumberScheduled: n, currentNumberScheduled: n, updatedNumberScheduled: n, numberReady: n, numberAvailable: n, numberMisscheduled: 0 }),
};

/**
 * The defaults the API server gives an apps/v1 workload's update strategy and replicas before it stores it
 * (kubernetes/kubernetes@a79f3c7 pkg/apis/apps/v1/defaults.go, SetDefaults_StatefulSet, SetDefaults_DaemonSet):
 * what `kubectl rollout status` then reads.
 */
function defaultWorkload(o: Obj): void {
  const spec = o.spec as { replicas?: number; podManagementPolicy?: string; updateStrategy?: { type?: string; rollingUpdate?: Record<string, unknown> } } | undefined;
  if (!spec || !['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(o.kind ?? '')) return;
  if (o.kind !== 'DaemonSet') spec.replicas ??= 1;
  if (o.kind === 'StatefulSet') {
    spec.podManagementPolicy ??= 'OrderedReady';
    if (!spec.updateStrategy?.type) spec.updateStrategy = { ...spec.updateStrategy, type: 'RollingUpdate', rollingUpdate: spec.updateStrategy?.rollingUpdate ?? {} };
    if (spec.updateStrategy.type === 'RollingUpdate' && spec.updateStrategy.rollingUpdate) spec.updateStrategy.rollingUpdate.partition ??= 0;
  }
  if (o.kind === 'DaemonSet') {
    spec.updateStrategy = { ...spec.updateStrategy, type: spec.updateStrategy?.type ?? 'RollingUpdate' };
    if (spec.updateStrategy.type === 'RollingUpdate') spec.updateStrategy.rollingUpdate = { maxUnavailable: 1, maxSurge: 0, ...spec.updateStrategy.rollingUpdate };
  }
}

const status = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

export function exitStatus(code: number): string {
  return JSON.stringify(
    code === 0
      ? { metadata: {}, status: 'Success' }
      : { metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: exit status ${code}`, reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } },
  );
}

/** Answers an exec the kubelet's way: stdout and stderr frames, then the Status on channel 3, then close. */
export function reply(socket: WebSocket, result: { stdout?: string; stderr?: string; exitCode: number }): void {
  if (result.stdout) socket.send(encodeFrame(CHANNEL.stdout, result.stdout));
  if (result.stderr) socket.send(encodeFrame(CHANNEL.stderr, result.stderr));
  socket.send(encodeFrame(CHANNEL.status, exitStatus(result.exitCode)));
  socket.close(1000);
}

/**
 * Runs the exec'd command on this machine (with `env` added to its environment) and replies with what it did. When
 * the client goes away first, the command and whatever it started (its process group) are killed, so that a test
 * leaves no process behind.
 */
export function runHere(env: Record<string, string> = {}): ExecHandler {
  return async (call, socket) => {
    const [file, ...args] = call.command;
    const child = execa(file!, args, { reject: false, stripFinalNewline: false, env, detached: true });
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    socket.once('close', kill);
    const done = await child;
    socket.off('close', kill);
    if (socket.readyState === socket.OPEN) reply(socket, { stdout: done.stdout, stderr: done.stderr, exitCode: done.exitCode ?? 1 });
  };
}

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  readonly execs: ExecCall[] = [];
  exec: ExecHandler = runHere();
  /** Exec sub-protocols this server speaks, best first. */
  execProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
  /** Deployments become available this long after they are applied (never, when undefined). */
  rolloutDelayMs: number | undefined = 50;
  /** Deleted objects linger (with a deletionTimestamp) this long before they are gone, as with graceful deletion. */
  deleteDelayMs = 0;
  /** How long the garbage collector takes to finish a Foreground or Orphan delete of an object without dependents. */
  gcDelayMs = 20;
  /** Watches started at a resourceVersion get a 410 Gone ERROR event and end, as when etcd compacted it. */
  expireWatchVersions = false;
  protected readonly store = new Map<string, Obj>();
  /** What discovery serves: the built-in resources and those of every CRD installed. */
  private readonly resources: Resources = structuredClone(RESOURCES);
  private readonly watchers = new Set<{ collection: string; name?: string; res: ServerResponse }>();
  private readonly faults: ((req: RecordedRequest) => FaultAnswer | undefined)[] = [];
  /** Requests answered by misbehaving, as they arrived: a test waits for one to know the client is stuck in it. */
  readonly misbehaved: RecordedRequest[] = [];
  /**
   * Called for each request as it arrives, before it is answered (or misbehaved at): an API request, or an exec
   * once its WebSocket is open and its command handed to `exec`. A test acts on one while the client waits for it.
   */
  readonly arrivals: ((request: RecordedRequest) => void)[] = [];
  private rv = 100;
  private server!: Server;
  private port = 0;
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => this.execProtocols.find((p) => offered.has(p)) ?? false });
  private readonly sockets = new Set<Socket>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket as Socket, head));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.end();
    for (const s of this.sockets) s.destroy();
    this.wss.close();
    await new Promise((r) => this.server.close(r));
  }

  /**
   * Dies as a crashed or stopped API server does: the listener closes, so every new connection is refused
   * (ECONNREFUSED), and every open one, watches and execs too, is cut without an answer (ECONNRESET).
   */
  die(): void {
    this.server.close();
    for (const s of this.sockets) s.destroy();
  }

  /** Its address, also after it died. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  kubeConfig(token = 'test-token'): KubeConfig {
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'tester', token }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'tester' }],
      currentContext: 'fake',
    });
    return config;
  }

  /** Answers the next requests that `match` with a fault: an HTTP error, a dropped connection, or misbehaviour. */
  fault(match: (req: RecordedRequest) => boolean, answer: FaultAnswer, times = 1): void {
    let left = times;
    this.faults.push((req) => (left > 0 && match(req) ? (left--, answer) : undefined));
  }

  /** Answers the next requests that `match` (all of them by default) by misbehaving. */
  misbehave(match: (req: RecordedRequest) => boolean, how: Misbehaviour, times = Infinity): void {
    this.fault(match, { misbehave: how }, times);
  }

  /** Keeps writing what `next` gives until the client goes away, as fast as it reads (slow: a chunk every 5 ms). */
  private stream(out: { write: (chunk: Buffer) => boolean; once: (event: 'drain', f: () => void) => unknown; destroyed: boolean }, next: () => Buffer, slow: boolean): void {
    const pump = () => {
      while (!out.destroyed) {
        if (slow) return void setTimeout(() => (out.destroyed ? undefined : (out.write(next()), pump())), 5);
        if (!out.write(next())) return void out.once('drain', pump);
      }
    };
    pump();
  }

  private misbehaveHttp(how: Misbehaviour, req: IncomingMessage, res: ServerResponse): void {
    if (how === 'silent') return; // the socket stays open, unanswered, until the client or stop() ends it
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // A JSON object that never closes: a body without end, or a watch event without its newline.
    const filler = Buffer.from(`{"kind":"Status","apiVersion":"v1","message":"${'x'.repeat(16 * 1024)}`);
    const byte = Buffer.from('x');
    let first = true;
    this.stream(res, () => (how === 'slow' && !first ? byte : ((first = false), filler.subarray(0, how === 'slow' ? 1 : undefined))), how === 'slow');
    req.socket.on('close', () => res.destroy());
  }

  /** Puts an object straight into the store, as other controllers would. */
  put(apiPrefix: string, plural: string, object: Obj): void {
    this.save({ prefix: apiPrefix, plural, namespace: object.metadata.namespace, name: object.metadata.name }, object);
  }

  /**
   * Installs a CustomResourceDefinition as the API server takes one: stored under apiextensions.k8s.io/v1, and each
   * served version of its group discoverable with its resource.
   */
  installCrd(crd: Obj & { spec: { group: string; scope: string; names: { plural: string; kind: string }; versions: { name: string; served: boolean }[] } }): void {
    this.put('/apis/apiextensions.k8s.io/v1', 'customresourcedefinitions', crd);
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      (this.resources[`/apis/${crd.spec.group}/${version.name}`] ??= []).push({ name: crd.spec.names.plural, kind: crd.spec.names.kind, namespaced: crd.spec.scope === 'Namespaced' });
    }
  }

  /** Removes an object as another client would, without a request. */
  deleteNow(apiPrefix: string, plural: string, name: string, namespace?: string): void {
    this.store.delete(this.key({ prefix: apiPrefix, plural, namespace, name }));
  }

  get(apiPrefix: string, plural: string, name: string, namespace?: string): Obj | undefined {
    return this.store.get(this.key({ prefix: apiPrefix, plural, namespace, name }));
  }

  protected key(l: Located & { name: string }): string {
    return `${l.prefix}|${l.namespace ?? ''}|${l.plural}|${l.name}`;
  }

  private collection(l: Located): string {
    return `${l.prefix}|${l.namespace ?? ''}|${l.plural}|`;
  }

  private save(l: Located, object: Obj, type?: 'ADDED' | 'MODIFIED'): Obj {
    const key = this.key({ ...l, name: object.metadata.name });
    const existed = this.store.has(key);
    object.metadata.resourceVersion = String(++this.rv);
    this.store.set(key, object);
    this.emit(l, type ?? (existed ? 'MODIFIED' : 'ADDED'), object);
    return object;
  }

  private emit(l: Located, type: string, object: Obj): void {
    for (const w of this.watchers) {
      if (w.collection === this.collection(l) && (!w.name || w.name === object.metadata.name)) w.res.write(`${JSON.stringify({ type, object })}\n`);
    }
  }

  /** What GET /version answers. */
  kubernetesVersion = 'v1.36.1';
  /**
   * Called for every object applied (with its generation, raised only when the spec changed), updated otherwise
   * (marked for deletion, which raises the generation too), or deleted.
   */
  readonly changes: ((object: Obj, type: 'applied' | 'updated' | 'deleted') => void)[] = [];
  /** Hooks for a stand-in that mirrors another cluster state (see model-apiserver.ts). */
  protected onApplied(_object: Obj): void {}
  protected onLabelled(_object: Obj, _patch: Record<string, string | null>): void {}
  protected onUpdated(_object: Obj): void {}
  protected onDeleted(_object: Obj): void {}
  /** A route outside the Kubernetes API, answered before authentication (a string as text, else JSON); undefined when not one. */
  protected extraRoute(_url: URL, _body: string | undefined): unknown {
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url!, 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const recorded: RecordedRequest = {
      method: req.method!,
      path: url.pathname,
      query: url.searchParams,
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
      body: chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined,
    };
    this.requests.push(recorded);
    for (const arrived of this.arrivals) arrived(recorded);
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    // GET /version is public (the system:public-info-viewer role), as client-node's VersionApi expects it.
    if (url.pathname === '/version') return send(200, { major: '1', minor: '36', gitVersion: this.kubernetesVersion, platform: 'linux/amd64' });
    const extra = this.extraRoute(url, recorded.body);
    if (typeof extra === 'string') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(extra);
    if (extra !== undefined) return send(200, extra);
    if (recorded.authorization !== 'Bearer test-token') return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    for (const fault of this.faults) {
      const answer = fault(recorded);
      if (answer === 'drop') return void req.socket.destroy();
      if (answer && 'misbehave' in answer) return void (this.misbehaved.push(recorded), this.misbehaveHttp(answer.misbehave, req, res));
      if (answer) return send(answer.code, answer.body);
    }
    if (this.resources[url.pathname]) return send(200, { kind: 'APIResourceList', groupVersion: url.pathname.replace(/^\/apis?\//, ''), resources: this.resources[url.pathname] });
    const l = locate(this.resources, url.pathname);
    const resource = l && this.resources[l.prefix]!.find((r) => r.name === l.plural);
    if (!l || !resource) return send(404, status(404, 'NotFound', `the server could not find the requested resource ${url.pathname}`));
    const notFound = () => send(404, status(404, 'NotFound', `${l.plural} "${l.name}" not found`));

    if (!l.name) {
      const labelSel = (url.searchParams.get('labelSelector') ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => kv.split('='));
      const nameSel = /^metadata\.name=(.+)$/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
      const items = [...this.store.entries()]
        .filter(([k]) => k.startsWith(this.collection(l)))
        .map(([, o]) => o)
        .filter((o) => (!nameSel || o.metadata.name === nameSel) && labelSel.every(([k, v]) => o.metadata.labels?.[k!] === v));
      if (url.searchParams.get('watch') === 'true') {
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        if (this.expireWatchVersions && url.searchParams.get('resourceVersion')) {
          return void res.end(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', 'too old resource version') })}\n`);
        }
        // Without a resourceVersion a watch starts with the current state as ADDED events.
        if (!url.searchParams.get('resourceVersion')) for (const o of items) res.write(`${JSON.stringify({ type: 'ADDED', object: o })}\n`);
        const watcher = { collection: this.collection(l), name: nameSel, res };
        this.watchers.add(watcher);
        res.on('close', () => this.watchers.delete(watcher));
        return;
      }
      return send(200, { kind: `${resource.kind}List`, apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) }, items });
    }

    const key = this.key({ ...l, name: l.name });
    const existing = this.store.get(key);
    if (req.method === 'GET') return existing ? send(200, existing) : notFound();
    if (req.method === 'DELETE') return this.delete(l, key, existing, url.searchParams.get('propagationPolicy') ?? this.bodyField(recorded.body, 'propagationPolicy'), send);
    if (req.method === 'PATCH') {
      const patch = parse(recorded.body ?? '{}') as Obj;
      if (recorded.contentType === 'application/apply-patch+yaml') {
        defaultWorkload(patch);
        if (!url.searchParams.get('fieldManager')) return send(400, status(400, 'BadRequest', 'PATCH with apply requires a fieldManager'));
        if (patch.kind !== resource.kind) return send(400, status(400, 'BadRequest', `kind ${patch.kind} does not match ${resource.kind}`));
        const specOf = (o?: Obj) => JSON.stringify({ ...o, metadata: undefined, status: undefined });
        const changed = specOf(existing) !== specOf(patch);
        const generation = (existing?.metadata.generation ?? 0) + (changed || !existing ? 1 : 0);
        const saved = this.save(l, { ...patch, metadata: { ...patch.metadata, generation } });
        if (changed || !existing) for (const listener of this.changes) listener(saved, 'applied');
        this.onApplied(saved);
        if (CONTROLLED[resource.kind] && this.rolloutDelayMs !== undefined) this.rollout(l, saved);
        return send(existing ? 200 : 201, saved);
      }
      if (recorded.contentType === 'application/merge-patch+json') {
        if (!existing) return notFound();
        const labels: Record<string, string> = { ...existing.metadata.labels };
        for (const [k, v] of Object.entries(patch.metadata?.labels ?? {}))
          if (v === null) delete labels[k];
          else labels[k] = v;
        const saved = this.save(l, { ...existing, metadata: { ...existing.metadata, labels } });
        this.onLabelled(saved, patch.metadata?.labels ?? {});
        return send(200, saved);
      }
      return send(415, status(415, 'UnsupportedMediaType', `unsupported patch type ${recorded.contentType}`));
    }
    send(405, status(405, 'MethodNotAllowed', req.method!));
  }

  private bodyField(body: string | undefined, field: string): string | undefined {
    try {
      return (JSON.parse(body ?? '{}') as Record<string, string | undefined>)[field];
    } catch {
      return undefined;
    }
  }

  /**
   * A delete as the API server does it (k8s.io/apiserver registry/generic/registry/store.go, Delete). DeleteOptions
   * come as query parameters or a body; propagationPolicy is validated (apimachinery ValidateDeleteOptions) and
   * defaults to Background for every resource served here. Background: an object without finalizers is removed at
   * once (DELETED), and the answer is a Success Status naming it (finalizeDelete). Foreground and Orphan: the
   * garbage collector's finalizer (foregroundDeletion, orphan) is added, and the object marked deleting
   * (markAsDeleting: deletionTimestamp now, deletionGracePeriodSeconds 0, generation + 1) in one update (MODIFIED);
   * the answer is the object itself; the garbage collector, finding no dependents, removes its finalizer, and with
   * none left the object goes (DELETED).
   */
  private delete(l: Located, key: string, existing: Obj | undefined, propagation: string | undefined, send: (code: number, body: unknown) => void): void {
    if (!existing) return send(404, status(404, 'NotFound', `${l.plural} "${l.name}" not found`));
    const policy = propagation ?? 'Background';
    if (!['Foreground', 'Background', 'Orphan'].includes(policy)) {
      return send(422, status(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`));
    }
    const gone = (last: Obj) => {
      if (this.store.get(key) !== last) return;
      this.store.delete(key);
      this.emit(l, 'DELETED', last);
      for (const listener of this.changes) listener(last, 'deleted');
      this.onDeleted(last);
    };
    if (existing.metadata.deletionTimestamp) return send(200, existing);
    if (policy !== 'Background') {
      const { generation } = existing.metadata;
      const metadata = { ...existing.metadata, finalizers: [...(existing.metadata.finalizers ?? []), policy === 'Foreground' ? 'foregroundDeletion' : 'orphan'], deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 0 };
      const marked = this.save(l, { ...existing, metadata: generation ? { ...metadata, generation: generation + 1 } : metadata }, 'MODIFIED');
      for (const listener of this.changes) listener(marked, 'updated');
      this.onUpdated(marked);
      // The garbage collector's update that removes its finalizer deletes the object (store.go, Update).
      setTimeout(() => {
        if (this.store.get(key) !== marked) return;
        const finalized = { ...marked, metadata: { ...marked.metadata, finalizers: existing.metadata.finalizers } };
        this.store.set(key, finalized);
        gone(finalized);
      }, this.gcDelayMs);
      return send(200, marked);
    }
    if (this.deleteDelayMs > 0) {
      const lingering = this.save(l, { ...existing, metadata: { ...existing.metadata, deletionTimestamp: new Date().toISOString() } }, 'MODIFIED');
      setTimeout(() => gone(lingering), this.deleteDelayMs);
    } else gone(existing);
    send(200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: existing.metadata.name, group: l.prefix.startsWith('/apis/') ? l.prefix.split('/')[2] : '', kind: l.plural } });
  }

  /** The controller of a workload writes its status once its pods run (DaemonSet: one per Node in the store). */
  private rollout(l: Located, workload: Obj): void {
    setTimeout(() => {
      const current = this.store.get(this.key({ ...l, name: workload.metadata.name }));
      if (!current) return;
      const nodes = [...this.store.keys()].filter((k) => k.startsWith('/api/v1||nodes|')).length;
      const count = current.kind === 'DaemonSet' ? nodes : ((current.spec as { replicas?: number } | undefined)?.replicas ?? 1);
      this.save(l, { ...current, status: CONTROLLED[current.kind!]!(current, count) }, 'MODIFIED');
    }, this.rolloutDelayMs);
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url!, 'http://x');
    const l = locate(this.resources, url.pathname);
    const reject = (code: number, body: unknown) => {
      const text = JSON.stringify(body);
      socket.end(`HTTP/1.1 ${code} X\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    if (req.headers.authorization !== 'Bearer test-token') return reject(401, status(401, 'Unauthorized', 'Unauthorized'));
    if (l?.plural !== 'pods' || l.sub !== 'exec' || !l.name) return reject(404, status(404, 'NotFound', 'not found'));
    if (!this.store.has(this.key({ ...l, name: l.name }))) return reject(404, status(404, 'NotFound', `pods "${l.name}" not found`));
    const recorded: RecordedRequest = { method: 'GET', path: url.pathname, query: url.searchParams, authorization: req.headers.authorization };
    this.requests.push(recorded);
    let misbehave: Misbehaviour | undefined;
    for (const fault of this.faults) {
      const answer = fault(recorded);
      if (answer === 'drop') return void socket.destroy();
      if (answer && 'misbehave' in answer) {
        this.misbehaved.push(recorded);
        if (answer.misbehave === 'silent') return; // the upgrade is never answered
        misbehave = answer.misbehave;
        break;
      }
      if (answer) return reject(answer.code, answer.body);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (misbehave) {
        // Output that never ends (endless: 64 KiB frames; slow: a byte at a time), and never a status.
        const frame = encodeFrame(CHANNEL.stdout, misbehave === 'slow' ? 'x' : 'x'.repeat(64 * 1024));
        const out = {
          write: (chunk: Buffer) => (ws.send(chunk), ws.bufferedAmount < 1024 * 1024),
          once: (_: 'drain', f: () => void) => setTimeout(f, 1),
          get destroyed() {
            return ws.readyState !== ws.OPEN;
          },
        };
        return this.stream(out, () => frame, misbehave === 'slow');
      }
      const call: ExecCall = { namespace: l.namespace!, pod: l.name!, container: url.searchParams.get('container') ?? undefined, command: url.searchParams.getAll('command'), protocol: ws.protocol, query: url.searchParams };
      this.execs.push(call);
      void this.exec(call, ws);
      for (const arrived of this.arrivals) arrived(recorded);
    });
  }
}

/**
 * network-policy-api's ClusterNetworkPolicy CRD as cluster:up installs it, of either channel: the metadata and the
 * served version of config/crd/{standard,experimental}/policy.networking.k8s.io_clusternetworkpolicies.yaml at
 * v0.2.0 (its schema left out: the stand-in does not validate custom resources).
 */
export function clusterNetworkPolicyCrd(channel: 'standard' | 'experimental') {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: 'clusternetworkpolicies.policy.networking.k8s.io',
      annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/network-policy-api/pull/347', 'policy.networking.k8s.io/bundle-version': 'v0.2.0', 'policy.networking.k8s.io/channel': channel },
    },
    spec: { group: 'policy.networking.k8s.io', scope: 'Cluster', names: { kind: 'ClusterNetworkPolicy', plural: 'clusternetworkpolicies' }, versions: [{ name: 'v1alpha2', served: true, storage: true }] },
  };
}

/**
 * A suite step (for suiteWith) applying a ClusterNetworkPolicy with a peer only the experimental channel has: the
 * backend's egress to a name. Its one cell, frontend -> backend (the backend's ingress), does not depend on it.
 */
export const EXPERIMENTAL_CLUSTER_NP_STEP = `  - name: allow names
    apply:
      - apiVersion: policy.networking.k8s.io/v1alpha2
        kind: ClusterNetworkPolicy
        metadata: { name: names }
        spec:
          tier: Admin
          priority: 10
          subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: backend } } } }
          egress:
            - action: Accept
              to:
                - domainNames: [kubernetes.io]
    expect:
      frontend -> backend:8080: ok
`;

export function pod(namespace: string, name: string, labels: Record<string, string>, extra: { ip?: string; node?: string; phase?: string; container?: string } = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { nodeName: extra.node ?? 'worker', containers: [{ name: extra.container ?? 'main', image: 'registry.k8s.io/e2e-test-images/agnhost:2.52' }] },
    status: { phase: extra.phase ?? 'Running', podIP: extra.ip ?? '10.244.1.10' },
  };
}
