// Contract tests: the exec client against a local server speaking the documented exec protocol
// (WebSocket upgrade with channel.k8s.io v5/v4, one channel byte per message, v1 Status on channel 3).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TransportError } from '../../../src/backends/backend.ts';
import { ApiTransport } from '../../../src/backends/kube/bounded-http.ts';
import { execInPod, execPath } from '../../../src/backends/kube/exec.ts';
import { CHANNEL, encodeFrame, readStatus } from '../../../src/backends/kube/exec-protocol.ts';
import { KubeBackend } from '../../../src/backends/kube/kube-backend.ts';
import { classifyProbe } from '../../../src/probe/classify.ts';
import { buildProbeArgv } from '../../../src/probe/command.ts';
import { exitStatus, FakeApiServer, pod, reply } from '../../support/fake-apiserver.ts';

let api: FakeApiServer;
const target = { namespace: 'demo', pod: 'frontend-1', container: 'main' };

beforeEach(async () => {
  api = await new FakeApiServer().start();
  api.put('/api/v1', 'pods', pod('demo', 'frontend-1', { app: 'frontend' }));
});
afterEach(() => api.stop());

describe('exec status channel', () => {
  it('reads Success as exit code 0, NonZeroExitCode as its ExitCode cause, anything else as a failure to run', () => {
    expect(readStatus(exitStatus(0))).toEqual({ kind: 'exited', exitCode: 0 });
    expect(readStatus(exitStatus(28))).toEqual({ kind: 'exited', exitCode: 28 });
    const noCode = JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', message: 'command terminated', details: { causes: [] } });
    expect(readStatus(noCode)).toMatchObject({ kind: 'failed', message: expect.stringMatching(/exit code missing/) });
    const internal = JSON.stringify({ status: 'Failure', reason: 'InternalError', message: 'container not found ("main")' });
    expect(readStatus(internal)).toEqual({ kind: 'failed', message: 'container not found ("main")' });
    expect(readStatus('not json')).toMatchObject({ kind: 'failed' });
  });
});

