// The external hosts the suites probe: the world server must hold their addresses, and with --offline-fqdn CoreDNS
// must answer their names, as the suites declare. Suites that disagree on a host are refused here.
import type { WorldHost } from '../../src/world/world.ts';
import { discoverSuites } from '../../src/suite/discover.ts';
import { checkSharedWorld, loadSuite } from '../../src/suite/load.ts';

export async function externalHosts(paths: string[]): Promise<WorldHost[]> {
  const suites = await Promise.all((await discoverSuites(paths)).map((file) => loadSuite(file)));
  checkSharedWorld(suites);
  return suites.flatMap((s) => s.world);
}
