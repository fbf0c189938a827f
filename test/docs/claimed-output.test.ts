import { beforeAll, describe, expect, it } from 'vitest';
import { classifyClaimedOutput, outputSections } from '../../src/docs/read/claimed-output.ts';
import { labUnavailable, runCurlLab, type LabObservation } from '../support/curl-lab/lab.ts';
import { LAB_SCENARIOS } from '../support/curl-lab/scenarios.ts';

const lines = (text: string, first = 1) => text.split('\n').map((t, i) => ({ text: t, line: first + i }));

describe('claimed output as tutorials print it', () => {
  it.each([
    ['HTTP/1.1 200 OK\nX-Powered-By: Express', { outcome: 'ok', status: 200 }],
    ['HTTP/2 200 ', { outcome: 'ok', status: 200 }],
    ['HTTP/1.1 301 Moved Permanently', { outcome: 'ok', status: 301 }],
    ['curl: (28) Connection timed out after 5001 milliseconds\ncommand terminated with exit code 28', { outcome: 'connect-timeout' }],
    ['curl: (28) Resolving timed out after 5000 milliseconds\ncommand terminated with exit code 28', { outcome: 'dns-timeout' }],
    ['curl: (6) Could not resolve host: backend', { outcome: 'dns-error' }],
    ['command terminated with exit code 28', { outcome: 'denied' }],
  ])('%j', (text, expect_) => {
    expect(classifyClaimedOutput(lines(text))).toMatchObject({ expect: expect_ });
  });

  it('says why an output is no claim', () => {
    expect(classifyClaimedOutput(lines('NAME   READY\ncilium-x 1/1'))).toEqual({ why: expect.stringMatching(/says nothing about connectivity/) });
    expect(classifyClaimedOutput(lines('HTTP/1.1 200 OK\ncommand terminated with exit code 28'))).toEqual({ why: expect.stringMatching(/both an HTTP status and a failure/) });
    expect(classifyClaimedOutput(lines('curl: (3) URL using bad/illegal format'))).toEqual({ why: expect.stringMatching(/not a connectivity verdict/) });
  });

  it('splits commented sections and keeps their lines', () => {
    const sections = outputSections(lines('# Frontend\nHTTP/1.1 200 OK\n\n# Not Frontend\ncurl: (28) Connection timed out', 65));
    expect(sections.map((s) => [s.title, s.lines.find((l) => l.text)?.line])).toEqual([
      ['Frontend', 66],
      ['Not Frontend', 69],
    ]);
  });
});

describe('claimed output made of real curl output (this machine, the curl lab)', async () => {
  const unavailable = await labUnavailable();
  let observations: LabObservation[] = [];
  beforeAll(async () => {
    if (!unavailable) observations = (await runCurlLab()).observations;
  });
  // What a reader sees after kubectl exec: curl's status line or error, then kubectl's exit code line.
  const shown = (o: LabObservation) => [o.stdout.split('\n')[0], o.stderr.trim(), o.exitCode ? `command terminated with exit code ${o.exitCode}` : ''].filter(Boolean).join('\n');
  for (const scenario of LAB_SCENARIOS) {
    it.skipIf(unavailable)(`${scenario.name}: reads as ${scenario.outcome}`, () => {
      const o = observations.find((x) => x.name === scenario.name)!;
      const claimed = classifyClaimedOutput(lines(shown(o)));
      expect(claimed, shown(o)).toMatchObject({ expect: { outcome: scenario.outcome, ...(scenario.status && { status: scenario.status }) } });
    });
  }
});
