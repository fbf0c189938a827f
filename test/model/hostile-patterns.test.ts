// Patterns from policies cannot make the model work without end (issue 15): HTTP fields are RE2 expressions matched
// by a linear-time engine, as Envoy matches them; DNS patterns are globbed label by label. Before, each of these
// cases backtracked for minutes: the test's own timeout is the bound, no duration is asserted.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/input-error.ts';
import { compileFqdnMatcher } from '../../src/model/fqdn-pattern.ts';
import { parseManifests } from '../../src/suite/load.ts';
import { cnp, demo } from '../support/model.ts';

const BACKEND_SEL = '  endpointSelector: { matchLabels: { app: backend } }\n';
const httpRule = (rule: string) => cnp('l7', `${BACKEND_SEL}  ingress: [{ toPorts: [{ ports: [{ port: "8080" }], rules: { http: [${rule}] } }] }]\n`);

describe('patterns from policies', () => {
  it('an HTTP path like /(a+)+ is matched in linear time (RE2), against a request built to make backtracking explode', () => {
    const c = demo().apply(httpRule('{ path: "/(a+)+" }'));
    expect(c.outcome('frontend', `http://backend:8080/${'a'.repeat(64)}!`)).toBe('ok:403');
    // Allowed by the proxy; json-server has no such collection (404), where the proxy would say 403.
    expect(c.outcome('frontend', `http://backend:8080/${'a'.repeat(64)}`)).toBe('ok:404');
  });

  it.each([
    ['(a)\\\\1', /invalid escape sequence: `\\1`/],
    ['/(?=private)', /invalid or unsupported Perl syntax: `\(\?=`/],
    ['/(?<!x)y', /invalid named capture/],
  ])('what RE2 (and so Envoy) refuses is refused at load, with its line: %s', (path, message) => {
    let error: unknown;
    try {
      parseManifests(httpRule(`{ path: "${path}" }`), 'p.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).line).toBe(6);
    expect((error as InputError).detail).toMatch(/^must be an RE2 regular expression, as Envoy matches it: error parsing regexp: /);
    expect((error as InputError).detail).toMatch(message);
  });

  it('a DNS pattern of many stars is globbed per label, and answers right', () => {
    const stars = `${'*'.repeat(60)}b.example.com`;
    expect(compileFqdnMatcher({ matchPattern: stars })(`${'a'.repeat(62)}.example.com`)).toBe(false);
    expect(compileFqdnMatcher({ matchPattern: stars })(`${'a'.repeat(61)}b.example.com`)).toBe(true);
    expect(compileFqdnMatcher({ matchPattern: '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b' })('a'.repeat(63))).toBe(false);
    expect(compileFqdnMatcher({ matchPattern: 'sub*.cilium.io' })('sub.cilium.io')).toBe(true);
    expect(compileFqdnMatcher({ matchPattern: 'sub*.cilium.io' })('www.sub.cilium.io')).toBe(false);
    expect(compileFqdnMatcher({ matchPattern: '*.cilium.io' })('cilium.io')).toBe(false);
  });

  it('a DNS name or pattern longer than Cilium allows (255, pkg/policy/api/fqdn.go) is refused', () => {
    expect(() => parseManifests(cnp('f', `${BACKEND_SEL}  egress: [{ toFQDNs: [{ matchPattern: "${'*'.repeat(256)}" }] }]\n`), 'p.yaml')).toThrow(/Too big: expected string to have <=255 characters/);
    expect(() => parseManifests(cnp('f', `${BACKEND_SEL}  egress: [{ toFQDNs: [{ matchName: "a..b" }] }]\n`), 'p.yaml')).toThrow(/must be a DNS name/);
  });
});
