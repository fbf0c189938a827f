// IPv4 addresses and CIDRs are read as Go's net/netip reads them (issue 23): Cilium parses policies with
// netip.ParsePrefix, whose parseIPv4 refuses "IPv4 field has octet with leading zero" and "IPv4 field has value >255",
// and the API server validates ipBlock the same way under KEP-4858 (sig-network, "IP/CIDR Validation Improvements":
// "The updated validation will reject IPv4 IPs with leading "0"s, and CIDR values that contain such IPs"). ipaddr.js
// alone reads 010.000.000.000/8 as octal (8.0.0.0/8), and a URL parser refuses 256.1.1.1 ("Invalid URL", exit 1).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cidrProblem, isIPv4, numericHostProblem } from '../../src/input/ip.ts';
import { InputError } from '../../src/input/input-error.ts';
import { parseManifests, parseSuite } from '../../src/suite/load.ts';
import { runInProcess } from '../support/cli.ts';
import { fixture, REPO } from '../support/fixture.ts';

const suite = (body: string) => `name: x\nmanifestDir: ${path.join(REPO, 'manifests')}\napps: [demo]\n${body}`;
async function problem(text: string): Promise<[number | undefined, string]> {
  const e = await parseSuite(text, 'x.suite.yaml').then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return [(e as InputError).line, (e as InputError).detail];
}
function manifestProblem(yaml: string): [number | undefined, string] | undefined {
  try {
    parseManifests(yaml, 'p.yaml');
  } catch (e) {
    return [(e as InputError).line, (e as InputError).detail];
  }
  return undefined;
}
const LEADING_ZERO = /"010\.000\.000\.000" has an octet with a leading zero, which some parsers read as octal/;

describe('addresses as netip reads them', () => {
  it('takes what ParseAddr and ParsePrefix take, and nothing else', () => {
    expect(['0.0.0.0', '10.0.0.1', '255.255.255.255', '192.168.1.0'].every(isIPv4)).toBe(true);
    expect(['010.0.0.1', '256.1.1.1', '1.2.3', '0x0a.0.0.1', '10.1', '1.2.3.4.', ' 1.2.3.4'].some(isIPv4)).toBe(false);
    for (const ok of ['10.0.0.0/8', '0.0.0.0/0', '192.168.1.5/32', '2001:db8::/32', '::/0']) expect(cidrProblem(ok)).toBeUndefined();
    expect(cidrProblem('010.000.000.000/8')).toMatch(LEADING_ZERO);
    expect(cidrProblem('10.0.0.0/08')).toMatch(/prefix length after the slash must be 0-32 without a leading zero/);
    expect(cidrProblem('10.0.0.0/33')).toMatch(/must be 0-32/);
    expect(cidrProblem('10.1/16')).toMatch(/is not an IPv4 address/);
    expect(cidrProblem('10.0.0.1')).toMatch(/must be a CIDR such as/);
    expect(cidrProblem('fe80::1%eth0/64')).toMatch(/has a zone/);
    expect(cidrProblem('::ffff:010.0.0.1/128')).toMatch(/leading zero/);
    expect(cidrProblem('1:2::12345/64')).toMatch(/is not an IPv6 address/);
    expect(cidrProblem('::ffff:10.0.0.1/128')).toMatch(/"::ffff:10\.0\.0\.1" is an IPv4-mapped IPv6 address, .* write the IPv4 CIDR/);
    expect(cidrProblem('::ffff:a00:0/104')).toMatch(/IPv4-mapped/);
    expect(numericHostProblem('kubernetes.io')).toBeUndefined();
    expect(numericHostProblem('1.2.3.4')).toBeUndefined();
    expect(numericHostProblem('foo.123')).toMatch(/is not an IPv4 address/);
  });

  it.each([
    ['NetworkPolicy ipBlock', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p }\nspec:\n  podSelector: {}\n  egress:\n    - to: [{ ipBlock: { cidr: 010.000.000.000/8 } }]\n', 7],
    ['NetworkPolicy ipBlock except', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p }\nspec:\n  podSelector: {}\n  egress:\n    - to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [010.000.000.000/8] } }]\n', 7],
    ['CiliumNetworkPolicy toCIDR', 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: p }\nspec:\n  endpointSelector: {}\n  egress:\n    - toCIDR: [010.000.000.000/8]\n', 7],
    ['CiliumNetworkPolicy toCIDRSet', 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: p }\nspec:\n  endpointSelector: {}\n  egress:\n    - toCIDRSet: [{ cidr: 010.000.000.000/8 }]\n', 7],
    ['CiliumCIDRGroup', 'apiVersion: cilium.io/v2alpha1\nkind: CiliumCIDRGroup\nmetadata: { name: g }\nspec:\n  externalCIDRs:\n    - 010.000.000.000/8\n', 6],
    [
      'ClusterNetworkPolicy networks',
      'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: { name: c }\nspec:\n  tier: Admin\n  priority: 10\n  subject: { namespaces: {} }\n  egress:\n    - action: Deny\n      to:\n        - networks: [010.000.000.000/8]\n',
      11,
    ],
  ])('a CIDR with a leading zero in a %s is refused at its line', (_, yaml, line) => {
    const found = manifestProblem(yaml);
    expect(found?.[1]).toMatch(LEADING_ZERO);
    expect(found?.[0]).toBe(line);
  });

  it('an external key, an external ip and a target that are no IPv4 address are refused at their line', async () => {
    const cell = (target: string) => suite(`steps:\n  - name: a\n    expect:\n      "frontend -> ${target}": ok\n`);
    expect(await problem(cell('http://256.1.1.1'))).toEqual([7, '"256.1.1.1" has an octet above 255']);
    expect((await problem(cell('010.000.000.000:80')))[1]).toMatch(LEADING_ZERO);
    expect((await problem(suite(`matrix: { from: [frontend], to: [tcp://010.000.000.000:80] }\nsteps:\n  - name: a\n    expect: {}\n`)))[1]).toMatch(LEADING_ZERO);
    expect(await problem(suite(`external:\n  256.1.1.1: { "80": 200 }\nsteps:\n  - name: a\n    expect: {}\n`))).toEqual([5, '"256.1.1.1" has an octet above 255']);
    expect((await problem(suite(`external:\n  x.example: { ip: 010.000.000.000, ports: { "80": 200 } }\nsteps:\n  - name: a\n    expect: {}\n`)))[1]).toMatch(LEADING_ZERO);
  });

  it('the CLI says where 256.1.1.1 is (exit 2), not "Invalid URL" (exit 1)', async () => {
    const dir = await fixture({ 'x.suite.yaml': suite(`external:\n  kubernetes.io: { "80": 200 }\nsteps:\n  - name: a\n    expect:\n      "frontend -> http://256.1.1.1": ok\n`) });
    const run = await runInProcess('run', path.join(dir, 'x.suite.yaml'));
    expect(run.stderr).toMatch(/x\.suite\.yaml:9: steps\[0\]\.expect\["frontend -> http:\/\/256\.1\.1\.1"\]: "256\.1\.1\.1" has an octet above 255/);
    expect(run.exitCode).toBe(2);
  });
});
