// Contract tests: the kube backend against a local server speaking the documented API protocols (discovery,
// server-side apply, merge patch, delete, list with selectors, watch streams) and Cilium's agent commands.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/manifest/objects.ts';
import { REPO } from '../../support/fixture.ts';
import { TransportError } from '../../../src/backends/backend.ts';
import { KubeBackend } from '../../../src/backends/kube/kube-backend.ts';
import { ciliumLabels } from '../../../src/model/cilium-labels.ts';
import { AgentStandIn } from '../../support/cilium-agent.ts';
import { FakeApiServer, pod, reply, type ExecCall } from '../../support/fake-apiserver.ts';

let api: FakeApiServer;
let backend: KubeBackend;

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const cnp = (name: string, port = '80') => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name, namespace: 'demo' },
  spec: { endpointSelector: { matchLabels: { app: 'backend' } }, ingress: [{ toPorts: [{ ports: [{ port, protocol: 'TCP' }] }] }] },
});
const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'demo' },
  spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
});

beforeEach(async () => {
  api = await new FakeApiServer().start();
  backend = new KubeBackend(api.kubeConfig(), { name: 'fake', waitTimeoutMs: 2000 });
});
afterEach(() => api.stop());

describe('apply (contract)', () => {
  it('server-side applies as field manager netpol-e2e with force, labelled managed-by, at the discovered path', async () => {
    const group = { apiVersion: 'cilium.io/v2', kind: 'CiliumCIDRGroup', metadata: { name: 'docs-sites' }, spec: { externalCIDRs: ['203.0.113.0/24'] } };
    await backend.apply([namespace('demo'), cnp('allow-80'), { ...cnp('everywhere'), kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'everywhere' } }, group]);
    const patches = api.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.path)).toEqual([
      '/api/v1/namespaces/demo',
      '/apis/cilium.io/v2/namespaces/demo/ciliumnetworkpolicies/allow-80',
      '/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies/everywhere',
      '/apis/cilium.io/v2/ciliumcidrgroups/docs-sites',
    ]);
    for (const r of patches) {
      expect(r.contentType).toBe('application/apply-patch+yaml');
      expect(r.query.get('fieldManager')).toBe('netpol-e2e');
      expect(r.query.get('force')).toBe('true');
      expect(r.authorization).toBe('Bearer test-token');
      expect(JSON.parse(r.body!).metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'netpol-e2e' });
    }
    expect(api.get('/apis/cilium.io/v2', 'ciliumnetworkpolicies', 'allow-80', 'demo')?.spec).toEqual(cnp('allow-80').spec);
  });

  it('sends every manifest of the repository exactly as written, apart from the managed-by label', async () => {
    // client-node's serializer would drop a NetworkPolicy rule's `from`; the body must be the manifest itself.
    const files = (await readdir(path.join(REPO, 'manifests'), { recursive: true })).filter((f) => f.endsWith('.yaml')).sort();
    const objects = (await Promise.all(files.map(async (f) => parseAllDocuments(await readFile(path.join(REPO, 'manifests', f), 'utf8')).map((d) => d.toJS() as KubeObject)))).flat().filter((o) => o?.kind);
    expect(objects.filter((o) => o.kind === 'NetworkPolicy').length).toBeGreaterThan(5);
    for (const object of objects.filter((o) => o.kind === 'Namespace')) await backend.apply([object]);
    for (const ns of ['default']) api.put('/api/v1', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await backend.apply(objects.filter((o) => o.kind !== 'Namespace'));
    const sent = api.requests.filter((r) => r.method === 'PATCH').map((r) => JSON.parse(r.body!) as KubeObject);
    expect(sent).toHaveLength(objects.length);
    const written = (o: KubeObject) => ({
      ...o,
      metadata: {
        ...o.metadata,
        namespace: o.kind === 'Namespace' || o.kind === 'CiliumClusterwideNetworkPolicy' ? undefined : (o.metadata.namespace ?? 'default'),
        labels: { ...o.metadata.labels, 'app.kubernetes.io/managed-by': 'netpol-e2e' },
      },
    });
    const byName = (list: KubeObject[]) => Object.fromEntries(list.map((o) => [`${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`, JSON.parse(JSON.stringify(o))]));
    expect(byName(sent)).toEqual(byName(objects.map(written)));
  });

  it('retries an apply the API server could not take (503, dropped connection), and never one it refused', async () => {
    api.fault((r) => r.method === 'PATCH', { code: 503, body: { kind: 'Status', message: 'etcdserver: leader changed' } });
    api.fault((r) => r.method === 'PATCH', 'drop');
    await backend.apply([namespace('demo')]);
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(3);

    api.fault((r) => r.method === 'PATCH', { code: 422, body: { kind: 'Status', message: 'CiliumNetworkPolicy.cilium.io "x" is invalid: spec.ingress[0]: Invalid value' } });
    const before = api.requests.length;
    await expect(backend.apply([cnp('x')])).rejects.toThrow(/apply CiliumNetworkPolicy demo\/x: HTTP 422: .*is invalid/);
    expect(api.requests.slice(before).filter((r) => r.method === 'PATCH')).toHaveLength(1);

    api.fault((r) => r.method === 'PATCH', { code: 403, body: { kind: 'Status', message: 'forbidden' } });
    await expect(backend.apply([namespace('other')])).rejects.toThrow(/HTTP 403: forbidden \(check the kubeconfig's credentials and RBAC\)/);
  });

  it('refuses to take over an object netpol-e2e did not make, since it would delete it afterwards', async () => {
    api.put('/api/v1', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring', labels: { team: 'sre' } } });
    await expect(backend.apply([namespace('monitoring')])).rejects.toThrow(/Namespace monitoring already exists and is not managed by netpol-e2e: refusing to change it/);
    expect(api.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    // Its own objects (left by an earlier run, say) it applies again.
    await backend.apply([namespace('demo')]);
    await backend.apply([namespace('demo')]);
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(2);
  });

  it('gives up on a server that keeps failing, with a TransportError', async () => {
    api.fault(() => true, { code: 503, body: { message: 'down' } }, 10);
    await expect(backend.apply([namespace('demo')])).rejects.toBeInstanceOf(TransportError);
  });
});

describe('delete and readiness through watches (contract)', () => {
  it('returns from remove only once the object is gone, and says so for a missing object unless told to ignore it', async () => {
    await backend.apply([namespace('demo'), cnp('allow-80')]);
    api.deleteDelayMs = 150;
    await backend.remove([{ kind: 'CiliumNetworkPolicy', namespace: 'demo', name: 'allow-80' }]);
    expect(api.get('/apis/cilium.io/v2', 'ciliumnetworkpolicies', 'allow-80', 'demo')).toBeUndefined();
    const watch = api.requests.find((r) => r.query.get('watch') === 'true');
    expect(watch?.path).toBe('/apis/cilium.io/v2/namespaces/demo/ciliumnetworkpolicies');
    expect(watch?.query.get('fieldSelector')).toBe('metadata.name=allow-80');
    expect(watch?.query.get('resourceVersion')).toMatch(/^\d+$/);
    const del = api.requests.find((r) => r.method === 'DELETE');
    expect(del?.path).toBe('/apis/cilium.io/v2/namespaces/demo/ciliumnetworkpolicies/allow-80');

    await expect(backend.remove([{ kind: 'NetworkPolicy', namespace: 'demo', name: 'nope' }])).rejects.toThrow(/delete NetworkPolicy demo\/nope: not found/);
    await backend.remove([{ kind: 'NetworkPolicy', namespace: 'demo', name: 'nope' }], { ignoreMissing: true });
    // A kind the server does not serve (no ClusterNetworkPolicy CRD here) has nothing to leave behind.
    await backend.remove([{ kind: 'ClusterNetworkPolicy', name: 'never-created' }], { ignoreMissing: true });
    await expect(backend.remove([{ kind: 'ClusterNetworkPolicy', name: 'never-created' }])).rejects.toThrow();
  });

  it('the stand-in deletes as the API server does: Background at once, Foreground through a finalizer and a new generation', async () => {
    await backend.apply([namespace('demo'), cnp('a'), cnp('b')]);
    const events: string[] = [];
    api.changes.push((o, type) => events.push(`${type} ${o.metadata.name} generation ${o.metadata.generation} finalizers ${o.metadata.finalizers?.join(',') ?? '-'}`));
    const del = (name: string, query: string) => fetch(`${api.url}/apis/cilium.io/v2/namespaces/demo/ciliumnetworkpolicies/${name}${query}`, { method: 'DELETE', headers: { authorization: 'Bearer test-token' } });
    const invalid = await del('a', '?propagationPolicy=Sideways');
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as { message: string }).message).toMatch(/propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan"/);
    const background = await del('a', '');
    expect(await background.json()).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'a', group: 'cilium.io', kind: 'ciliumnetworkpolicies' } });
    expect(events).toEqual(['deleted a generation 1 finalizers -']);
    const foreground = await del('b', '?propagationPolicy=Foreground');
    expect(await foreground.json()).toMatchObject({ metadata: { name: 'b', generation: 2, finalizers: ['foregroundDeletion'], deletionGracePeriodSeconds: 0, deletionTimestamp: expect.any(String) } });
    await new Promise((r) => setTimeout(r, api.gcDelayMs + 50));
    expect(events.slice(1)).toEqual(['updated b generation 2 finalizers foregroundDeletion', 'deleted b generation 2 finalizers -']);
    expect(api.get('/apis/cilium.io/v2', 'ciliumnetworkpolicies', 'b', 'demo')).toBeUndefined();
  });

  it('survives a watch whose start version expired (410 Gone), and an object that went meanwhile', async () => {
    await backend.apply([namespace('demo'), cnp('allow-80')]);
    api.deleteDelayMs = 200;
    api.expireWatchVersions = true;
    await backend.remove([{ kind: 'CiliumNetworkPolicy', namespace: 'demo', name: 'allow-80' }]);
    expect(api.get('/apis/cilium.io/v2', 'ciliumnetworkpolicies', 'allow-80', 'demo')).toBeUndefined();
    const watches = api.requests.filter((r) => r.query.get('watch') === 'true');
    expect(watches[0]!.query.get('resourceVersion')).toMatch(/^\d+$/);
    expect(watches.slice(1).every((w) => !w.query.get('resourceVersion'))).toBe(true);
  });

  it('takes a delete whose answer was lost and whose retry finds nothing as done', async () => {
    await backend.apply([namespace('demo'), cnp('allow-80')]);
    // The server deletes the object, then the connection drops before the answer: the retry meets a 404.
    api.fault((r) => r.method === 'DELETE', 'drop');
    api.deleteNow('/apis/cilium.io/v2', 'ciliumnetworkpolicies', 'allow-80', 'demo');
    await backend.remove([{ kind: 'CiliumNetworkPolicy', namespace: 'demo', name: 'allow-80' }]);
    expect(api.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
  });

  it('waits for a rollout through a watch and times out naming the state it saw last', async () => {
    await backend.apply([namespace('demo'), deployment('backend')]);
    await backend.waitReady([{ kind: 'Deployment', namespace: 'demo', name: 'backend' }]);
    expect(api.get('/apis/apps/v1', 'deployments', 'backend', 'demo')?.status).toMatchObject({ availableReplicas: 2 });

    api.rolloutDelayMs = undefined;
    await backend.apply([deployment('stuck')]);
    await expect(backend.waitReady([{ kind: 'Deployment', namespace: 'demo', name: 'stuck' }])).rejects.toThrow(/rollout of Deployment demo\/stuck: not done after 2 s \(added: 0\/2 available, generation 0\/1\)/);
  });
});

