import { describe, expect, it } from 'vitest';
import { buildCurlArgv, parseCurlArgv } from '../../src/probe/curl.ts';
import { parseExpectation, satisfies } from '../../src/probe/outcome.ts';
import { parseTarget, targetUrl } from '../../src/probe/target.ts';

describe('probe command', () => {
  it('parses back exactly what it builds', () => {
    const request = { url: 'https://kubernetes.io/', connectTimeoutSeconds: 5, maxTimeSeconds: 10 };
    const argv = buildCurlArgv(request);
    expect(argv).toEqual(['curl', '-sS', '-I', '-k', '--connect-timeout', '5', '-m', '10', 'https://kubernetes.io/']);
    expect(parseCurlArgv(argv)).toEqual(request);
  });

  it('refuses commands it did not build', () => {
    expect(parseCurlArgv(['wget', 'http://x'])).toBeUndefined();
    expect(parseCurlArgv(['curl', '--resolve', 'x:80:1.2.3.4', 'http://x'])).toBeUndefined();
    expect(parseCurlArgv(['curl', '-sS', 'http://x'])).toBeUndefined();
  });
});

describe('targets', () => {
  it.each([
    ['backend:8080', 'http://backend:8080/'],
    ['backend.default.svc.cluster.local:8080', 'http://backend.default.svc.cluster.local:8080/'],
    ['kubernetes.io', 'http://kubernetes.io/'],
    ['https://cilium.io', 'https://cilium.io/'],
    ['https://cilium.io:8443/x', 'https://cilium.io:8443/x'],
  ])('%s -> %s', (text, url) => {
    expect(targetUrl(parseTarget(text)!)).toBe(url);
  });

  it('names a pod IP target by app', () => {
    expect(parseTarget('pod-ip:monitoring/monitoring:9090')).toEqual({ kind: 'pod-ip', pod: { namespace: 'monitoring', app: 'monitoring' }, port: 9090 });
    expect(targetUrl(parseTarget('pod-ip:backend:8080')!, '10.244.0.5')).toBe('http://10.244.0.5:8080/');
  });

  it.each(['backend:99999', 'ftp://x', 'pod-ip:backend', 'back end:80', ''])('rejects %j', (text) => {
    expect(parseTarget(text)).toBeUndefined();
  });
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
