import { describe, expect, it } from 'vitest';
import { buildProbeArgv, parseProbeArgv, type ProbeSpec } from '../../src/probe/command.ts';
import { parseExpectation, satisfies } from '../../src/probe/outcome.ts';
import { parseTarget, probeFor } from '../../src/probe/target.ts';

describe('probe command', () => {
  const specs: [ProbeSpec, string[]][] = [
    [{ tool: 'curl', url: 'https://kubernetes.io/', method: 'GET', connectTimeoutSeconds: 5, maxTimeSeconds: 10 }, ['curl', '-sS', '-o', '/dev/null', '-D', '-', '-k', '--connect-timeout', '5', '-m', '10', 'https://kubernetes.io/']],
    [{ tool: 'curl', url: 'http://backend:8080/', method: 'HEAD', connectTimeoutSeconds: 5, maxTimeSeconds: 10 }, ['curl', '-sS', '-I', '--connect-timeout', '5', '-m', '10', 'http://backend:8080/']],
    [{ tool: 'curl', url: 'http://backend:8080/x', method: 'POST', connectTimeoutSeconds: 3, maxTimeSeconds: 6 }, ['curl', '-sS', '-o', '/dev/null', '-D', '-', '-X', 'POST', '--connect-timeout', '3', '-m', '6', 'http://backend:8080/x']],
    [{ tool: 'connect', host: '10.244.0.7', port: 81, protocol: 'SCTP', timeoutSeconds: 5 }, ['/agnhost', 'connect', '10.244.0.7:81', '--timeout=5s', '--protocol=sctp']],
  ];
  it.each(specs)('builds %j and parses it back', (spec, argv) => {
    expect(buildProbeArgv(spec)).toEqual(argv);
    expect(parseProbeArgv(argv)).toEqual(spec);
  });

  it.each([
    [['wget', 'http://x']],
    [['curl', '--resolve', 'x:80:1.2.3.4', 'http://x']],
    [['curl', '-sS', 'http://x']],
    [['curl', '-sS', '-o', '/dev/null', '-D', '-', '-X', 'TRACE', '--connect-timeout', '5', '-m', '10', 'http://x']],
    [['/agnhost', 'connect', 'x:80', '--timeout=5s', '--protocol=icmp']],
    [['/agnhost', 'netexec', 'x:80', '--timeout=5s', '--protocol=tcp']],
    [['/agnhost', 'connect', 'x:80', '--timeout=5s', '--protocol=tcp', '; rm -rf /']],
  ])('refuses %j, which it did not build', (argv) => {
    expect(parseProbeArgv(argv)).toBeUndefined();
  });
});

