// npm run cluster:tools: finds or installs (verified) the tools cluster:up needs, and prints where they are.
import { ensureTools, ToolError } from './tools.ts';
import { readVersions } from './versions.ts';

try {
  for (const [tool, where] of Object.entries(await ensureTools(readVersions()))) console.log(`${tool}: ${where}`);
} catch (e) {
  if (!(e instanceof ToolError)) throw e;
  console.error(`cluster:tools: ${e.message}`);
  process.exit(2);
}
