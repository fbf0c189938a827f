// Finds the command-line tools cluster bring-up needs, or installs the pinned versions into .tools/bin, each
// download checked against the SHA-256 file its project publishes beside the release (so a version bump in
// cluster/versions.json needs no hash). kubectl is the cluster's own minor: one per Kubernetes minor, installed as
// .tools/bin/kubectl-<version>, with .tools/bin/kubectl pointing at the one the last bring-up used. Docker cannot be
// installed this way: without it, bring-up stops with what to do.
import { createHash } from 'node:crypto';
import { chmod, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import path from 'node:path';
import { findOnPath, isExecutable, run } from './run.ts';
import { REPO, type Versions } from './versions.ts';

/** Where pinned tools are installed; NETPOL_E2E_TOOLS_DIR points elsewhere (the rehearsal's stand-ins). */
export const TOOLS_DIR = process.env.NETPOL_E2E_TOOLS_DIR ?? path.join(REPO, '.tools/bin');

export type Tool = 'kind' | 'helm' | 'kubectl';

export class ToolError extends Error {
  override readonly name = 'ToolError';
}

export function goPlatform(os = platform(), cpu = arch()): { os: string; arch: string } {
  const goOs = { linux: 'linux', darwin: 'darwin' }[os as string];
  const goArch = { x64: 'amd64', arm64: 'arm64' }[cpu as string];
  if (!goOs || !goArch) throw new ToolError(`no pinned tool builds for ${os}/${cpu}: install kind, helm and kubectl yourself`);
  return { os: goOs, arch: goArch };
}

/** The pinned version of a tool; kubectl's is the one of the cluster's Kubernetes minor (vX.Y). */
export function pinnedVersion(tool: Tool, versions: Versions, kubernetes: string): string {
  if (tool !== 'kubectl') return versions[tool];
  const version = versions.kubectl[kubernetes];
  if (!version) throw new ToolError(`no kubectl pinned for Kubernetes ${kubernetes} (cluster/versions.json "kubectl": ${Object.keys(versions.kubectl).join(', ')})`);
  return version;
}

/** Where each tool's release file and its published checksum live. */
export function releaseOf(tool: Tool, version: string, p = goPlatform()): { url: string; sumUrl: string; archive?: string } {
  if (tool === 'kind') {
    const url = `https://github.com/kubernetes-sigs/kind/releases/download/${version}/kind-${p.os}-${p.arch}`;
    return { url, sumUrl: `${url}.sha256sum` };
  }
  if (tool === 'kubectl') {
    const url = `https://dl.k8s.io/release/${version}/bin/${p.os}/${p.arch}/kubectl`;
    return { url, sumUrl: `${url}.sha256` };
  }
  const url = `https://get.helm.sh/helm-${version}-${p.os}-${p.arch}.tar.gz`;
  return { url, sumUrl: `${url}.sha256sum`, archive: `${p.os}-${p.arch}/helm` };
}

/** The file a pinned tool is installed as: kubectl carries its version, so that each Kubernetes minor keeps its own. */
export const installedName = (tool: Tool, version: string) => (tool === 'kubectl' ? `kubectl-${version}` : tool);

/** The hash from a published checksum file: "<hex>" or "<hex>  <file name>". */
export function publishedSha256(text: string): string {
  const hex = text.trim().split(/\s+/)[0] ?? '';
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new ToolError(`not a SHA-256 checksum file: ${JSON.stringify(text.slice(0, 80))}`);
  return hex.toLowerCase();
}

export function verify(data: Buffer, expected: string, what: string): void {
  const actual = createHash('sha256').update(data).digest('hex');
  if (actual !== expected) throw new ToolError(`${what}: checksum mismatch (expected ${expected}, got ${actual}); refusing to install it`);
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(120_000) });
  if (!response.ok) throw new ToolError(`download ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

async function install(tool: Tool, version: string): Promise<string> {
  const release = releaseOf(tool, version);
  const [data, sum] = await Promise.all([download(release.url), download(release.sumUrl)]);
  verify(data, publishedSha256(sum.toString('utf8')), release.url);
  await mkdir(TOOLS_DIR, { recursive: true });
  const target = path.join(TOOLS_DIR, installedName(tool, version));
  if (release.archive) {
    const archive = path.join(TOOLS_DIR, `${tool}.tar.gz`);
    await writeFile(archive, data);
    await run('tar', ['-xzf', archive, '-C', TOOLS_DIR, release.archive]);
    await rename(path.join(TOOLS_DIR, release.archive), target);
    await rm(archive);
    await rm(path.join(TOOLS_DIR, path.dirname(release.archive)), { recursive: true });
  } else await writeFile(target, data);
  await chmod(target, 0o755);
  return target;
}

/** The minor (vX.Y) of `kubectl version --client -o json` (k8s.io/kubectl pkg/cmd/version: clientVersion.gitVersion). */
export function clientMinor(json: string): string | undefined {
  try {
    const git = (JSON.parse(json) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion;
    return /^(v\d+\.\d+)\./.exec(git ?? '')?.[1];
  } catch {
    return undefined;
  }
}

/**
 * A tool from .tools/bin, else the PATH. With `version`, only that version: the installed file of that version, or
 * (kubectl) one on the PATH whose client is of the same minor. With NETPOL_E2E_PINNED_TOOLS=1 (the workflows set it)
 * the PATH is skipped, so that only the pinned, verified downloads run.
 */
export async function findTool(tool: Tool, version?: string): Promise<string | null> {
  const local = path.join(TOOLS_DIR, version ? installedName(tool, version) : tool);
  if (await isExecutable(local)) return local;
  if (process.env.NETPOL_E2E_PINNED_TOOLS === '1') return null;
  const onPath = await findOnPath(tool);
  if (!onPath || tool !== 'kubectl' || !version) return onPath;
  const client = await run(onPath, ['version', '--client', '-o', 'json'], { nothrow: true, quiet: true, timeoutMs: 20_000 });
  const minor = clientMinor(client.stdout);
  if (minor === /^v\d+\.\d+/.exec(version)?.[0]) return onPath;
  console.log(`kubectl on the PATH (${onPath}) is ${minor ?? 'of an unknown version'}, not ${version}'s minor: using the pinned ${version}`);
  return null;
}

