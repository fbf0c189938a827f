// The message a run ends with when its cleanup left something: one line per object or label, and kubectl commands
// that a shell reads back as the very arguments meant (run here through a real sh, with kubectl a stand-in that
// prints its argv), covering what a namespace's deletion does not.
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { UnreachableError } from '../../src/backends/backend.ts';
import { manualCleanup, renderLeftBehind } from '../../src/report/left-behind.ts';
import { LeftBehind } from '../../src/runner/left-behind.ts';
import { HOSTILE_MIX, RAW_ACTIVE } from '../support/hostile.ts';
import { fixture } from '../support/fixture.ts';

const fail = (message: string) => () => Promise.reject(new Error(message));

async function leftOf(...undos: Parameters<LeftBehind['undo']>[]): Promise<LeftBehind> {
  const left = new LeftBehind();
  for (const [call, what] of undos) await left.undo(call, what);
  return left;
}

/** What a POSIX shell passes to kubectl for each command line: the argv after `kubectl`, one array per line. */
async function argvs(lines: string[]): Promise<string[][]> {
  const dir = await fixture({ 'bin/kubectl': '#!/bin/sh\n# prints its argv, NUL-separated, one command a line\nprintf "%s\\0" "$@"; echo\n' });
  await chmod(path.join(dir, 'bin/kubectl'), 0o755);
  const { stdout } = await execa('sh', ['-c', lines.join('\n')], { env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` } });
  return stdout.split('\n').map((line) => line.split('\0').slice(0, -1));
}

describe('what a cleanup left behind', () => {
  it('lists each object and label with its reason, and the commands undo exactly those a namespace deletion does not', async () => {
    const left = await leftOf(
      [fail('HTTP 403: forbidden'), { what: 'labels', ref: { kind: 'Namespace', name: 'kube-system' }, restore: { team: null, tier: 'infra' } }],
      [fail('HTTP 500: etcd'), { what: 'object', ref: { kind: 'NetworkPolicy', name: 'deny', namespace: 'demo' } }],
      [fail('HTTP 500: etcd'), { what: 'object', ref: { kind: 'CiliumClusterwideNetworkPolicy', name: 'world' } }],
      [fail('HTTP 409: conflict'), { what: 'object', ref: { kind: 'Deployment', name: 'web', namespace: 'default' } }],
      [fail('HTTP 500: etcd'), { what: 'object', ref: { kind: 'Namespace', name: 'demo' } }],
    );
    expect(left.since(0)).toBe(
      'cleanup left behind: labels of Namespace kube-system: HTTP 403: forbidden; NetworkPolicy demo/deny, CiliumClusterwideNetworkPolicy world: HTTP 500: etcd; Deployment default/web: HTTP 409: conflict; Namespace demo: HTTP 500: etcd',
    );
    expect(renderLeftBehind(left, 'kind-netpol-e2e')!.split('\n')).toEqual([
      'cleanup could not undo everything. These may be left behind on the cluster:',
      '  labels of Namespace kube-system (not restored): HTTP 403: forbidden',
      '  NetworkPolicy demo/deny: HTTP 500: etcd',
      '  CiliumClusterwideNetworkPolicy world: HTTP 500: etcd',
      '  Deployment default/web: HTTP 409: conflict',
      '  Namespace demo: HTTP 500: etcd',
      'Undo them by hand once the cluster answers:',
      '  kubectl --context kind-netpol-e2e label --overwrite namespace kube-system team- tier=infra',
      '  kubectl --context kind-netpol-e2e delete --ignore-not-found ciliumclusterwidenetworkpolicy world',
      '  kubectl --context kind-netpol-e2e delete --ignore-not-found -n default deployment web',
      '  kubectl --context kind-netpol-e2e delete --ignore-not-found namespace demo',
    ]);
  });

  it('once the server is unreachable, tries nothing more and says so once, naming the server', async () => {
    let calls = 0;
    const unreachable = () => (calls++, Promise.reject(new UnreachableError('delete Namespace a: connect ECONNREFUSED (4 attempts)', 'https://10.0.0.1:6443')));
    const left = await leftOf(
      [unreachable, { what: 'object', ref: { kind: 'Namespace', name: 'a' } }],
      [unreachable, { what: 'object', ref: { kind: 'Namespace', name: 'b' } }],
      [unreachable, { what: 'labels', ref: { kind: 'Namespace', name: 'kube-system' }, restore: { x: '1' } }],
    );
    expect(calls).toBe(1);
    expect(left.since(0)).toBe('cleanup left behind: Namespace a: delete Namespace a: connect ECONNREFUSED (4 attempts); Namespace b, labels of Namespace kube-system: not tried: https://10.0.0.1:6443 could not be reached');
    expect(renderLeftBehind(left, undefined)!.split('\n').slice(0, 4)).toEqual([
      'cleanup stopped: the API server https://10.0.0.1:6443 could not be reached (delete Namespace a: connect ECONNREFUSED (4 attempts)). These may be left behind on the cluster:',
      '  Namespace a',
      '  Namespace b',
      '  labels of Namespace kube-system (not restored)',
    ]);
  });

  it('says nothing when everything was undone', async () => {
    const left = await leftOf([() => Promise.resolve(), { what: 'object', ref: { kind: 'Namespace', name: 'a' } }]);
    expect(left.since(0)).toBeUndefined();
    expect(renderLeftBehind(left, 'c')).toBeUndefined();
  });

  it('gives a shell the very arguments, whatever the names and the context', async () => {
    const odd = `it's $(touch /tmp/x) \`id\` "q" ; & | * ~`;
    const entries = [
      { what: 'object' as const, ref: { kind: 'Deployment', name: odd, namespace: 'default' }, why: '' },
      { what: 'labels' as const, ref: { kind: 'Pod', name: 'p', namespace: odd }, restore: { [odd]: odd, gone: null }, why: '' },
    ];
    expect(await argvs(manualCleanup(entries, odd))).toEqual([
      ['--context', odd, 'label', '--overwrite', '-n', odd, 'pod', 'p', `${odd}=${odd}`, 'gone-'],
      ['--context', odd, 'delete', '--ignore-not-found', '-n', 'default', 'deployment', odd],
    ]);
  });

  it('is inert on a terminal: a hostile name takes one line, its controls escaped', async () => {
    const left = await leftOf([fail(HOSTILE_MIX), { what: 'object', ref: { kind: 'NetworkPolicy', name: HOSTILE_MIX, namespace: 'default' } }]);
    const lines = renderLeftBehind(left, HOSTILE_MIX)!.split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).not.toMatch(RAW_ACTIVE);
  });
});
