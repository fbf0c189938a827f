// The stand-ins of npm run rehearse (scripts/rehearse/stand-in.mjs) answer as the real tools do: held here to the real
// openssl, and to real busybox ip and iproute2 in a network namespace of this test's own (so as root). A lab test
// (npm run test:lab); test/cluster/workflows.test.ts checks the rest of the stand-ins without them.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { fixture } from '../support/fixture.ts';
import { labSetUp, requireLab } from '../support/lab-needs.ts';
import { rehearsal, standIn } from '../support/rehearsal.ts';

describe("the rehearsal's openssl", () => {
  const ready = labSetUp(() => requireLab('the openssl stand-in test', { programs: ['openssl'] }));

  it('refuses an unknown option and writes key and certificate as the real openssl 3 does', async () => {
    ready();
    const dir = await fixture({});
    const argv = (d: string, extra: string[] = []) => ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=netpol-e2e-world', '-keyout', path.join(d, 'tls.key'), '-out', path.join(d, 'tls.crt'), ...extra];
    const real = await execa('openssl', argv(dir, ['-bogus']), { reject: false });
    const stand = await standIn('openssl', argv(dir, ['-bogus']), {});
    expect([stand.exitCode, stand.stderr]).toEqual([real.exitCode, real.stderr]);
    const ok = await standIn('openssl', argv(dir), {});
    expect(ok.exitCode).toBe(0);
    expect(await readFile(path.join(dir, 'tls.crt'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect((await execa('openssl', argv(dir), { reject: false })).exitCode).toBe(0);
  });
});

describe("the rehearsal's ip in the world server and on the nodes", () => {
  const ready = labSetUp(() => requireLab('the ip stand-in test', { root: true, programs: ['busybox', 'ip', 'unshare', 'setpriv'] }));

  it('answers as real busybox ip and iproute2 do', async () => {
    ready();
    // The real ones, in a network namespace of this test's own.
    const real = (script: string) => execa('unshare', ['-n', 'sh', '-c', `${script} 2>&1; echo "exit $?"`], { reject: false }).then((r) => r.stdout);
    const viaStandIn = async (container: object, argv: string[], times = 1) => {
      let out = '';
      const state = await rehearsal({ containers: { c: container, world: { ip: '172.18.0.10' } } });
      for (let i = 0; i < times; i++) {
        const r = await state.run('docker', ['exec', 'c', ...argv]);
        out = `${r.stderr}${r.stderr ? '\n' : ''}exit ${r.exitCode}`;
      }
      return out;
    };
    const add = ['ip', 'addr', 'add', '198.18.0.7/32', 'dev', 'lo'];
    const admin = { ip: '172.18.0.11', capAdd: ['NET_ADMIN'], addresses: [] };
    expect(await viaStandIn(admin, add, 2)).toBe((await real(`busybox ${add.join(' ')}; busybox ${add.join(' ')}`)).split('\n').slice(-2).join('\n'));
    expect(await viaStandIn({ ...admin, capAdd: [] }, add)).toBe(await real(`setpriv --inh-caps=-all --bounding-set=-net_admin busybox ${add.join(' ')}`));
    const route = ['ip', 'route', 'replace', '198.18.0.7/32', 'via', '172.31.0.1'];
    expect(await viaStandIn(admin, route)).toBe(await real(route.join(' ')));
  });
});
