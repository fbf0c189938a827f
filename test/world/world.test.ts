// The outside world's addresses: one per name, the same for the model and the cluster (world/world.ts). Cilium
// enforces toFQDNs by the addresses its DNS proxy saw, so two names on one address would make a policy for one
// reach the other on kind while the model keeps them apart.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isReservedAddress, worldAddress, worldConflicts } from '../../src/world/world.ts';
import { discoverSuites } from '../../src/suite/discover.ts';
import { checkSharedWorld, loadSuite } from '../../src/suite/load.ts';
import { runInProcess } from '../support/cli.ts';
import { fixture, REPO, suiteWith } from '../support/fixture.ts';

const STEP = '  - name: a\n    expect:\n      frontend -> backend:8080: ok\n';

describe('world addresses', () => {
  it('gives no two names of the suites one address, and each name the same address in every suite', async () => {
    const suites = await Promise.all((await discoverSuites([path.join(REPO, 'suites')])).map((f) => loadSuite(f)));
    const hosts = suites.flatMap((s) => s.world.map((h) => ({ ...h, file: s.file })));
    expect(worldConflicts(hosts)).toEqual([]);
    const named = hosts.filter((h) => h.name);
    expect(new Set(named.map((h) => h.name)).size).toBeGreaterThanOrEqual(2);
    for (const h of named) expect(h.ip).toBe(worldAddress(h.name!));
  });

  it('derives the address from the name alone: stable, in the benchmarking range, and spread over it', () => {
    expect(worldAddress('kubernetes.io')).toBe(worldAddress('KUBERNETES.IO'));
    const names = Array.from({ length: 200 }, (_, i) => `host-${i}.example.org`);
    const addresses = names.map(worldAddress);
    for (const a of addresses) {
      expect(isReservedAddress(a)).toBe(true);
      expect(a).toMatch(/^198\.1[89]\.\d+\.\d+$/);
      expect(a).not.toMatch(/\.(0|255)$/);
    }
    // 200 names in 131,072 addresses: a shared one would be a broken hash.
    expect(new Set(addresses).size).toBe(200);
    expect(isReservedAddress('198.51.100.20')).toBe(true);
    expect(isReservedAddress('1.1.1.1')).toBe(false);
    expect(isReservedAddress('kubernetes.io')).toBe(false);
  });

  it('finds two names on one address, and one name on two addresses', () => {
    expect(
      worldConflicts([
        { name: 'a.io', ip: '198.18.0.1', ports: {} },
        { name: 'b.io', ip: '198.18.0.1', ports: {}, file: 'b.suite.yaml' },
      ]),
    ).toEqual(['198.18.0.1 is the address of both a.io and b.io (b.suite.yaml)']);
    expect(
      worldConflicts([
        { name: 'a.io', ip: '198.18.0.1', ports: {} },
        { name: 'a.io', ip: '198.18.0.2', ports: {} },
      ]),
    ).toEqual(['a.io has two addresses: 198.18.0.1 and 198.18.0.2']);
    expect(
      worldConflicts([
        { name: 'a.io', ip: '198.18.0.1', ports: { 80: 200 } },
        { name: 'a.io', ip: '198.18.0.1', ports: { 443: 200 } },
      ]),
    ).toEqual([]);
  });

  it('refuses a suite that puts two names on one address, at its external line', async () => {
    const dir = await fixture({ 'x.suite.yaml': suiteWith(STEP, 'external:\n  a.io: { ip: 198.18.0.9, ports: { "80": 200 } }\n  b.io: { ip: 198.18.0.9, ports: { "80": 200 } }\n') });
    await expect(loadSuite(path.join(dir, 'x.suite.yaml'))).rejects.toThrow(/x\.suite\.yaml:4: external: 198\.18\.0\.9 is the address of both a\.io and b\.io/);
  });

  it('refuses, before running, suites that run together but disagree on a host', async () => {
    const dir = await fixture({
      'a.suite.yaml': suiteWith(STEP, 'external:\n  a.io: { ip: 198.18.0.9, ports: { "80": 200 } }\n'),
      'b.suite.yaml': suiteWith(STEP, 'external:\n  b.io: { ip: 198.18.0.9, ports: { "80": 200 } }\n').replace('name: fixture', 'name: fixture b'),
    });
    const suites = await Promise.all(['a', 'b'].map((n) => loadSuite(path.join(dir, `${n}.suite.yaml`))));
    expect(() => checkSharedWorld(suites)).toThrow(/disagree on an external host: 198\.18\.0\.9 is the address of both a\.io \(.*a\.suite\.yaml\) and b\.io \(.*b\.suite\.yaml\)/);
    const { exitCode, stderr } = await runInProcess('run', dir);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/198\.18\.0\.9 is the address of both a\.io/);
  });
});