describe('exec over WebSocket (contract)', () => {
  it('asks for the command, container and both output streams, authenticated, and prefers v5', async () => {
    const result = await execInPod(new ApiTransport(api.kubeConfig()), target, ['sh', '-c', 'echo out; echo err >&2; exit 0'], 5000);
    expect(result).toEqual({ exitCode: 0, stdout: 'out\n', stderr: 'err\n' });
    const [call] = api.execs;
    expect(call).toMatchObject({ namespace: 'demo', pod: 'frontend-1', container: 'main', protocol: 'v5.channel.k8s.io', command: ['sh', '-c', 'echo out; echo err >&2; exit 0'] });
    expect(call!.query.get('stdout')).toBe('true');
    expect(call!.query.get('stderr')).toBe('true');
    expect(call!.query.get('stdin')).toBeNull();
    expect(execPath(target, ['a b', '&x=y'])).toBe('/api/v1/namespaces/demo/pods/frontend-1/exec?stdout=true&stderr=true&container=main&command=a+b&command=%26x%3Dy');
  });

  it('speaks v4 with a server that only has v4, and takes the exit code from the status channel', async () => {
    api.execProtocols = ['v4.channel.k8s.io'];
    const result = await execInPod(new ApiTransport(api.kubeConfig()), target, ['sh', '-c', 'echo "curl: (28) Connection timed out" >&2; exit 28'], 5000);
    expect(result).toEqual({ exitCode: 28, stdout: '', stderr: 'curl: (28) Connection timed out\n' });
    expect(api.execs[0]!.protocol).toBe('v4.channel.k8s.io');
  });

  it('refuses a server that speaks neither v5 nor v4', async () => {
    api.execProtocols = ['v3.channel.k8s.io'];
    await expect(execInPod(new ApiTransport(api.kubeConfig()), target, ['true'], 5000)).rejects.toThrow();
  });

  it('reassembles output split over many frames and ignores v5 close signals and empty frames', async () => {
    api.exec = (_call, ws) => {
      for (const part of ['HTTP/1.1 ', '200 OK\r\n', 'Server: x\r\n']) ws.send(encodeFrame(CHANNEL.stdout, part));
      ws.send(encodeFrame(CHANNEL.close, Buffer.from([CHANNEL.stdout])));
      ws.send(Buffer.alloc(0));
      ws.send(encodeFrame(CHANNEL.status, exitStatus(0)));
      ws.close();
    };
    expect(await execInPod(new ApiTransport(api.kubeConfig()), target, ['curl'], 5000)).toEqual({ exitCode: 0, stdout: 'HTTP/1.1 200 OK\r\nServer: x\r\n', stderr: '' });
  });

  it('calls a connection lost before the status a TransportError, never an exit code', async () => {
    api.exec = (_call, ws) => {
      ws.send(encodeFrame(CHANNEL.stdout, 'HTTP/1.1 200 OK\r\n'));
      ws.terminate();
    };
    const lost = execInPod(new ApiTransport(api.kubeConfig()), target, ['curl'], 5000);
    await expect(lost).rejects.toBeInstanceOf(TransportError);
    await expect(lost).rejects.toThrow(/before the command's status arrived/);
  });

  it('calls a status other than an exit a plain error: the command did not run, and retrying will not help', async () => {
    api.exec = (_call, ws) => {
      ws.send(encodeFrame(CHANNEL.status, JSON.stringify({ status: 'Failure', reason: 'InternalError', message: 'OCI runtime exec failed: executable file not found in $PATH: "sh"' })));
      ws.close();
    };
    const failed = execInPod(new ApiTransport(api.kubeConfig()), target, ['sh'], 5000);
    await expect(failed).rejects.toThrow(/executable file not found/);
    await expect(failed).rejects.not.toBeInstanceOf(TransportError);
  });

  it('maps refused upgrades: 404 and 403 are errors about the request, 503 is transport', async () => {
    const gone = execInPod(new ApiTransport(api.kubeConfig()), { ...target, pod: 'nope' }, ['true'], 5000);
    await expect(gone).rejects.toThrow(/HTTP 404: pods "nope" not found/);
    await expect(gone).rejects.not.toBeInstanceOf(TransportError);
    await expect(execInPod(new ApiTransport(api.kubeConfig('wrong')), target, ['true'], 5000)).rejects.toThrow(/HTTP 401/);
    api.fault(() => true, { code: 503, body: { kind: 'Status', message: 'apiserver is shutting down' } });
    await expect(execInPod(new ApiTransport(api.kubeConfig()), target, ['true'], 5000)).rejects.toBeInstanceOf(TransportError);
  });

  it('gives up on an exec that never ends, as a TransportError', async () => {
    api.exec = () => {};
    await expect(execInPod(new ApiTransport(api.kubeConfig()), target, ['sleep', '100'], 300)).rejects.toThrow(/did not end within 300 ms/);
  });

  it('is a TransportError when nothing listens', async () => {
    const config = api.kubeConfig();
    await api.stop();
    await expect(execInPod(new ApiTransport(config), target, ['true'], 2000)).rejects.toBeInstanceOf(TransportError);
    api = await new FakeApiServer().start();
  });
});

describe('probe batches through exec (contract, real sh and curl on loopback)', () => {
  let web: Server;
  let port: number;
  beforeAll(async () => {
    web = createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    port = (web.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => web.close(r)));

  it('runs every probe of a pod in one exec and classifies what real curl printed', async () => {
    const backend = new KubeBackend(api.kubeConfig(), { name: 'fake' });
    const [info] = await backend.pods({ namespace: 'demo', labels: { app: 'frontend' } });
    const probes = [
      buildProbeArgv({ tool: 'curl', url: `http://127.0.0.1:${port}/`, method: 'GET', connectTimeoutSeconds: 2, maxTimeSeconds: 4 }),
      // Port 1 on loopback: nothing listens, the kernel answers with a reset.
      buildProbeArgv({ tool: 'curl', url: 'http://127.0.0.1:1/', method: 'GET', connectTimeoutSeconds: 2, maxTimeSeconds: 4 }),
      buildProbeArgv({ tool: 'curl', url: `http://127.0.0.1:${port}/x`, method: 'POST', connectTimeoutSeconds: 2, maxTimeSeconds: 4 }),
    ];
    const results = await backend.probe(info!, probes, 6000);
    expect(api.execs).toHaveLength(1);
    expect(api.execs[0]!.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(results.map((r, i) => classifyProbe(probes[i]!, r)).map((c) => [c.outcome, c.status])).toEqual([
      ['ok', 204],
      ['refused', undefined],
      ['ok', 204],
    ]);
  });
});

describe('probes in an image without a shell (contract)', () => {
  it('falls back to one exec per probe when the runtime cannot find sh', async () => {
    const backend = new KubeBackend(api.kubeConfig(), { name: 'fake' });
    const [info] = await backend.pods({ namespace: 'demo', labels: { app: 'frontend' } });
    api.exec = (call, ws) => {
      if (call.command[0] === 'sh') {
        ws.send(encodeFrame(CHANNEL.status, JSON.stringify({ status: 'Failure', reason: 'InternalError', message: 'OCI runtime exec failed: exec: "sh": executable file not found in $PATH' })));
        return void ws.close();
      }
      reply(ws, { stdout: `ran ${call.command.join(' ')}`, exitCode: call.command.length });
    };
    const results = await backend.probe(
      info!,
      [
        ['/agnhost', 'connect', 'a:80'],
        ['/agnhost', 'connect', 'b:81', '--timeout=1s'],
      ],
      2000,
    );
    expect(results).toEqual([
      { exitCode: 3, stdout: 'ran /agnhost connect a:80', stderr: '' },
      { exitCode: 4, stdout: 'ran /agnhost connect b:81 --timeout=1s', stderr: '' },
    ]);
    expect(api.execs.map((e) => e.command[0])).toEqual(['sh', '/agnhost', '/agnhost']);
  });
});
