// `netpol-e2e run|docs check --backend context --json` against an API server stand-in: the command line in-process
// through a kubeconfig that names the stand-in, and the results file it wrote.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { ResultsFile } from '../../src/results/results-file.ts';
import { runInProcessWith } from './cli.ts';
import type { FakeApiServer } from './fake-apiserver.ts';
import { fixture } from './fixture.ts';

/** A kubeconfig naming the stand-in, in a fresh folder: the environment and the arguments that select it. */
export async function standInContext(api: FakeApiServer): Promise<{ dir: string; env: Record<string, string>; args: string[] }> {
  const dir = await fixture({});
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'stand-in', server: api.url, skipTLSVerify: true }],
    users: [{ name: 'tester', token: 'test-token' }],
    contexts: [{ name: 'stand-in', cluster: 'stand-in', user: 'tester' }],
    currentContext: 'stand-in',
  });
  await writeFile(path.join(dir, 'kubeconfig'), config.exportConfig());
  return { dir, env: { KUBECONFIG: path.join(dir, 'kubeconfig') }, args: ['--backend', 'context', '--context', 'stand-in'] };
}

/** The command line with a kubeconfig that names the stand-in; `command` is the subcommand and its own arguments. */
export async function cliOnStandIn(api: FakeApiServer, command: string[], ...args: string[]) {
  const { dir, env, args: context } = await standInContext(api);
  const out = path.join(dir, 'results.json');
  const done = await runInProcessWith(env, ...command, ...context, '--json', out, ...args);
  return { ...done, file: out };
}

export async function runOnStandIn(api: FakeApiServer, ...args: string[]) {
  const done = await cliOnStandIn(api, ['run'], ...args);
  return { ...done, results: JSON.parse(await readFile(done.file, 'utf8')) as ResultsFile };
}
