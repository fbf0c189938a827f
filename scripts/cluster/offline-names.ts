// The external hosts the suites probe by name: the hermetic FQDN server must answer for them, as they declare.
import type { WorldHost } from '../../src/model/cluster.ts';
import { discoverSuites } from '../../src/suite/discover.ts';
import { loadSuite } from '../../src/suite/load.ts';

export async function externalHosts(paths: string[]): Promise<WorldHost[]> {
  const hosts: WorldHost[] = [];
  for (const file of await discoverSuites(paths)) hosts.push(...(await loadSuite(file)).world.filter((h) => h.name));
  return hosts;
}
