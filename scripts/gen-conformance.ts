// Writes the conformance topology manifests (manifests/apps/conformance*.yaml); a test keeps them in step.
import { writeFile } from 'node:fs/promises';
import { CONFORMANCE_APPS, conformanceManifest } from '../src/conformance/topology.ts';

for (const [app, sctp] of Object.entries(CONFORMANCE_APPS)) {
  await writeFile(`manifests/apps/${app}.yaml`, conformanceManifest(sctp));
  console.log(`wrote manifests/apps/${app}.yaml`);
}
