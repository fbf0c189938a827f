// The world server as cluster:up runs it, with real nginx and the real ip commands, in two network namespaces of this
// test's own: "world" holds the addresses on its loopback as the world server does (busybox ip, as in nginx:alpine),
// "node" routes each address through it as every kind node does (iproute2), and the harness's curl command probes
// from the node. A lab test (npm run test:lab): root, nginx, busybox, iproute2, openssl and curl.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { externalHosts } from '../../scripts/cluster/offline-names.ts';
import { holdAddress, routeThrough, servedHosts } from '../../scripts/cluster/world-server.ts';
import { OFFLINE_TLS, offlineServerConfig } from '../../src/backends/kube/offline-fqdn.ts';
import { classifyCurl } from '../../src/probe/classify.ts';
import { buildProbeArgv } from '../../src/probe/command.ts';
import { fixture, REPO } from '../support/fixture.ts';
import { labSetUp, requireLab } from '../support/lab-needs.ts';

describe('the world server on a network of its own', () => {
  const ready = labSetUp(() => requireLab('the world server test', { root: true, programs: ['ip', 'nginx', 'busybox', 'openssl', 'curl'] }));

  it('answers each name at its own address and each TEST-NET literal, routed through it from a node', async () => {
    ready();
    const hosts = servedHosts(await externalHosts([path.join(REPO, 'suites')]));
    const dir = await fixture({ 'conf.d/default.conf': offlineServerConfig(hosts).replaceAll(OFFLINE_TLS, '__DIR__/tls') });
    await mkdir(path.join(dir, 'tls'));
    await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=netpol-e2e-world', '-keyout', path.join(dir, 'tls/tls.key'), '-out', path.join(dir, 'tls/tls.crt')]);
    const conf = (await readFile(path.join(dir, 'conf.d/default.conf'), 'utf8')).replaceAll('__DIR__', dir);
    await writeFile(path.join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\naccess_log off;\n${conf}}\n`);
    const [world, node] = [`npe2e-world-${process.pid}`, `npe2e-node-${process.pid}`];
    const ip = (...args: string[]) => execa('ip', args);
    const inNs = (ns: string, argv: string[]) => execa('ip', ['netns', 'exec', ns, ...argv], { reject: false });
    try {
      await ip('netns', 'add', world);
      await ip('netns', 'add', node);
      await ip('link', 'add', 'npe2e-w', 'netns', world, 'type', 'veth', 'peer', 'name', 'npe2e-n', 'netns', node);
      for (const [ns, dev, address] of [
        [world, 'npe2e-w', '172.31.255.2/24'],
        [node, 'npe2e-n', '172.31.255.1/24'],
      ] as const) {
        await ip('-n', ns, 'addr', 'add', address, 'dev', dev);
        await ip('-n', ns, 'link', 'set', dev, 'up');
        await ip('-n', ns, 'link', 'set', 'lo', 'up');
      }
      const addresses = [...new Set(hosts.map((h) => h.ip))];
      for (const address of addresses) {
        expect((await inNs(world, ['busybox', ...holdAddress(address)])).exitCode).toBe(0);
        expect((await inNs(node, routeThrough(address, '172.31.255.2'))).exitCode).toBe(0);
      }
      // Run twice, as a resumed bring-up does: `replace` must not fail on a route that is there.
      expect((await inNs(node, routeThrough(addresses[0]!, '172.31.255.2'))).exitCode).toBe(0);
      // nginx daemonizes once its sockets listen: ready when it returns.
      expect((await inNs(world, ['nginx', '-c', path.join(dir, 'nginx.conf')])).exitCode).toBe(0);
      const probes = hosts.flatMap((h) => Object.entries(h.ports).map(([port, status]) => ({ h, port, status, url: `${port === '443' ? 'https' : 'http'}://${h.name ?? h.ip}${port === '80' || port === '443' ? '' : `:${port}`}/` })));
      for (const { h, port, status, url } of probes) {
        const argv = buildProbeArgv({ tool: 'curl', url, method: 'GET', connectTimeoutSeconds: 2, maxTimeSeconds: 4 });
        // Each name resolves to its own address, as CoreDNS answers it on kind.
        const resolve = h.name ? ['--resolve', `${h.name}:${port}:${h.ip}`] : [];
        const r = await inNs(node, [...argv.slice(0, -1), ...resolve, argv.at(-1)!]);
        const observed = classifyCurl({ stdout: r.stdout, exitCode: r.exitCode ?? -1, stderr: r.stderr });
        expect(`${url} ${observed.outcome}:${observed.status}`).toBe(`${url} ok:${status}`);
      }
      expect(probes.length).toBeGreaterThanOrEqual(6);
      // An address the world server does not hold is not answered through it.
      const stray = await inNs(node, ['curl', '-sS', '--connect-timeout', '1', 'http://198.51.100.99/']);
      expect(stray.exitCode).not.toBe(0);
    } finally {
      const pid = Number(await readFile(path.join(dir, 'nginx.pid'), 'utf8').catch(() => ''));
      if (pid) process.kill(pid);
      await execa('ip', ['netns', 'del', world], { reject: false });
      await execa('ip', ['netns', 'del', node], { reject: false });
    }
  });
});