describe('StatefulSets, ReplicaSets and DaemonSets (contract)', () => {
  const workload = (kind: string, name: string, spec: object = {}) => ({ ...deployment(name), kind, spec: { ...deployment(name).spec, ...spec } });

  it('applies each at its resource, and waits until its controller reports the rollout done', async () => {
    api.put('/api/v1', 'nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker' } });
    const daemonSet = workload('DaemonSet', 'agent');
    delete (daemonSet.spec as { replicas?: number }).replicas;
    await backend.apply([namespace('demo'), workload('StatefulSet', 'db', { serviceName: 'db' }), workload('ReplicaSet', 'web'), daemonSet]);
    expect(
      api.requests
        .filter((r) => r.method === 'PATCH')
        .map((r) => r.path)
        .slice(1),
    ).toEqual(['/apis/apps/v1/namespaces/demo/statefulsets/db', '/apis/apps/v1/namespaces/demo/replicasets/web', '/apis/apps/v1/namespaces/demo/daemonsets/agent']);
    await backend.waitReady([
      { kind: 'StatefulSet', namespace: 'demo', name: 'db' },
      { kind: 'ReplicaSet', namespace: 'demo', name: 'web' },
      { kind: 'DaemonSet', namespace: 'demo', name: 'agent' },
    ]);
    // The API server's defaults, which kubectl rollout status reads (pkg/apis/apps/v1/defaults.go).
    expect(api.get('/apis/apps/v1', 'statefulsets', 'db', 'demo')?.spec).toMatchObject({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } });
    expect(api.get('/apis/apps/v1', 'daemonsets', 'agent', 'demo')?.status).toMatchObject({ desiredNumberScheduled: 1, numberAvailable: 1 });
    for (const plural of ['statefulsets', 'replicasets', 'daemonsets']) {
      expect(api.requests.some((r) => r.path === `/apis/apps/v1/namespaces/demo/${plural}` && r.query.get('watch') === 'true')).toBe(true);
    }
  });

  it('times out naming what the status said last', async () => {
    api.rolloutDelayMs = undefined;
    await backend.apply([namespace('demo'), workload('StatefulSet', 'db')]);
    await expect(backend.waitReady([{ kind: 'StatefulSet', namespace: 'demo', name: 'db' }])).rejects.toThrow(/rollout of StatefulSet demo\/db: not done after 2 s \(added: 0\/2 ready, generation 0\/1\)/);
  });
});

