// The external names the suites probe: these are what the hermetic FQDN server must answer for.
import { discoverSuites } from '../../src/suite/discover.ts';
import { loadSuite } from '../../src/suite/load.ts';

export async function externalNames(paths: string[]): Promise<string[]> {
  const names = new Set<string>();
  for (const file of await discoverSuites(paths)) {
    for (const host of (await loadSuite(file)).world) if (host.name) names.add(host.name);
  }
  return [...names].sort();
}
