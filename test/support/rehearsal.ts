// The stand-ins of npm run rehearse (scripts/rehearse/stand-in.mjs), each run on a rehearsal state of a test's own.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { fixture, REPO } from './fixture.ts';

/** A rehearsal state of its own (`state` over an empty cluster list): `run` a stand-in on it as often as needed. */
export async function rehearsal(state: object) {
  const dir = await fixture({ 'state.json': JSON.stringify({ clusters: {}, containers: {}, configmaps: {}, reached: [], ...state }), 'log.jsonl': '' });
  const env = { REHEARSAL_STATE: path.join(dir, 'state.json'), REHEARSAL_LOG: path.join(dir, 'log.jsonl'), REHEARSAL_SCENARIO: 'test' };
  return {
    run: (tool: string, args: string[]) => execa(process.execPath, [path.join(REPO, 'scripts/rehearse/stand-in.mjs'), tool, ...args], { env, reject: false }),
    /** Every invocation the stand-ins logged, in order. */
    log: async () =>
      (await readFile(env.REHEARSAL_LOG, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as object),
  };
}

/** One stand-in command on a fresh state, with what it logged. */
export async function standIn(tool: string, args: string[], state: object) {
  const r = await rehearsal(state);
  const done = await r.run(tool, args);
  return { ...done, log: await r.log() };
}
