// Prints what real curl on this machine shows for each outcome (the table in docs/outcomes.md), by running the
// curl lab: a network namespace of its own with loopback servers, so no traffic leaves the machine. Needs root.
import { classifyCurl } from '../src/probe/classify.ts';
import { labUnavailable, runClientLab } from '../test/support/client-lab/lab.ts';

const unavailable = await labUnavailable();
if (unavailable) {
  console.error(`cannot run the client lab: ${unavailable}`);
  process.exit(2);
}
const { curlVersion, observations } = await runClientLab();
console.log(`${curlVersion}\n`);
console.log('| scenario | exit | stderr | outcome |\n|---|---|---|---|');
for (const o of observations) {
  const printed = (o.stderr || o.stdout.split(/\r?\n/)[0] || '').trim();
  console.log(`| ${o.name} | ${o.exitCode} | \`${printed}\` | ${classifyCurl(o).outcome} |`);
}
