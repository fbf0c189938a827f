// What a real API server or a real client would reject is bad input at load (exit 2, file:line), on every backend
// (issue 15): label keys and values (apimachinery's IsQualifiedName and IsValidLabelValue), an ipBlock except that is
// not a strict subset of its cidr (ValidateIPBlock), external port keys, and target paths curl would not send as
// written (real curl here refuses a space: "curl: (3) URL using bad/illegal format or missing URL").
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/input-error.ts';
import { parseManifests, parseSuite } from '../../src/suite/load.ts';
import { parseTarget } from '../../src/probe/target.ts';
import { REPO } from '../support/fixture.ts';

const suite = (body: string) => `name: x\nmanifestDir: ${path.join(REPO, 'manifests')}\napps: [demo]\n${body}`;
async function problem(text: string): Promise<[number | undefined, string]> {
  const e = await parseSuite(text, 'x.suite.yaml').then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return [(e as InputError).line, (e as InputError).detail];
}
const manifestProblem = (yaml: string) => {
  try {
    parseManifests(yaml, 'p.yaml');
  } catch (e) {
    return (e as InputError).detail;
  }
  return undefined;
};

describe('what the API server refuses', () => {
  it.each([
    ['a key with a space', 'my key', /label key "my key": the name must be 1-63 characters/],
    ['a key with two slashes', 'a/b/c', /has more than one \//],
    ['an upper-case prefix', 'Example.com/x', /the prefix must be a lowercase DNS subdomain/],
    ['a 64-character name', 'k'.repeat(64), /the name must be 1-63 characters/],
  ])('a label step with %s', async (_, key, message) => {
    const [line, detail] = await problem(suite(`steps:\n  - name: a\n    label: [{ namespace: default, set: { "${key}": "v" } }]\n    expect:\n      frontend -> backend:8080: ok\n`));
    expect(line).toBe(6);
    expect(detail).toMatch(message);
  });

  it('a label value that ends in a dash, and a NetworkPolicy selector key with a Cilium source prefix', () => {
    expect(manifestProblem('apiVersion: v1\nkind: Namespace\nmetadata: { name: n, labels: { env: "prod-" } }\n')).toMatch(/label value "prod-" must be at most 63 characters, alphanumeric at both ends/);
    const np = (selector: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p }\nspec:\n  podSelector: ${selector}\n`;
    expect(manifestProblem(np('{ matchLabels: { "k8s:app": web } }'))).toMatch(/label key "k8s:app": the name must be/);
    // Cilium's selectors take it (pkg/labels: a source before the key).
    expect(manifestProblem('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: p }\nspec:\n  endpointSelector: { matchLabels: { "k8s:app": web, "reserved:host": "" } }\n  ingress: [{}]\n')).toBeUndefined();
  });

  it('an ipBlock except outside its cidr, or the whole cidr, is refused', () => {
    const np = (except: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p }\nspec:\n  podSelector: {}\n  egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/8, except: [${except}] } }] }]\n`;
    expect(manifestProblem(np('192.168.0.0/16'))).toBe('must be a strict subset of cidr 10.0.0.0/8');
    expect(manifestProblem(np('10.0.0.0/8'))).toBe('must be a strict subset of cidr 10.0.0.0/8');
    expect(manifestProblem(np('10.1.0.0/16'))).toBeUndefined();
  });
});

describe('what the client could not send', () => {
  it.each(['0', '080', '65536', 'http'])('an external port key %j', async (port) => {
    const [, detail] = await problem(suite(`external:\n  cilium.io: { "${port}": 200 }\nsteps:\n  - name: a\n    expect:\n      frontend -> backend:8080: ok\n`));
    expect(detail).toBe('must be a port number 1-65535');
  });

  it.each([
    ['/a b', '" "'],
    ["/it's", `"'"`],
    ['/caf\u00e9', '"é"'],
    ['/a{b}', '"{"'],
    ['/a[1-2]', '"["'],
    ['/a#top', '"#"'],
    ['/100%', '"%"'],
    ['/a"b', '"\\""'],
  ])('a target path %j is refused at its line, naming the character', async (p, shown) => {
    const [line, detail] = await problem(suite(`steps:\n  - name: a\n    expect:\n      "frontend -> http://backend:8080${p.replace(/"/g, '\\"')}": ok\n`));
    expect(line).toBe(7);
    expect(detail).toContain(`holds ${shown}, which curl would not send as written`);
  });

  it('paths curl sends as written still parse', () => {
    for (const p of ['/', '/a/b-c_d.e~f', '/x?q=1&r=2', '/%20space', '/a(b)*+,;=:@!$']) expect(parseTarget(`http://backend:8080${p}`)?.path, p).toBe(p);
  });
});