/**
 * Docker must answer; kind, helm and kubectl (of the cluster's Kubernetes minor, vX.Y) are found (findTool) or
 * installed from a verified download. `.tools/bin/kubectl` then points at that kubectl where it is a pinned one.
 */
export async function ensureTools(versions: Versions, kubernetes: string, tools: Tool[] = ['kind', 'helm', 'kubectl']): Promise<Record<Tool, string>> {
  if (!(await findOnPath('docker'))) throw new ToolError('docker is not installed: kind runs Kubernetes nodes as Docker containers (https://docs.docker.com/get-docker/)');
  const info = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { nothrow: true, quiet: true, timeoutMs: 20_000 });
  if (info.exitCode !== 0) throw new ToolError(`no Docker engine answers (${info.stderr.trim().split('\n')[0]}): start Docker and try again`);
  const found = {} as Record<Tool, string>;
  for (const tool of tools) {
    const version = pinnedVersion(tool, versions, kubernetes);
    found[tool] = (await findTool(tool, tool === 'kubectl' ? version : undefined)) ?? (await install(tool, version));
  }
  if (tools.includes('kubectl') && path.dirname(found.kubectl) === TOOLS_DIR) await pointAt(path.join(TOOLS_DIR, 'kubectl'), path.basename(found.kubectl));
  return found;
}

/** Makes `link` a symlink to `target` (a name in the same folder), replacing what was there in one rename. */
async function pointAt(link: string, target: string): Promise<void> {
  if (path.basename(link) === target) return;
  const temporary = `${link}.${process.pid}`;
  await rm(temporary, { force: true });
  await symlink(target, temporary);
  await rename(temporary, link);
}
