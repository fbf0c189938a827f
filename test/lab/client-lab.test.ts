// The captures in test/fixtures/client-lab/captures.json are what real clients printed on the system that recorded
// them: the lab runs curl, busybox wget/nc/ping/nslookup, GNU wget, both netcats, iputils ping, bind's nslookup, dig
// and host, and glibc's getent again in a network namespace of its own, and holds each scenario to its capture. `npm run curl-outcomes -- --record` (root) records them afresh,
// and the classification tests then say whether netpol-e2e still reads them right.
//
// How a scenario is held to its capture depends on whether this machine has the program that printed it:
// - the same system (os-release ID and VERSION_ID) and the same version of the program: every word, numbers and the
//   Date header aside. The captures are the one record of what the programs print that the in-process tests
//   (classification, claimed output, the model's rendering of ping) read instead of running them, so where the lab
//   can tell, it holds them to the letter: a changed word fails here before it can hide there.
// - another system or another version (Ubuntu 24.04's curl 8.5 and iputils on GitHub's runners, where the captures
//   are Debian 12's curl 7.88): only what netpol-e2e reads of the output (test/support/client-lab/reading.ts): the
//   exit code, the probe classifier's outcome and status (src/probe/classify.ts reads curl's exit code, its status
//   line and a few words of its "curl: (N)" line; ping's exit code, "100% packet loss" and the resolver's words), and
//   the claim the docs reader takes from the output as a tutorial would show it (src/tutorials/read/claimed-output.ts:
//   each client's wording patterns, and the variant whose words they are). Those are the words the captures stand
//   for; the rest ("after 6 ms: Couldn't connect to server", wget's log lines) differs between versions without
//   changing any verdict, and comparing it would fail on every other system without telling anything. Captures
//   per system were the other way: they would hold each runner image's words to the letter too, but they can only
//   be recorded on that image, need recording again at each of its updates, and add nothing to what netpol-e2e is
//   tested to read, since the in-process tests read one set.
// Each test's name says which comparison it makes, and the lab prints the comparison per program. Where the lab
// cannot run, every test fails naming what is missing; none is skipped.
import { describe, expect, it } from 'vitest';
import { captured, comparable, readCaptures, type Captures } from '../support/client-lab/captures.ts';
import { labUnavailable, programVersions, runClientLab, systemHere } from '../support/client-lab/lab.ts';
import { reading } from '../support/client-lab/reading.ts';
import { CLIENT_SCENARIOS, LAB_SCENARIOS, LOOKUP_SCENARIOS, PING_SCENARIOS, programOf } from '../support/client-lab/scenarios.ts';
import { labSetUp } from '../support/lab-needs.ts';

const SCENARIOS = [...LAB_SCENARIOS, ...CLIENT_SCENARIOS, ...PING_SCENARIOS, ...LOOKUP_SCENARIOS].map((s) => s.name);

// A program's version is the first line of its version output up to its first word with a digit ("curl 7.88.1",
// "BusyBox v1.35.0", "netcat-openbsd 1.219-1"): what the rest of curl's line names (its libraries) changes with
// security updates, not the words curl prints.
const versionOf = (line = '') => /^.*?\d\S*/.exec(line)?.[0] ?? line;

// Known before the lab runs (cheap, and needs no root), so that each test can say in its name how it compares.
const [kept, system, here] = await Promise.all([readCaptures(), systemHere(), programVersions()]);
const sameProgram = (program: string) => system === kept.system && versionOf(here[program]) === versionOf(kept.programs[program]);
const comparison = (program: string) =>
  sameProgram(program) ? `every word (${versionOf(here[program])} on ${system}, as captured)` : `the words netpol-e2e reads (${versionOf(here[program])} on ${system}; captured: ${versionOf(kept.programs[program])} on ${kept.system})`;

describe('the client lab captures are what the real programs print here', () => {
  let fresh: Captures;
  const ready = labSetUp(async () => {
    const unavailable = await labUnavailable();
    if (unavailable)
      throw new Error(`the client lab cannot run: ${unavailable} (npm run test:lab runs as root, with curl, iproute2, busybox, wget, netcat-openbsd, netcat-traditional, iputils-ping, bind9-dnsutils and bind9-host installed; see .ci/run)`);
    console.log(
      `client lab on ${system}, each program compared with its captures by:\n${Object.keys(kept.programs)
        .map((p) => `  ${p}: ${comparison(p)}`)
        .join('\n')}`,
    );
    fresh = await runClientLab();
  }, 120_000);

  it('holds one capture per scenario, and the lab ran every scenario, each by a program whose version it records', () => {
    ready();
    expect(kept.observations.map((o) => o.name)).toEqual(SCENARIOS);
    expect(fresh.observations.map((o) => o.name)).toEqual(SCENARIOS);
    expect(fresh.system).toBe(system);
    for (const name of SCENARIOS) expect(Object.keys(kept.programs)).toContain(programOf(name));
  });

  for (const name of SCENARIOS) {
    const program = programOf(name);
    const exact = sameProgram(program);
    it(`${name}: ${exact ? 'prints' : 'reads as'} what was captured, compared by ${comparison(program)}`, () => {
      ready();
      const now = fresh.observations.find((o) => o.name === name)!;
      const then = captured(kept, name);
      expect(now.argv).toEqual(then.argv);
      if (exact) expect(comparable(now), `${name} now prints otherwise than captured with ${kept.programs[program]}`).toEqual(comparable(then));
      else expect(reading(name, now), `${name}: ${fresh.programs[program]} prints ${JSON.stringify(comparable(now))}, read otherwise than ${kept.programs[program]}'s ${JSON.stringify(comparable(then))}`).toEqual(reading(name, then));
    });
  }
});