describe('bare Pods (contract)', () => {
  // The kubelet reports readiness as the Ready condition in status.conditions (core/v1 PodStatus); Running alone is
  // not ready: containers may still be starting or failing their readiness probe.
  const ready = (p: ReturnType<typeof pod>, status: 'True' | 'False') => ({ ...p, status: { ...(p.status as object), conditions: [{ type: 'Ready', status }] } });

  it('waits until a bare Pod is Ready, and times out naming its phase and readiness', async () => {
    const tmp = pod('demo', 'tmp-shell', { run: 'tmp-shell' });
    api.put('/api/v1', 'pods', ready(tmp, 'False'));
    setTimeout(() => api.put('/api/v1', 'pods', ready(tmp, 'True')), 100);
    await backend.waitReady([{ kind: 'Pod', namespace: 'demo', name: 'tmp-shell' }]);

    api.put('/api/v1', 'pods', pod('demo', 'stuck', { run: 'stuck' }));
    await expect(backend.waitReady([{ kind: 'Pod', namespace: 'demo', name: 'stuck' }])).rejects.toThrow(/readiness of Pod demo\/stuck: not done after 2 s \(.*phase Running, ready unknown\)/);
  });
});

describe('Service endpoints (contract)', () => {
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend', namespace: 'demo' }, spec: { selector: { app: 'backend' }, ports: [{ port: 8080 }] } };
  const slice = (ready: boolean) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'backend-abcde', namespace: 'demo', labels: { 'kubernetes.io/service-name': 'backend' } },
    endpoints: [{ addresses: ['10.244.1.10'], conditions: { ready } }],
  });

  it('waits until a Service backed by running pods has a ready endpoint', async () => {
    await backend.apply([namespace('demo'), service]);
    api.put('/api/v1', 'pods', pod('demo', 'backend-1', { app: 'backend' }));
    api.put('/apis/discovery.k8s.io/v1', 'endpointslices', slice(false));
    setTimeout(() => api.put('/apis/discovery.k8s.io/v1', 'endpointslices', slice(true)), 100);
    await backend.waitReady([{ kind: 'Service', namespace: 'demo', name: 'backend' }]);
    expect(api.get('/apis/discovery.k8s.io/v1', 'endpointslices', 'backend-abcde', 'demo')?.endpoints).toEqual(slice(true).endpoints);
  });

  it('does not wait for a Service no running pod backs', async () => {
    await backend.apply([namespace('demo'), service]);
    await backend.waitReady([{ kind: 'Service', namespace: 'demo', name: 'backend' }]);
    expect(api.requests.some((r) => r.path.endsWith('/endpointslices'))).toBe(false);
  });
});

