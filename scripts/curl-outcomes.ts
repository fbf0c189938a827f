// Prints what real curl on this machine shows for each outcome (the table in docs/outcomes.md), by running the
// client lab: a network namespace of its own with loopback servers, so no traffic leaves the machine. Needs root.
// With --record it also writes what every lab program printed to test/fixtures/client-lab/captures.json, the
// captures the classification tests read (test/lab/client-lab.test.ts fails when they no longer match).
import { classifyCurl } from '../src/probe/classify.ts';
import { CAPTURES_FILE, writeCaptures } from '../test/support/client-lab/captures.ts';
import { labUnavailable, runClientLab } from '../test/support/client-lab/lab.ts';
import { LAB_SCENARIOS } from '../test/support/client-lab/scenarios.ts';

const unavailable = await labUnavailable();
if (unavailable) {
  console.error(`cannot run the client lab: ${unavailable}`);
  process.exit(2);
}
const captures = await runClientLab();
const { observations } = captures;
console.log(`${captures.programs.curl}\n`);
console.log('| scenario | exit | stderr | outcome |\n|---|---|---|---|');
for (const o of observations.filter((x) => LAB_SCENARIOS.some((s) => s.name === x.name))) {
  const printed = (o.stderr || o.stdout.split(/\r?\n/)[0] || '').trim();
  console.log(`| ${o.name} | ${o.exitCode} | \`${printed}\` | ${classifyCurl(o).outcome} |`);
}
if (process.argv.includes('--record')) {
  await writeCaptures(captures);
  console.error(`\nrecorded ${observations.length} observations in ${CAPTURES_FILE}`);
}
