// Writes the conformance topology manifest (manifests/apps/conformance.yaml); a test keeps it in step.
import { writeFile } from 'node:fs/promises';
import { conformanceManifest } from '../src/conformance/topology.ts';

await writeFile('manifests/apps/conformance.yaml', conformanceManifest());
console.log('wrote manifests/apps/conformance.yaml');