describe('pods, Services and labels (contract)', () => {
  it('lists running pods by label selector, skipping pods not running or terminating', async () => {
    api.put('/api/v1', 'pods', pod('demo', 'frontend-1', { app: 'frontend' }, { ip: '10.244.1.5', node: 'w1' }));
    api.put('/api/v1', 'pods', pod('demo', 'frontend-2', { app: 'frontend' }, { phase: 'Pending' }));
    const terminating = pod('demo', 'frontend-3', { app: 'frontend' });
    terminating.metadata.deletionTimestamp = new Date().toISOString();
    api.put('/api/v1', 'pods', terminating);
    api.put('/api/v1', 'pods', pod('demo', 'backend-1', { app: 'backend' }));
    expect(await backend.pods({ namespace: 'demo', labels: { app: 'frontend' } })).toEqual([
      { name: 'frontend-1', namespace: 'demo', labels: { app: 'frontend' }, ip: '10.244.1.5', image: 'registry.k8s.io/e2e-test-images/agnhost:2.52', node: 'w1' },
    ]);
    expect(api.requests.at(-1)?.query.get('labelSelector')).toBe('app=frontend');
  });

  it("reads a Service's ClusterIP, and undefined for a missing or headless one", async () => {
    api.put('/api/v1', 'services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend', namespace: 'demo' }, spec: { clusterIP: '10.96.0.20' } });
    api.put('/api/v1', 'services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'headless', namespace: 'demo' }, spec: { clusterIP: 'None' } });
    expect(await backend.serviceIP({ namespace: 'demo', name: 'backend' })).toBe('10.96.0.20');
    expect(await backend.serviceIP({ namespace: 'demo', name: 'headless' })).toBeUndefined();
    expect(await backend.serviceIP({ namespace: 'demo', name: 'nope' })).toBeUndefined();
  });

  it('sets and removes labels with a merge patch, like kubectl label', async () => {
    api.put('/api/v1', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', labels: { keep: 'yes', drop: 'me' } } });
    await backend.setLabels({ kind: 'Namespace', name: 'kube-system' }, { contains: 'coredns', drop: null });
    const patch = api.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.contentType).toBe('application/merge-patch+json');
    expect(JSON.parse(patch.body!).metadata.labels).toEqual({ contains: 'coredns', drop: null });
    expect(await backend.labels({ kind: 'Namespace', name: 'kube-system' })).toEqual({ keep: 'yes', contains: 'coredns' });
    expect(await backend.labels({ kind: 'Namespace', name: 'nope' })).toBeUndefined();
  });
});

