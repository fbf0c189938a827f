import { describe, expect, it } from 'vitest';
import { profileForImage, renderProbe } from '../../src/model/client-profile.ts';
import { classifyConnect, classifyCurl, classifyProbe } from '../../src/probe/classify.ts';
import { buildProbeArgv, type ProbeSpec } from '../../src/probe/command.ts';
import { isConclusive, OUTCOMES, type Conclusive, type Outcome } from '../../src/probe/outcome.ts';
import { captured, readCaptures } from '../support/client-lab/captures.ts';
import { LAB_SCENARIOS, LOOKUP_SCENARIOS, PING_SCENARIOS } from '../support/client-lab/scenarios.ts';

// The client lab's captures: what real curl and ping printed on this machine, in a network namespace of our own
// (test/lab/client-lab.test.ts holds them to what the programs print now).
describe("classification of real curl and ping output (the client lab's captures)", async () => {
  const captures = await readCaptures();

  for (const scenario of PING_SCENARIOS) {
    it(`${scenario.name} -> ${scenario.outcome}, and the model prints what ${scenario.variant} printed`, () => {
      const seen = captured(captures, scenario.name);
      // The lab names the binary by path; in a pod the harness runs plain `ping`.
      expect(classifyProbe(['ping', ...seen.argv.slice(1)], seen).outcome, `${seen.exitCode} ${seen.stderr}`).toBe(scenario.outcome);
      // The model's rendering for this image family: same exit code, same words (addresses and times aside).
      const image = scenario.variant === 'busybox' ? 'registry.k8s.io/e2e-test-images/agnhost:2.52' : 'debian:12';
      const host = seen.argv[seen.argv.length - 1]!;
      const printed = renderProbe(profileForImage(image), { tool: 'ping', host, timeoutSeconds: 5 }, scenario.outcome as Conclusive, { host, port: 0, timeoutMs: 5000, address: '127.0.0.1' });
      const words = (text: string) =>
        text
          .replace(/^\/usr\/bin\/ping:/m, 'ping:')
          .replace(/\d+(\.\d+)*/g, 'N')
          .replace(/from localhost \(N\)/, 'from N')
          .trim();
      expect([printed.exitCode, words(printed.stdout + printed.stderr)]).toEqual([seen.exitCode, words(seen.stdout + seen.stderr)]);
    });
  }

  // The lookup probe is nslookup: bind's (agnhost) or busybox's (Alpine images). Both print the server first, then
  // an answer or each failure; the model prints the same words for the same outcome (the server's address aside).
  for (const scenario of LOOKUP_SCENARIOS.filter((s) => s.variant === 'bind-nslookup' || s.variant === 'busybox-nslookup')) {
    it(`${scenario.name} -> ${scenario.expect}, and the model prints it in ${scenario.variant}'s words`, () => {
      const seen = captured(captures, scenario.name);
      expect(classifyProbe(['nslookup', ...seen.argv.slice(1)], seen).outcome, seen.stdout).toBe(scenario.expect);
      const image = scenario.variant === 'bind-nslookup' ? 'registry.k8s.io/e2e-test-images/agnhost:2.52' : 'docker.io/byrnedo/alpine-curl:0.1.8';
      const name = seen.argv.at(-1)!;
      const answered = /^Name:\s+(\S+)/m.exec(seen.stdout)?.[1];
      const failure = [...seen.stdout.matchAll(/^\*\* server can't find (\S+): (REFUSED|NXDOMAIN|SERVFAIL)$/gm)].at(-1);
      // CoreDNS's SERVFAIL (a failed upstream) is not in the model: it never prints one.
      if (failure?.[2] === 'SERVFAIL') return;
      const failed = failure && { name: failure[1]!, rcode: failure[2] as 'REFUSED' | 'NXDOMAIN' };
      const printed = renderProbe(profileForImage(image), { tool: 'lookup', name, timeoutSeconds: 2 }, scenario.expect as Conclusive, { host: name, port: 53, timeoutMs: 2000, address: '10.96.0.20', answered, ...(failed && { failed }) });
      expect(classifyProbe(['nslookup'], printed).outcome).toBe(scenario.expect);
      // Every line the model prints is a line the tool printed (busybox prints a line per search name and record type).
      const server = (text: string) => text.replace(/\d+\.\d+\.\d+\.\d+(?=[#:]53|\n)/g, 'SERVER');
      const seenLines = new Set(server(seen.stdout + seen.stderr).split('\n'));
      for (const line of server(printed.stdout + printed.stderr).split('\n')) expect(seenLines, line).toContain(line);
    });
  }

  it('tells an nslookup that could not run from every outcome', () => {
    expect(classifyProbe(['nslookup', '-timeout=2', 'x'], { exitCode: 127, stdout: '', stderr: 'sh: nslookup: not found\n' })).toEqual({ outcome: 'exec-error', reason: 'nslookup exit 127: sh: nslookup: not found' });
  });

  for (const scenario of LAB_SCENARIOS) {
    it(`${scenario.name} -> ${scenario.outcome}`, () => {
      const seen = captured(captures, scenario.name);
      expect(classifyCurl(seen).outcome, `${seen.exitCode} ${seen.stderr}`).toBe(scenario.outcome);
    });
  }

  it('keeps the status of a real HTTP answer, including the proxy-style 403', () => {
    for (const scenario of LAB_SCENARIOS.filter((s) => s.status)) {
      const seen = captured(captures, scenario.name);
      expect(classifyCurl(seen)).toMatchObject({ outcome: 'ok', status: scenario.status });
    }
  });
});

describe('classification of wordings documented for other curl versions', () => {
  const cases: [number, string, Outcome][] = [
    // The labs' image (old curl 7.x), as the tutorials print it.
    [28, 'curl: (28) Connection timed out after 5001 milliseconds', 'connect-timeout'],
    [28, 'curl: (28) Resolving timed out after 5000 milliseconds', 'dns-timeout'],
    [7, 'curl: (7) Failed to connect to backend port 8080: Connection refused', 'refused'],
    // Newer curl 8.x wording (semantics reference).
    [28, "curl: (28) Failed to resolve host 'backend' with timeout after 5002 ms", 'dns-timeout'],
    [28, 'curl: (28) Failed to connect to backend port 8080 after 5002 ms: Timeout was reached', 'connect-timeout'],
    [35, 'curl: (35) Recv failure: Connection reset by peer', 'tls-error'],
    // The kernel's own SYN timeout, when no --connect-timeout is given.
    [7, 'curl: (7) Failed to connect to 10.0.0.1 port 80 after 130000 ms: Connection timed out', 'connect-timeout'],
    // Not a connectivity verdict: connected, then the transfer hung.
    [28, 'curl: (28) Operation timed out after 10001 milliseconds with 0 bytes received', 'exec-error'],
    // The command could not run.
    [126, 'OCI runtime exec failed: exec failed: unable to start container process', 'exec-error'],
    [127, 'sh: curl: not found', 'exec-error'],
  ];
  it.each(cases)('%i %j -> %s', (exitCode, stderr, outcome) => {
    expect(classifyCurl({ exitCode, stdout: '', stderr }).outcome).toBe(outcome);
  });

  it('reads the status of HTTP/2 and HTTP/1.1 status lines', () => {
    expect(classifyCurl({ exitCode: 0, stdout: 'HTTP/2 200 \r\nserver: x\r\n', stderr: '' })).toMatchObject({ outcome: 'ok', status: 200 });
    expect(classifyCurl({ exitCode: 0, stdout: 'HTTP/1.1 301 Moved Permanently\r\n', stderr: '' })).toMatchObject({ outcome: 'ok', status: 301 });
  });
});

describe('agnhost connect output (the fixed prefixes of test/images/agnhost/connect)', () => {
  const cases: [number, string, Outcome][] = [
    [0, '', 'ok'],
    [1, 'TIMEOUT', 'connect-timeout'],
    [1, 'TIMEOUT: read udp 10.244.1.5:43210->10.244.2.7:80: i/o timeout', 'connect-timeout'],
    [1, 'REFUSED', 'refused'],
    [1, 'REFUSED: read udp 10.244.1.5:43210->10.244.2.7:81: connection refused', 'refused'],
    [1, 'OTHER: connection refused', 'refused'],
    [1, 'DNS: lookup s-a.x on 10.96.0.10:53: no such host', 'dns-error'],
    [1, 'DNS: lookup s-a.x on 10.96.0.10:53: server misbehaving', 'dns-error'],
    [1, 'DNS: lookup s-a.x on 10.96.0.10:53: read udp 10.244.1.5:5353->10.96.0.10:53: i/o timeout', 'dns-timeout'],
    [1, 'UNKNOWN: address s-a.x: missing port in address', 'exec-error'],
    [1, 'OTHER: no route to host', 'exec-error'],
    [126, 'OCI runtime exec failed: exec failed: unable to start container process: exec: "/agnhost": stat /agnhost: no such file or directory', 'exec-error'],
  ];
  it.each(cases)('%i %j -> %s', (exitCode, stderr, outcome) => {
    expect(classifyConnect({ exitCode, stdout: '', stderr }).outcome).toBe(outcome);
  });

  it('is chosen by the command that ran', () => {
    const argv = buildProbeArgv({ tool: 'connect', host: '10.244.0.7', port: 80, protocol: 'UDP', timeoutSeconds: 5 });
    expect(classifyProbe(argv, { exitCode: 1, stdout: '', stderr: 'REFUSED\n' }).outcome).toBe('refused');
    expect(classifyProbe(['curl', 'http://x'], { exitCode: 7, stdout: '', stderr: 'curl: (7) x\n' }).outcome).toBe('refused');
  });
});

describe('what the model prints classifies back to the outcome it meant', () => {
  const images = ['docker.io/byrnedo/alpine-curl:0.1.8', 'docker.io/cilium/json-mock:1.2', 'debian:12', 'registry.k8s.io/e2e-test-images/agnhost:2.52'];
  const specs: ProbeSpec[] = [
    { tool: 'curl', url: 'http://backend:8080/', method: 'GET', connectTimeoutSeconds: 5, maxTimeSeconds: 10 },
    { tool: 'curl', url: 'http://backend:8080/', method: 'HEAD', connectTimeoutSeconds: 5, maxTimeSeconds: 10 },
    ...(['TCP', 'UDP', 'SCTP'] as const).map((protocol): ProbeSpec => ({ tool: 'connect', host: 's-a.x', port: 80, protocol, timeoutSeconds: 5 })),
    { tool: 'ping', host: 's-a.x', timeoutSeconds: 5 },
  ];
  // ping is never refused and speaks no TLS; busybox ping cannot tell a DNS timeout from NXDOMAIN.
  const noSuch = (spec: ProbeSpec, outcome: string, image: string) =>
    (outcome === 'tls-error' && spec.tool !== 'curl') || (spec.tool === 'ping' && (outcome === 'refused' || (outcome === 'dns-timeout' && profileForImage(image).ping === 'busybox')));
  for (const image of images) {
    for (const spec of specs) {
      // agnhost connect speaks no TLS, so a TLS reset is no outcome of it.
      for (const outcome of OUTCOMES.filter((o): o is Conclusive => isConclusive(o) && !noSuch(spec, o, image))) {
        it(`${image}, ${spec.tool} ${spec.tool === 'curl' ? spec.method : spec.tool === 'connect' ? spec.protocol : ''}: ${outcome}`, () => {
          const printed = renderProbe(profileForImage(image), spec, outcome, { host: 'backend', port: 8080, timeoutMs: 5000, status: 403, body: 'Access denied' });
          expect(classifyProbe(buildProbeArgv(spec), printed)).toMatchObject(outcome === 'ok' && spec.tool === 'curl' ? { outcome, status: 403 } : { outcome });
        });
      }
    }
  }

  it("prints the tutorials' own wording for the labs' image", () => {
    const profile = profileForImage('docker.io/byrnedo/alpine-curl:0.1.8');
    const spec: ProbeSpec = { tool: 'curl', url: 'http://backend:8080/', method: 'GET', connectTimeoutSeconds: 5, maxTimeSeconds: 10 };
    const facts = { host: 'backend', port: 8080, timeoutMs: 5000 };
    expect(renderProbe(profile, spec, 'connect-timeout', facts).stderr.trim()).toBe('curl: (28) Connection timed out after 5001 milliseconds');
    expect(renderProbe(profile, spec, 'dns-timeout', facts).stderr.trim()).toBe('curl: (28) Resolving timed out after 5000 milliseconds');
  });
});
