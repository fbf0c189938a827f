// npm run cluster:tools: finds or installs (verified) the tools cluster:up needs, and prints where they are.
import { ensureTools, ToolError } from './tools.ts';
import { readVersions } from './versions.ts';

try {
  const versions = readVersions();
  // kubectl of the Kubernetes minor cluster:up would bring up (K8S_VERSION, as there).
  for (const [tool, where] of Object.entries(await ensureTools(versions, process.env.K8S_VERSION ?? versions.defaultKubernetes))) console.log(`${tool}: ${where}`);
} catch (e) {
  if (!(e instanceof ToolError)) throw e;
  console.error(`cluster:tools: ${e.message}`);
  process.exit(2);
}
