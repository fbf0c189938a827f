// What cluster:up asks of the machine and of the registries: kind's inotify limits (checked, raised as root, else
// the command to run), a kubectl of the cluster's own minor, and the apps' images pulled as pinned and loaded under
// the names the manifests use. sysctl and kubectl here are the rehearsal's stand-ins and small scripts on the PATH.
import { chmod, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkInotify, inotifyShortfall } from '../../scripts/cluster/host.ts';
import { clientMinor, findTool } from '../../scripts/cluster/tools.ts';
import { loadedImages, readVersions } from '../../scripts/cluster/versions.ts';
import { AGNHOST_IMAGE } from '../../src/probe/command.ts';
import { fixture, REPO } from '../support/fixture.ts';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});
beforeEach(() => void vi.spyOn(console, 'log').mockImplementation(() => {}));

/** A folder put first on the PATH holding `scripts` (name: shell script body). */
async function onPath(scripts: Record<string, string>): Promise<string> {
  const dir = await fixture(Object.fromEntries(Object.entries(scripts).map(([name, body]) => [name, `#!/bin/sh\n${body}\n`])));
  for (const name of Object.keys(scripts)) await chmod(path.join(dir, name), 0o755);
  process.env.PATH = `${dir}${path.delimiter}${saved.PATH}`;
  return dir;
}

describe('inotify limits (kind known issues: "Pod errors due to too many open files")', () => {
  it('names each limit below 524288 watches and 512 instances', () => {
    expect(inotifyShortfall('65536\n128\n')).toEqual(['fs.inotify.max_user_watches=524288', 'fs.inotify.max_user_instances=512']);
    expect(inotifyShortfall('524288\n8192\n')).toEqual([]);
    expect(inotifyShortfall('1048576\n')).toEqual(['fs.inotify.max_user_instances=512']);
  });

  async function sysctl(uid: string) {
    const dir = await fixture({
      'state.json': JSON.stringify({ clusters: {}, containers: {}, configmaps: {}, reached: [], host: { sysctl: { 'fs.inotify.max_user_watches': '65536', 'fs.inotify.max_user_instances': '128' } } }),
      'log.jsonl': '',
    });
    Object.assign(process.env, { REHEARSAL_STATE: path.join(dir, 'state.json'), REHEARSAL_LOG: path.join(dir, 'log.jsonl'), REHEARSAL_SCENARIO: 'test', REHEARSAL_UID: uid });
    await onPath({ sysctl: `exec "${process.execPath}" "${path.join(REPO, 'scripts/rehearse/stand-in.mjs')}" sysctl "$@"` });
    return async () => (JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as { host: { sysctl: Record<string, string> } }).host.sysctl;
  }

  it('raises them as root, with sysctl -w', async () => {
    const settings = await sysctl('0');
    expect(await checkInotify('linux', 0)).toBe('inotify limits: raised (fs.inotify.max_user_watches=524288, fs.inotify.max_user_instances=512)');
    expect(await settings()).toEqual({ 'fs.inotify.max_user_watches': '524288', 'fs.inotify.max_user_instances': '512' });
    expect(await checkInotify('linux', 0)).toBe('inotify limits: as kind asks');
  });

  it('says how to raise them as another user, and leaves them', async () => {
    const settings = await sysctl('1001');
    expect(await checkInotify('linux', 1001)).toBe(
      'warning: inotify limits below what kind asks for multi-node clusters (pods may fail with "too many open files"): run sudo sysctl -w fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512',
    );
    expect((await settings())['fs.inotify.max_user_watches']).toBe('65536');
  });

  it("does not look on macOS, where the nodes run in Docker's VM", async () => {
    await onPath({ sysctl: 'echo "should not run" >&2; exit 1' });
    expect(await checkInotify('darwin', 501)).toMatch(/not checked/);
  });
});

describe("kubectl of the cluster's minor", () => {
  // kubectl version --client -o json, as k8s.io/kubectl pkg/cmd/version prints it.
  const version = (git: string) => JSON.stringify({ clientVersion: { major: '1', minor: git.split('.')[1], gitVersion: git, platform: 'linux/amd64' }, kustomizeVersion: 'v5.7.1' });

  it('reads the client minor', () => {
    expect(clientMinor(version('v1.36.5'))).toBe('v1.36');
    expect(clientMinor('not json')).toBeUndefined();
  });

  it('takes a kubectl on the PATH only of the same minor; else the pinned one is installed', async () => {
    delete process.env.NETPOL_E2E_PINNED_TOOLS;
    const dir = await onPath({ kubectl: `echo '${version('v1.36.2')}'` });
    expect(await findTool('kubectl', 'v1.36.5')).toBe(path.join(dir, 'kubectl'));
    expect(await findTool('kubectl', 'v1.37.1')).toBeNull();
    process.env.NETPOL_E2E_PINNED_TOOLS = '1';
    expect(await findTool('kubectl', 'v1.36.5')).toBeNull();
  });
});

describe("the apps' images", () => {
  it("loads every image the apps' manifests and the probe clients name, pulled from the registry upstream publishes to", async () => {
    const named = new Set([AGNHOST_IMAGE]);
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) k === 'image' && typeof v === 'string' ? named.add(v) : collect(v);
    };
    const apps = path.join(REPO, 'manifests/apps');
    for (const file of (await readdir(apps)).filter((f) => f.endsWith('.yaml'))) for (const doc of parseAllDocuments(await readFile(path.join(apps, file), 'utf8'))) collect(doc.toJS());
    const loaded = loadedImages(readVersions());
    expect(loaded.map((i) => i.as).sort()).toEqual([...named].sort());
    // No node pulls from Docker Hub what another registry has: only alpine-curl, published there alone, is pulled from it.
    expect(loaded.filter((i) => i.pull.startsWith('docker.io/')).map((i) => i.pull)).toEqual(['docker.io/byrnedo/alpine-curl:0.1.8']);
    expect(readVersions().images.worldServer.pull).toMatch(/^mirror\.gcr\.io\/library\/nginx:[\w.-]+@sha256:[0-9a-f]{64}$/);
  });

  it('refuses an image loaded under another tag than the one pulled', async () => {
    const text = JSON.parse(await readFile(path.join(REPO, 'cluster/versions.json'), 'utf8'));
    text.images.agnhost = { pull: 'registry.k8s.io/e2e-test-images/agnhost:2.53', as: 'registry.k8s.io/e2e-test-images/agnhost:2.52' };
    text.images.jsonMock = { pull: 'cilium/json-mock:1.2', as: 'docker.io/cilium/json-mock:1.2' };
    const dir = await fixture({ 'versions.json': JSON.stringify(text) });
    expect(() => readVersions(path.join(dir, 'versions.json'))).toThrow(/pulls registry\.k8s\.io\/e2e-test-images\/agnhost:2\.53 but loads it as .*2\.52: the tags differ/s);
    expect(() => readVersions(path.join(dir, 'versions.json'))).toThrow(/registry\/repository:tag/);
  });
});