describe('enforcement on Cilium (contract)', () => {
  /** The identity-source labels of a pod as the API server holds it (and its namespace), as the agent would see them. */
  const podOnNode = (namespace: string, name: string) => () => {
    const pod = api.get('/api/v1', 'pods', name, namespace);
    const nsLabels = api.get('/api/v1', 'namespaces', namespace)?.metadata.labels ?? {};
    return pod ? [{ namespace, name, labels: Object.fromEntries(ciliumLabels(namespace, pod.metadata.labels ?? {}, nsLabels)), ip: (pod.status as { podIP: string }).podIP }] : [];
  };

  /** Two agents at policy revision 7 whose endpoints realize a new revision only after a few endpoint lists. */
  function ciliumAgents() {
    api.put('/api/v1', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo', labels: { 'kubernetes.io/metadata.name': 'demo', 'app.kubernetes.io/managed-by': 'netpol-e2e' } } });
    api.put('/api/v1', 'pods', pod('demo', 'frontend-1', { app: 'frontend' }, { node: 'w2' }));
    const agents = [new AgentStandIn('cilium-a', 7, 2), new AgentStandIn('cilium-b', 7, 3, podOnNode('demo', 'frontend-1'))];
    // The agents have known their pods since they started, and every ipcache learns each pod's identity.
    for (const agent of agents) {
      agent.ipcacheSource = () => agents.flatMap((a) => [...a.shownIdentities]);
      agent.answer(['cilium-dbg', 'endpoint', 'list', '-o', 'json']);
    }
    api.put('/api/v1', 'pods', pod('kube-system', 'cilium-a', { 'k8s-app': 'cilium' }, { node: 'w1', container: 'cilium-agent' }));
    api.put('/api/v1', 'pods', pod('kube-system', 'cilium-b', { 'k8s-app': 'cilium' }, { node: 'w2', container: 'cilium-agent' }));
    api.exec = (call: ExecCall, ws) => {
      expect(call.container).toBe('cilium-agent');
      const command = call.command.join(' ');
      const agentAnswer = agents.find((a) => a.node === call.pod)!.answer(call.command);
      if (agentAnswer) return reply(ws, agentAnswer);
      if (command.startsWith('hubble observe'))
        return reply(ws, {
          stdout:
            'Nov 22 12:00:00.000: demo/frontend-1:40000 (ID:1234) <> demo/backend-1:8080 (ID:5678) policy-verdict:none INGRESS DENIED (TCP Flags: SYN)\nNov 22 12:00:00.001: demo/frontend-1:40000 (ID:1234) <> demo/backend-1:8080 (ID:5678) Policy denied DROPPED (TCP Flags: SYN)\n',
          exitCode: 0,
        });
      // Only policy get and the endpoint list are asked: `policy wait` needs every endpoint ready at once.
      return reply(ws, { stderr: `unknown command ${command}`, exitCode: 1 });
    };
    // The agents import each policy change the API server accepts (a new generation; a re-apply of the same spec is
    // none), and each delete.
    api.changes.push((object) => {
      if (/NetworkPolicy$/.test(object.kind ?? '')) for (const a of agents) a.bump();
    });
    return agents;
  }
  const policyGets = () => api.execs.filter((e) => e.command.join(' ') === 'cilium-dbg policy get -o jsonpath={.revision}').length;

  it("reads each agent's policy repository revision before a change, and waits until every endpoint has realized revision + changes", async () => {
    const agents = ciliumAgents();
    const quick = new KubeBackend(api.kubeConfig(), { name: 'test', revisionPollMs: 1 });
    await quick.apply([namespace('demo'), cnp('a'), cnp('b')]);
    await quick.remove([{ kind: 'CiliumNetworkPolicy', namespace: 'demo', name: 'a' }]);
    // The revision before the first change, from each agent (cilium-cli's getCiliumPolicyRevision).
    expect(policyGets()).toBe(2);
    expect(await quick.waitEnforced({ applied: [], removed: [], relabelled: [] })).toBe('confirmed');
    // Three changes: 7 + 3, realized on every endpoint (also the slowest) when the wait returned.
    for (const agent of agents) expect(agent.confirmed.at(-1)).toBe(10);
  });

  it('takes the target from the repository, which is ahead of endpoints still realizing an earlier change', async () => {
    const agents = ciliumAgents();
    const quick = new KubeBackend(api.kubeConfig(), { name: 'test', revisionPollMs: 1 });
    // Someone else's policy was imported just now: the repository is at 8, every endpoint still at 7.
    for (const agent of agents) agent.bump();
    await quick.apply([namespace('demo'), cnp('a')]);
    expect(await quick.waitEnforced({ applied: [], removed: [], relabelled: [] })).toBe('confirmed');
    // Ours is 9; the highest realized revision (7) plus one would have been met by the earlier change alone.
    for (const agent of agents) expect(agent.confirmed.at(-1)).toBe(9);
  });

  it('names the endpoints still behind when a revision is not realized in time', async () => {
    const agents = ciliumAgents();
    agents[1]!.stuck = true;
    // Time enough for the other agent to finish, also on a busy machine.
    const quick = new KubeBackend(api.kubeConfig(), { name: 'test', revisionPollMs: 1, waitTimeoutMs: 1500 });
    await quick.apply([namespace('demo'), cnp('a')]);
    await expect(quick.waitEnforced({ applied: [], removed: [], relabelled: [] })).rejects.toThrow(/policy revision 8 not realized on cilium-b within 2 s: endpoint\(s\) 102 at 7$/);
  });

  it('does not wait for a revision when an apply changed nothing', async () => {
    const agents = ciliumAgents();
    const quick = new KubeBackend(api.kubeConfig(), { name: 'test', revisionPollMs: 1 });
    await quick.apply([namespace('demo'), cnp('a')]);
    await quick.waitEnforced({ applied: [], removed: [], relabelled: [] });
    const lists = agents.map((a) => a.confirmed.length);
    await quick.apply([cnp('a')]);
    expect(await quick.waitEnforced({ applied: [], removed: [], relabelled: [] })).toBe('confirmed');
    expect(agents.map((a) => a.confirmed.length)).toEqual(lists);
  });

  it('deletes a policy with Background propagation: one import for one delete, as the wait counts it', async () => {
    const agents = ciliumAgents();
    const quick = new KubeBackend(api.kubeConfig(), { name: 'test', revisionPollMs: 1 });
    await quick.apply([namespace('demo'), cnp('a')]);
    await quick.waitEnforced({ applied: [], removed: [], relabelled: [] });
    const before = agents[0]!.revision;
    await quick.remove([{ kind: 'CiliumNetworkPolicy', namespace: 'demo', name: 'a' }]);
    expect(api.requests.find((r) => r.method === 'DELETE')?.query.get('propagationPolicy')).toBe('Background');
    // A Foreground delete would have raised the generation first (a second import), one revision past the target.
    expect(agents.map((a) => a.revision)).toEqual([before + 1, before + 1]);
    expect(await quick.waitEnforced({ applied: [], removed: [], relabelled: [] })).toBe('confirmed');
    for (const agent of agents) expect(agent.confirmed.at(-1)).toBe(before + 1);
  });

  it("after a relabel, waits until the relabelled pods' endpoints carry their new identity labels and are ready, and every ipcache has it", async () => {
    const agents = ciliumAgents();
    const quick = new KubeBackend(api.kubeConfig(), { name: 'test', revisionPollMs: 1 });
    const frontend = { kind: 'Pod', namespace: 'demo', name: 'frontend-1' };
    const shown = () => agents[1]!.lastShown('demo/frontend-1')!;
    await quick.setLabels(frontend, { role: 'web' });
    expect(await quick.waitEnforced({ applied: [], removed: [], relabelled: [frontend] })).toBe('confirmed');
    expect(shown()).toMatchObject({ state: 'ready', identity: expect.arrayContaining(['k8s:app=frontend', 'k8s:role=web']) });
    // Both nodes' ipcaches give the pod's address its new identity.
    const identity = agents[1]!.shownIdentities.get('10.244.1.10')!.identity;
    expect(agents.map((a) => a.lastIpcache.get('10.244.1.10'))).toEqual([identity, identity]);
    // A namespace's labels reach every pod in it, as io.cilium.k8s.namespace.labels.*.
    await quick.setLabels({ kind: 'Namespace', name: 'demo' }, { team: 'a' });
    expect(await quick.waitEnforced({ applied: [], removed: [], relabelled: [{ kind: 'Namespace', name: 'demo' }] })).toBe('confirmed');
    expect(shown().identity).toContain('k8s:io.cilium.k8s.namespace.labels.team=a');
    // A removed label is gone from the identity; a label the agent's filter leaves out of identities is not waited for.
    await quick.setLabels(frontend, { role: null, 'pod-template-hash': 'abc' });
    expect(await quick.waitEnforced({ applied: [], removed: [], relabelled: [frontend] })).toBe('confirmed');
    expect(shown().identity.filter((l) => l.startsWith('k8s:role') || l.startsWith('k8s:pod-template-hash'))).toEqual([]);
    expect(shown().state).toBe('ready');
  });

  it('names the relabelled endpoints still without their new identity when time is up', async () => {
    const agents = ciliumAgents();
    agents[1]!.labelLag = 1_000;
    const quick = new KubeBackend(api.kubeConfig(), { name: 'test', revisionPollMs: 1, waitTimeoutMs: 50 });
    await quick.setLabels({ kind: 'Pod', namespace: 'demo', name: 'frontend-1' }, { role: 'web' });
    await expect(quick.waitEnforced({ applied: [], removed: [], relabelled: [] })).rejects.toThrow(/relabelled pods' identities not realized within 0 s: endpoint 200 \(demo\/frontend-1\) on cilium-b: identity \d+ lacks k8s:role=web/);
  });

  it("names the agents whose ipcache still gives a relabelled pod's address its old identity when time is up", async () => {
    const agents = ciliumAgents();
    // Time enough for the endpoint to show its new identity first, also on a busy machine.
    const quick = new KubeBackend(api.kubeConfig(), { name: 'test', revisionPollMs: 1, waitTimeoutMs: 1500 });
    for (const agent of agents) agent.answer(['cilium-dbg', 'ip', 'list', '-o', 'json']);
    agents[0]!.ipcacheLag = 1_000;
    await quick.setLabels({ kind: 'Pod', namespace: 'demo', name: 'frontend-1' }, { role: 'web' });
    await expect(quick.waitEnforced({ applied: [], removed: [], relabelled: [] })).rejects.toThrow(
      /relabelled pods' identities not realized within 2 s: 10\.244\.1\.10 \(demo\/frontend-1\) in the ipcache of cilium-a: identity \d+, not \d+$/,
    );
  });

  it('describes the cluster: Kubernetes from the API server, Cilium from a running agent, kernel and image from a node', async () => {
    ciliumAgents();
    api.put('/api/v1', 'nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'w1' }, status: { nodeInfo: { kernelVersion: '6.8.0-1021-azure', osImage: 'Debian GNU/Linux 12 (bookworm)', kubeletVersion: 'v1.36.1' } } });
    expect(await backend.environment()).toEqual({ kubernetesVersion: 'v1.36.1', ciliumVersion: '1.20.2', nodeImage: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.8.0-1021-azure' });
    const kind = new KubeBackend(api.kubeConfig(), { name: 'kind', nodeImage: 'kindest/node:v1.36.1' });
    expect((await kind.environment()).nodeImage).toBe('kindest/node:v1.36.1');
  });

  it('names another CNI where no Cilium agent runs, and leaves out what it cannot learn', async () => {
    api.put('/api/v1', 'pods', pod('kube-system', 'kindnet-abcde', { app: 'kindnet' }, { node: 'w1' }));
    expect(await backend.environment()).toEqual({ kubernetesVersion: 'v1.36.1', cni: 'kindnet' });
  });

  it('is unconfirmed on a cluster without Cilium agents', async () => {
    await backend.apply([namespace('demo'), cnp('a')]);
    expect(await backend.waitEnforced({ applied: [], removed: [], relabelled: [] })).toBe('unconfirmed');
  });

  it('gathers flows with drop reasons and the endpoint state from the agent on the source pod node', async () => {
    ciliumAgents();
    const source = { name: 'frontend-1', namespace: 'demo', labels: {}, ip: '10.244.1.5', image: '', node: 'w2' };
    const lines = await backend.diagnose(source, '10.96.0.20');
    expect(api.execs.every((e) => e.pod === 'cilium-b')).toBe(true);
    expect(lines.join('\n')).toMatch(/Policy denied DROPPED/);
    expect(lines).toContainEqual(expect.stringMatching(/^endpoint 200: state ready, identity \d+, enforcement none, policy revision 7$/));
    expect(await backend.diagnose({ ...source, node: 'elsewhere' }, 'x')).toEqual(['no Cilium agent found on node elsewhere: no flow evidence']);
  });
});