describe('targets', () => {
  const url = (text: string) => {
    const spec = probeFor(parseTarget(text)!, (parseTarget(text)!.host as { name: string }).name, 5);
    if (spec.tool === 'ping') return `ICMP ${spec.host}`;
    if (spec.tool === 'lookup') return `LOOKUP ${spec.name}`;
    return spec.tool === 'curl' ? `${spec.method} ${spec.url}` : `${spec.protocol} ${spec.host}:${spec.port}`;
  };
  it.each([
    ['backend:8080', 'GET http://backend:8080/'],
    ['backend.default.svc.cluster.local:8080', 'GET http://backend.default.svc.cluster.local:8080/'],
    ['kubernetes.io', 'GET http://kubernetes.io/'],
    ['https://cilium.io', 'GET https://cilium.io/'],
    ['https://cilium.io:8443/x', 'GET https://cilium.io:8443/x'],
    ['POST http://backend:8080/v1/orders', 'POST http://backend:8080/v1/orders'],
    ['udp://s-a.x:80', 'UDP s-a.x:80'],
    ['sctp://203.0.113.9:81', 'SCTP 203.0.113.9:81'],
    ['icmp://one.one.one.one', 'ICMP one.one.one.one'],
    ['dns://hostnames.default', 'LOOKUP hostnames.default'],
    ['dns://kubernetes.default.svc.cluster.local.', 'LOOKUP kubernetes.default.svc.cluster.local.'],
  ])('%s -> %s', (text, expected) => {
    expect(url(text)).toBe(expected);
  });

  it('names pod-IP and Service-IP targets by pod or Service', () => {
    expect(parseTarget('pod-ip:monitoring/monitoring:9090')).toMatchObject({ host: { kind: 'pod-ip', pod: { namespace: 'monitoring', name: 'monitoring' } }, port: 9090, scheme: 'http' });
    expect(parseTarget('udp://service-ip:x/s-a:80')).toMatchObject({ host: { kind: 'service-ip', service: { namespace: 'x', name: 's-a' } }, port: 80, scheme: 'udp' });
    const spec = probeFor(parseTarget('tcp://pod-ip:x/a:81')!, '10.244.0.5', 5);
    expect(buildProbeArgv(spec)).toEqual(['/agnhost', 'connect', '10.244.0.5:81', '--timeout=5s', '--protocol=tcp']);
  });

  it("pings a pod by its IP as Cilium's connectivity tests do (ping -c 1 -W N), and parses that argv back", () => {
    expect(parseTarget('icmp://pod-ip:x/b')).toMatchObject({ host: { kind: 'pod-ip', pod: { namespace: 'x', name: 'b' } }, port: 0, scheme: 'icmp' });
    const argv = buildProbeArgv(probeFor(parseTarget('icmp://pod-ip:x/b')!, '10.244.0.6', 2));
    expect(argv).toEqual(['ping', '-c', '1', '-W', '2', '10.244.0.6']);
    expect(parseProbeArgv(argv)).toEqual({ tool: 'ping', host: '10.244.0.6', timeoutSeconds: 2 });
    expect(parseProbeArgv(['ping', '-c', '3', '-W', '2', '10.244.0.6'])).toBeUndefined();
  });

  it("looks a name up with nslookup -timeout=N, which bind's nslookup and busybox's both take, and parses that argv back", () => {
    expect(parseTarget('dns://Hostnames')).toMatchObject({ host: { kind: 'name', name: 'hostnames' }, port: 53, scheme: 'dns' });
    const argv = buildProbeArgv(probeFor(parseTarget('dns://hostnames')!, 'hostnames', 2));
    expect(argv).toEqual(['nslookup', '-timeout=2', 'hostnames']);
    expect(parseProbeArgv(argv)).toEqual({ tool: 'lookup', name: 'hostnames', timeoutSeconds: 2 });
    expect(parseProbeArgv(['nslookup', 'hostnames', '10.96.0.10'])).toBeUndefined();
    expect(parseProbeArgv(['nslookup', '-timeout=2', 'hostnames', '10.96.0.10'])).toBeUndefined();
    expect(parseProbeArgv(['constructor', '-timeout=2', 'x'])).toBeUndefined();
  });

  it.each(['dns://x:53', 'dns://x/path', 'dns://10.0.0.1', 'dns://pod-ip:x/b', 'GET dns://x', "dns://x -H 'A: b'"])('rejects the lookup %j: a lookup is of a name alone', (text) => {
    expect(parseTarget(text)).toBeUndefined();
  });

  it.each(['backend:99999', 'ftp://x', 'pod-ip:backend', 'back end:80', '', 'udp://s-a.x', 'POST udp://s-a.x:80', 'tcp://x:80/path', 'TRACE http://x/', 'icmp://x:80', 'icmp://x/path', "icmp://x -H 'A: b'", 'GET icmp://x'])(
    'rejects %j',
    (text) => {
      expect(parseTarget(text)).toBeUndefined();
    },
  );
});

describe('expectations', () => {
  it('ok matches any status, ok:NNN only that status', () => {
    expect(satisfies(parseExpectation('ok')!, { outcome: 'ok', status: 301 })).toBe(true);
    expect(satisfies(parseExpectation('ok:200')!, { outcome: 'ok', status: 301 })).toBe(false);
    expect(satisfies(parseExpectation('ok:200')!, { outcome: 'ok', status: 200 })).toBe(true);
  });

  it('denied matches drops but neither refused nor exec-error', () => {
    const denied = parseExpectation('denied')!;
    expect(satisfies(denied, { outcome: 'dns-timeout' })).toBe(true);
    expect(satisfies(denied, { outcome: 'refused' })).toBe(false);
    expect(satisfies(denied, { outcome: 'exec-error' })).toBe(false);
  });

  it('exec-error is never an expectation', () => {
    expect(parseExpectation('exec-error')).toBeUndefined();
  });
});
