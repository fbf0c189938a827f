// Contract tests: every request, response, watch and exec is bounded, against an API server stand-in that
// misbehaves (silent: accepts, never answers; endless: a body without end; slow: a byte at a time). Each must end
// with an error naming the server and the request, and what was applied must still be removable afterwards.
// Timeouts are small and the assertions are on the errors, never on how long anything took.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransportError, UnreachableError } from '../../../src/backends/backend.ts';
import { ApiTransport } from '../../../src/backends/kube/bounded-http.ts';
import { execInPod } from '../../../src/backends/kube/exec.ts';
import { KubeBackend } from '../../../src/backends/kube/kube-backend.ts';
import { FakeApiServer, pod } from '../../support/fake-apiserver.ts';

let api: FakeApiServer;
const bounds = { requestTimeoutMs: 300, maxResponseBytes: 256 * 1024, watchIdleMs: 300 };
const backend = (waitTimeoutMs = 20_000) => new KubeBackend(api.kubeConfig(), { name: 'fake', waitTimeoutMs, bounds });
const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } };
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'demo' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
};
const server = () => api.url.replace(/[.]/g, '[.]');

beforeEach(async () => {
  api = await new FakeApiServer().start();
});
afterEach(() => api.stop());

describe('requests (contract, a misbehaving API server)', () => {
  it('gives up on a server that accepts and never answers, naming the server and the request, and retries it as transport', async () => {
    api.misbehave((r) => r.method === 'PATCH', 'silent');
    const error = await backend()
      .apply([namespace])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(new RegExp(`^apply Namespace demo: PATCH /api/v1/namespaces/demo on ${server()}: no answer within 0.3 s`));
    // Transport errors are retried (three times), as before.
    expect(api.misbehaved).toHaveLength(4);
  });

  it('cuts off a body without end at the size cap, and does not ask again', async () => {
    api.misbehave((r) => r.method === 'GET' && r.path === '/api/v1/namespaces/demo', 'endless');
    const error = await backend()
      .apply([namespace])
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(new RegExp(`^read Namespace demo: GET /api/v1/namespaces/demo on ${server()}: the answer exceeded 0.250 MiB`));
    expect(api.misbehaved).toHaveLength(1);
  });

  it('gives up on a body that trickles in, however much arrives', async () => {
    api.misbehave((r) => r.method === 'GET' && r.path === '/api/v1/namespaces/demo/pods', 'slow', 1);
    api.misbehave((r) => r.method === 'GET' && r.path === '/api/v1/namespaces/demo/pods', 'endless');
    const error = await backend()
      .pods({ namespace: 'demo', labels: { app: 'web' } })
      .catch((e: unknown) => e);
    // The slow answer timed out (transport, retried); the endless one that followed is too large (not retried).
    expect((error as Error).message).toMatch(/GET \/api\/v1\/namespaces\/demo\/pods on .*: the answer exceeded/);
    expect(api.misbehaved).toHaveLength(2);
  });

  it('names the slow server and request when the body did not end in time', async () => {
    api.misbehave((r) => r.method === 'DELETE', 'slow');
    const b = backend();
    await b.apply([namespace]);
    const error = await b.remove([{ kind: 'Namespace', name: 'demo' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(new RegExp(`^delete Namespace demo: DELETE /api/v1/namespaces/demo on ${server()}: the answer did not end within 0.3 s \\(\\d+ bytes read\\)`));
  });
});

describe('watches (contract, a misbehaving API server)', () => {
  it('ends a wait on a watch that is never answered, naming the watch request and the server', async () => {
    const b = backend(4000);
    await b.apply([namespace, deployment]);
    api.misbehave((r) => r.query.get('watch') === 'true', 'silent');
    const error = await b.waitReady([{ kind: 'Deployment', namespace: 'demo', name: 'web' }]).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(new RegExp(`rollout of Deployment demo/web: .*watch GET /apis/apps/v1/namespaces/demo/deployments on ${server()}: no answer within 0.3 s`));
    // Cleanup asks with requests of its own, each bounded, and they are answered.
    await b.remove([
      { kind: 'Deployment', namespace: 'demo', name: 'web' },
      { kind: 'Namespace', name: 'demo' },
    ]);
    expect(api.get('/apis/apps/v1', 'deployments', 'web', 'demo')).toBeUndefined();
  });

  it('refuses a watch event without end at the size cap', async () => {
    const b = backend();
    await b.apply([namespace, deployment]);
    api.misbehave((r) => r.query.get('watch') === 'true', 'endless');
    await expect(b.waitReady([{ kind: 'Deployment', namespace: 'demo', name: 'web' }])).rejects.toThrow(
      new RegExp(`^rollout of Deployment demo/web: watch GET /apis/apps/v1/namespaces/demo/deployments on ${server()}: one event: the answer exceeded 0.250 MiB`),
    );
  });

  it('opens a watch again that went quiet (no event, no bookmark) and still sees the rollout', async () => {
    api.rolloutDelayMs = undefined;
    const b = backend();
    await b.apply([namespace, deployment]);
    // The first watch trickles bytes that never make an event; the rollout happens meanwhile.
    api.misbehave((r) => r.query.get('watch') === 'true', 'slow', 1);
    const ready = b.waitReady([{ kind: 'Deployment', namespace: 'demo', name: 'web' }]);
    await expect.poll(() => api.misbehaved.length).toBe(1);
    const current = api.get('/apis/apps/v1', 'deployments', 'web', 'demo')!;
    api.put('/apis/apps/v1', 'deployments', { ...current, status: { observedGeneration: current.metadata.generation, replicas: 1, updatedReplicas: 1, availableReplicas: 1 } });
    await ready;
    expect(api.requests.filter((r) => r.query.get('watch') === 'true').length).toBeGreaterThanOrEqual(2);
  });
});

describe('exec (contract, a misbehaving API server)', () => {
  const target = { namespace: 'demo', pod: 'web-1' };
  beforeEach(() => api.put('/api/v1', 'pods', pod('demo', 'web-1', { app: 'web' })));
  const exec = (timeoutMs = 60_000) => execInPod(new ApiTransport(api.kubeConfig(), bounds), target, ['true'], timeoutMs);

  it('gives up on an upgrade that is never answered within the request timeout, naming the server and the request', async () => {
    api.misbehave(() => true, 'silent');
    const error = await exec().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(new RegExp(`^exec in demo/web-1 \\(GET /api/v1/namespaces/demo/pods/web-1/exec on ${server()}\\): connection failed: Opening handshake has timed out`));
  });

  it('cuts off output without end at the size cap, as an error retrying would not mend', async () => {
    api.misbehave(() => true, 'endless');
    const error = await exec().catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(new RegExp(`^exec in demo/web-1 \\(GET /api/v1/namespaces/demo/pods/web-1/exec on ${server()}\\): the answer exceeded 0.250 MiB`));
  });

  it('ends an exec whose output trickles without a status, naming the request', async () => {
    api.misbehave(() => true, 'slow');
    await expect(exec(500)).rejects.toThrow(new RegExp(`^exec in demo/web-1 \\(GET /api/v1/namespaces/demo/pods/web-1/exec on ${server()}\\) did not end within 500 ms`));
  });
});

describe("the run's signal (contract): a request or exec in flight ends at once, with the signal's reason", () => {
  // Bounds of a minute: only the signal can end these within the test.
  const patient = { requestTimeoutMs: 60_000, maxResponseBytes: 256 * 1024, watchIdleMs: 60_000 };
  const stop = new Error('interrupted (SIGINT)');

  it('ends a request the server holds unanswered, and does not ask again', async () => {
    api.misbehave((r) => r.method === 'PATCH', 'silent');
    const controller = new AbortController();
    const applying = new KubeBackend(api.kubeConfig(), { name: 'fake', bounds: patient }).apply([namespace], controller.signal);
    await expect.poll(() => api.misbehaved.length).toBe(1);
    controller.abort(stop);
    await expect(applying).rejects.toBe(stop);
    expect(api.misbehaved).toHaveLength(1);
  });

  it('ends an answer that trickles in', async () => {
    api.put('/api/v1', 'namespaces', namespace);
    api.misbehave((r) => r.method === 'GET' && r.path === '/api/v1/namespaces/demo', 'slow');
    const controller = new AbortController();
    const reading = new KubeBackend(api.kubeConfig(), { name: 'fake', bounds: patient }).labels({ kind: 'Namespace', name: 'demo' }, controller.signal);
    await expect.poll(() => api.misbehaved.length).toBe(1);
    controller.abort(stop);
    await expect(reading).rejects.toBe(stop);
  });

  it('ends an exec whose command never ends', async () => {
    api.put('/api/v1', 'pods', pod('demo', 'web-1', { app: 'web' }));
    api.exec = () => {};
    const controller = new AbortController();
    const running = execInPod(new ApiTransport(api.kubeConfig(), patient), { namespace: 'demo', pod: 'web-1' }, ['sleep', '3600'], 3_600_000, controller.signal);
    await expect.poll(() => api.execs.length).toBe(1);
    controller.abort(stop);
    await expect(running).rejects.toBe(stop);
  });
});

describe('a dead API server (contract)', () => {
  it('is unreachable, naming the server, after four attempts', async () => {
    const b = backend();
    await b.apply([namespace]);
    api.die();
    const error = await b.labels({ kind: 'Namespace', name: 'demo' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as UnreachableError).server).toBe(api.url);
    expect((error as Error).message).toMatch(new RegExp(`^read Namespace demo: GET /api/v1/namespaces/demo on ${server()}: connect ECONNREFUSED .* \\(4 attempts\\)$`));
  });

  it('is unreachable when it cuts the connection of a request in flight, and still refuses the retries', async () => {
    const b = backend();
    api.arrivals.push((r) => r.method === 'PATCH' && api.die());
    const error = await b.apply([namespace]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('is unreachable for an exec too, naming the server', async () => {
    api.put('/api/v1', 'pods', pod('demo', 'web-1', { app: 'web' }));
    api.die();
    const error = await execInPod(new ApiTransport(api.kubeConfig(), bounds), { namespace: 'demo', pod: 'web-1' }, ['true'], 60_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toMatch(new RegExp(`^exec in demo/web-1 \\(GET /api/v1/namespaces/demo/pods/web-1/exec on ${server()}\\): connection failed: connect ECONNREFUSED`));
  });

  it('is there when it answers, even with 503: a transport error, not an unreachable server', async () => {
    api.fault((r) => r.method === 'GET', { code: 503, body: { kind: 'Status', message: 'etcd is down' } }, Infinity);
    const error = await backend()
      .labels({ kind: 'Namespace', name: 'demo' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).not.toBeInstanceOf(UnreachableError);
  });
});
