// The rehearsal's stand-ins for what the e2e workflow and cluster:up added (scripts/rehearse/stand-in.mjs): the
// runner's sudo, apt-get, modprobe and sysctl in the words of sudo 1.9.13p3, apt 2.6.1, kmod 30 and procps-ng 4.0.2 (as
// they printed them on Debian 12 for the same argv), the images' docker pull and tag and kind load, the Envoy DaemonSet
// the Cilium chart deploys, and Hubble flows through Relay.
import { chmod } from 'node:fs/promises';
import { release } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, REPO } from '../support/fixture.ts';
import { rehearsal, standIn } from '../support/rehearsal.ts';

const KERNEL = release();
type State = Awaited<ReturnType<typeof rehearsal>>;
/** A stand-in run on `state` with these variables set (REHEARSAL_UID: whose the process is; PATH; ...). */
async function run(state: State, tool: string, args: string[], env: Record<string, string> = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await state.run(tool, args);
  } finally {
    process.env = saved;
  }
}
const host = (extra: object = {}) => ({ host: { kernel: KERNEL, packages: [`linux-modules-extra-${KERNEL}`], modules: [], sysctl: { 'fs.inotify.max_user_watches': '65536' }, ...extra } });

describe("the runner's tools", () => {
  it('sudo: refuses an unknown option as sudo does, and runs the command as root', async () => {
    expect(await standIn('sudo', ['--bogus', 'true'], {}).then((r) => [r.exitCode, r.stderr.split('\n')[0]])).toEqual([1, "sudo: unrecognized option '--bogus'"]);
    expect(await standIn('sudo', ['-x', 'true'], {}).then((r) => [r.exitCode, r.stderr.split('\n')[0]])).toEqual([1, "sudo: invalid option -- 'x'"]);
    // Under sudo, the stand-ins on the PATH run as root and leave their state.
    const bin = await fixture({ sysctl: `#!/bin/sh\nexec "${process.execPath}" "${path.join(REPO, 'scripts/rehearse/stand-in.mjs')}" sysctl "$@"\n` });
    await chmod(path.join(bin, 'sysctl'), 0o755);
    const state = await rehearsal(host());
    const runner = { REHEARSAL_UID: '1001', PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    const asUser = await run(state, 'sysctl', ['-w', 'fs.inotify.max_user_watches=524288'], runner);
    expect([asUser.exitCode, asUser.stderr]).toEqual([1, 'sysctl: permission denied on key "fs.inotify.max_user_watches"']);
    const asRoot = await run(state, 'sudo', ['sysctl', '-w', 'fs.inotify.max_user_watches=524288'], runner);
    expect([asRoot.exitCode, asRoot.stdout]).toEqual([0, 'fs.inotify.max_user_watches = 524288']);
    expect((await run(state, 'sysctl', ['-n', 'fs.inotify.max_user_watches'], runner)).stdout).toBe('524288');
  });

  it('sysctl: a key /proc/sys lacks, and -w without a value', async () => {
    expect(await standIn('sysctl', ['-n', 'fs.inotify.nonexistent'], host()).then((r) => [r.exitCode, r.stderr])).toEqual([1, 'sysctl: cannot stat /proc/sys/fs/inotify/nonexistent: No such file or directory']);
    expect(await standIn('sysctl', ['-w', 'fs.inotify.max_user_watches'], host()).then((r) => [r.exitCode, r.stderr])).toEqual([1, 'sysctl: command line(0): invalid syntax, continuing...']);
  });

  it('apt-get: needs root, cannot locate a package the lists lack (with its glob and regex searches), exits 100', async () => {
    const missing = `linux-modules-extra-${KERNEL}`;
    const root = await rehearsal(host({ packages: [] }));
    const none = await run(root, 'apt-get', ['install', '-y', missing], { REHEARSAL_UID: '0' });
    expect([none.exitCode, none.stderr]).toEqual([100, `E: Unable to locate package ${missing}\nE: Couldn't find any package by glob '${missing}'\nE: Couldn't find any package by regex '${missing}'`]);
    expect((await run(root, 'apt-get', ['install', '-y', 'nodots'], { REHEARSAL_UID: '0' })).stderr).toBe('E: Unable to locate package nodots');
    const user = await run(root, 'apt-get', ['install', '-y', missing], { REHEARSAL_UID: '1001' });
    expect([user.exitCode, user.stderr]).toEqual([100, 'E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?']);
    expect((await run(root, 'apt-get', ['update', '--bogus'], { REHEARSAL_UID: '0' })).stderr).toBe('E: Command line option --bogus is not understood in combination with the other options');
  });

  it("modprobe sctp: not found in the kernel's modules until linux-modules-extra is installed; loading needs root", async () => {
    const state = await rehearsal(host());
    expect(await run(state, 'modprobe', ['sctp'], { REHEARSAL_UID: '0' }).then((r) => [r.exitCode, r.stderr])).toEqual([1, `modprobe: FATAL: Module sctp not found in directory /lib/modules/${KERNEL}`]);
    expect((await run(state, 'apt-get', ['install', '-y', `linux-modules-extra-${KERNEL}`], { REHEARSAL_UID: '0' })).exitCode).toBe(0);
    expect(await run(state, 'modprobe', ['sctp'], { REHEARSAL_UID: '1001' }).then((r) => [r.exitCode, r.stderr])).toEqual([1, "modprobe: ERROR: could not insert 'sctp': Operation not permitted"]);
    expect(await run(state, 'modprobe', ['sctp'], { REHEARSAL_UID: '0' }).then((r) => [r.exitCode, r.stderr])).toEqual([0, '']);
    expect((await run(state, 'modprobe', ['--bogus'], {})).stderr).toBe("modprobe: unrecognized option '--bogus'");
  });
});

describe('images', () => {
  it('docker pull checks the reference; docker tag needs the source pulled and refuses a digest target; kind load needs every image local', async () => {
    const cluster = { clusters: { x: { nodes: [{ name: 'x-control-plane' }, { name: 'x-worker' }], images: [] } } };
    const state = await rehearsal(cluster);
    expect(await run(state, 'docker', ['pull', 'Quay.io/Cilium/json-mock:1.2'], {}).then((r) => [r.exitCode, r.stderr])).toEqual([1, 'invalid reference format']);
    expect(await run(state, 'docker', ['tag', 'quay.io/cilium/json-mock:1.2', 'docker.io/cilium/json-mock:1.2'], {}).then((r) => [r.exitCode, r.stderr])).toEqual([
      1,
      'Error response from daemon: No such image: quay.io/cilium/json-mock:1.2',
    ]);
    expect(await run(state, 'kind', ['load', 'docker-image', 'docker.io/cilium/json-mock:1.2', '--name', 'x'], {}).then((r) => [r.exitCode, r.stderr])).toEqual([1, 'ERROR: image: "docker.io/cilium/json-mock:1.2" not present locally']);
    const pulled = await run(state, 'docker', ['pull', 'registry.k8s.io/e2e-test-images/agnhost:2.52@sha256:b173c7d0ffe3d805d49f4dfe48375169b7b8d2e1feb81783efd61eb9d08042e6'], {});
    expect(pulled.stdout.trim().split('\n').at(-1)).toBe('registry.k8s.io/e2e-test-images/agnhost:2.52@sha256:b173c7d0ffe3d805d49f4dfe48375169b7b8d2e1feb81783efd61eb9d08042e6');
    expect(
      (
        await run(
          state,
          'docker',
          [
            'tag',
            'registry.k8s.io/e2e-test-images/agnhost:2.52@sha256:b173c7d0ffe3d805d49f4dfe48375169b7b8d2e1feb81783efd61eb9d08042e6',
            'registry.k8s.io/e2e-test-images/agnhost:2.52@sha256:b173c7d0ffe3d805d49f4dfe48375169b7b8d2e1feb81783efd61eb9d08042e6',
          ],
          {},
        )
      ).stderr,
    ).toBe('refusing to create a tag with a digest reference');
    expect((await run(state, 'docker', ['tag', 'registry.k8s.io/e2e-test-images/agnhost:2.52@sha256:b173c7d0ffe3d805d49f4dfe48375169b7b8d2e1feb81783efd61eb9d08042e6', 'registry.k8s.io/e2e-test-images/agnhost:2.52'], {})).exitCode).toBe(0);
    const load = await run(state, 'kind', ['load', 'docker-image', 'registry.k8s.io/e2e-test-images/agnhost:2.52', '--name', 'x'], {});
    expect([load.exitCode, load.stderr.split('\n')[0]]).toEqual([
      0,
      'Image: "registry.k8s.io/e2e-test-images/agnhost:2.52" with ID "sha256:0000000000000000000000000000000000000000000000000000000000000000" not yet present on node "x-control-plane", loading...',
    ]);
    expect((await run(state, 'kind', ['load', 'docker-image', '--name', 'x'], {})).stderr).toBe('ERROR: a list of image names is required');
  });
});

describe('Cilium', () => {
  const charts = JSON.stringify({ cilium: { repo: 'https://helm.cilium.io', versions: ['1.20.2'] } });
  const install = (state: State, ...set: string[]) =>
    run(
      state,
      'helm',
      ['upgrade', '--install', 'cilium', 'cilium', '--repo', 'https://helm.cilium.io', '--version', '1.20.2', '--kube-context', 'kind-x', '-f', path.join(REPO, 'cluster/cilium/values.yaml'), ...set.flatMap((s) => ['--set', s])],
      { REHEARSAL_CHARTS: charts },
    );
  const kubectl = (state: State, ...args: string[]) => run(state, 'kubectl', ['--context', 'kind-x', '-n', 'kube-system', ...args]);

  it('deploys Envoy as the DaemonSet cilium-envoy unless envoy.enabled or l7Proxy is false; get --ignore-not-found prints nothing for none', async () => {
    const state = await rehearsal({ clusters: { x: { nodes: [] } } });
    expect((await kubectl(state, 'rollout', 'status', 'daemonset/cilium-envoy', '--timeout=300s')).stderr).toBe('Error from server (NotFound): daemonsets.apps "cilium-envoy" not found');
    expect((await install(state)).exitCode).toBe(0);
    expect((await kubectl(state, 'get', 'daemonset', 'cilium-envoy', '--ignore-not-found', '-o', 'name')).stdout).toBe('daemonset.apps/cilium-envoy');
    expect((await kubectl(state, 'rollout', 'status', 'daemonset/cilium-envoy', '--timeout=300s')).stdout).toBe('daemon set "cilium-envoy" successfully rolled out');
    for (const off of ['envoy.enabled=false', 'l7Proxy=false']) {
      const other = await rehearsal({ clusters: { x: { nodes: [] } } });
      await install(other, off);
      expect(await kubectl(other, 'get', 'daemonset', 'cilium-envoy', '--ignore-not-found', '-o', 'name').then((r) => [r.exitCode, r.stdout])).toEqual([0, '']);
      expect((await kubectl(other, 'get', 'daemonset', 'cilium-envoy', '-o', 'name')).stderr).toBe('Error from server (NotFound): daemonsets.apps "cilium-envoy" not found');
    }
  });

  it("answers hubble observe through Relay at its ClusterIP with both nodes' flows, and not by its Service name from the host-networked agent", async () => {
    const state = await rehearsal({ clusters: { x: { nodes: [] } } });
    await install(state);
    const relay = (await kubectl(state, 'get', 'svc', 'hubble-relay', '-o', 'jsonpath={.spec.clusterIP}:{.spec.ports[0].port}')).stdout;
    expect(relay).toBe('10.96.118.21:80');
    const flows = await kubectl(state, 'exec', 'ds/cilium', '-c', 'cilium-agent', '--', 'hubble', 'observe', '--server', relay, '--last', '10', '-o', 'jsonpb');
    expect(flows.stdout).toMatch(/"node_name":"netpol-e2e-worker"[\s\S]*"node_name":"netpol-e2e-worker2"/);
    const byName = await kubectl(state, 'exec', 'ds/cilium', '-c', 'cilium-agent', '--', 'hubble', 'observe', '--server', 'hubble-relay:80');
    expect([byName.exitCode, byName.stderr.split('\n')[0]]).toEqual([1, "failed to connect to 'hubble-relay:80': rpc error: code = Unavailable desc = name resolver error: produced zero addresses"]);
  });
});
