import { beforeAll, describe, expect, it } from 'vitest';
import { profileForImage, renderCurl } from '../../src/model/client-profile.ts';
import { classifyCurl } from '../../src/probe/classify.ts';
import { OUTCOMES, type Outcome } from '../../src/probe/outcome.ts';
import { labUnavailable, runCurlLab, type LabObservation } from '../support/curl-lab/lab.ts';
import { LAB_SCENARIOS } from '../support/curl-lab/scenarios.ts';

describe('classification of real curl output (this machine, inside a network namespace of our own)', async () => {
  const unavailable = await labUnavailable();
  let observations: LabObservation[] = [];
  beforeAll(async () => {
    if (!unavailable) observations = (await runCurlLab()).observations;
  });

  it.skipIf(unavailable)('ran every scenario', () => {
    expect(observations.map((o) => o.name)).toEqual(LAB_SCENARIOS.map((s) => s.name));
  });

  for (const scenario of LAB_SCENARIOS) {
    it.skipIf(unavailable)(`${scenario.name} -> ${scenario.outcome}`, () => {
      const seen = observations.find((o) => o.name === scenario.name)!;
      expect(classifyCurl(seen).outcome, `${seen.exitCode} ${seen.stderr}`).toBe(scenario.outcome);
    });
  }

  it.skipIf(unavailable)('keeps the status of a real HTTP answer', () => {
    const ok = observations.find((o) => o.name === 'http server answers')!;
    expect(classifyCurl(ok)).toMatchObject({ outcome: 'ok', status: 200 });
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
  for (const [exitCode, stderr, outcome] of cases) {
    it(`${exitCode} "${stderr}" -> ${outcome}`, () => {
      expect(classifyCurl({ exitCode, stdout: '', stderr }).outcome).toBe(outcome);
    });
  }

  it('reads the status of HTTP/2 and HTTP/1.1 status lines', () => {
    expect(classifyCurl({ exitCode: 0, stdout: 'HTTP/2 200 \r\nserver: x\r\n', stderr: '' })).toMatchObject({ outcome: 'ok', status: 200 });
    expect(classifyCurl({ exitCode: 0, stdout: 'HTTP/1.1 301 Moved Permanently\r\n', stderr: '' })).toMatchObject({ outcome: 'ok', status: 301 });
  });
});

describe('what the model prints classifies back to the outcome it meant', () => {
  const images = ['docker.io/byrnedo/alpine-curl:0.1.8', 'docker.io/cilium/json-mock:1.2', 'debian:12'];
  for (const image of images) {
    for (const outcome of OUTCOMES.filter((o) => o !== 'exec-error')) {
      it(`${image}: ${outcome}`, () => {
        const printed = renderCurl(profileForImage(image), outcome, { host: 'backend', port: 8080, connectTimeoutMs: 5000, status: 403 });
        expect(classifyCurl(printed).outcome).toBe(outcome);
      });
    }
  }

  it("prints the tutorials' own wording for the labs' image", () => {
    const profile = profileForImage('docker.io/byrnedo/alpine-curl:0.1.8');
    const facts = { host: 'backend', port: 8080, connectTimeoutMs: 5000 };
    expect(renderCurl(profile, 'connect-timeout', facts).stderr.trim()).toBe('curl: (28) Connection timed out after 5001 milliseconds');
    expect(renderCurl(profile, 'dns-timeout', facts).stderr.trim()).toBe('curl: (28) Resolving timed out after 5000 milliseconds');
  });
});
