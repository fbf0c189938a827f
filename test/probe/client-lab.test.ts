// The captures in test/fixtures/client-lab/captures.json are what this machine's real clients print: the lab runs
// curl, busybox wget/nc/ping, GNU wget, both netcats and iputils ping again in a network namespace of its own, and
// each must print what its capture holds (timestamps and timings aside). When a program changes its words, this
// fails; `npm run curl-outcomes -- --record` (root) records them afresh, and the classification tests then say
// whether netpol-e2e still reads them right.
import { beforeAll, describe, expect, it } from 'vitest';
import { captured, comparable, readCaptures, type Captures } from '../support/client-lab/captures.ts';
import { labUnavailable, runClientLab } from '../support/client-lab/lab.ts';
import { CLIENT_SCENARIOS, LAB_SCENARIOS, PING_SCENARIOS } from '../support/client-lab/scenarios.ts';

const SCENARIOS = [...LAB_SCENARIOS, ...CLIENT_SCENARIOS, ...PING_SCENARIOS].map((s) => s.name);

describe('the client lab captures are what the real programs print here', () => {
  let fresh: Captures;
  let kept: Captures;
  beforeAll(async () => {
    const unavailable = await labUnavailable();
    if (unavailable) throw new Error(`the client lab cannot run: ${unavailable} (the tests run as root, with curl, busybox, wget, netcat-openbsd, netcat-traditional and iputils-ping installed; see .ci/run)`);
    [fresh, kept] = await Promise.all([runClientLab(), readCaptures()]);
  }, 120_000);

  it('holds one capture per scenario, and the lab ran every scenario', () => {
    expect(kept.observations.map((o) => o.name)).toEqual(SCENARIOS);
    expect(fresh.observations.map((o) => o.name)).toEqual(SCENARIOS);
  });

  for (const name of SCENARIOS) {
    it(`${name}: prints what was captured`, () => {
      const now = fresh.observations.find((o) => o.name === name)!;
      const then = captured(kept, name);
      expect(now.argv).toEqual(then.argv);
      expect(comparable(now), `${name} now prints otherwise than captured with ${JSON.stringify(kept.programs)}`).toEqual(comparable(then));
    });
  }
});
