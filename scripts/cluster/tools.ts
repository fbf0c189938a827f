// Finds the command-line tools cluster bring-up needs, or installs the pinned versions into .tools/bin, each
// download checked against the SHA-256 file its project publishes beside the release. Docker cannot be installed
// this way: without it, bring-up stops with what to do.
import { createHash } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
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

/** Where each tool's release file and its published checksum live. */
export function releaseOf(tool: Tool, versions: Versions, p = goPlatform()): { url: string; sumUrl: string; archive?: string } {
  if (tool === 'kind') {
    const url = `https://github.com/kubernetes-sigs/kind/releases/download/${versions.kind}/kind-${p.os}-${p.arch}`;
    return { url, sumUrl: `${url}.sha256sum` };
  }
  if (tool === 'kubectl') {
    const url = `https://dl.k8s.io/release/${versions.kubectl}/bin/${p.os}/${p.arch}/kubectl`;
    return { url, sumUrl: `${url}.sha256` };
  }
  const url = `https://get.helm.sh/helm-${versions.helm}-${p.os}-${p.arch}.tar.gz`;
  return { url, sumUrl: `${url}.sha256sum`, archive: `${p.os}-${p.arch}/helm` };
}

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

async function install(tool: Tool, versions: Versions): Promise<string> {
  const release = releaseOf(tool, versions);
  const [data, sum] = await Promise.all([download(release.url), download(release.sumUrl)]);
  verify(data, publishedSha256(sum.toString('utf8')), release.url);
  await mkdir(TOOLS_DIR, { recursive: true });
  const target = path.join(TOOLS_DIR, tool);
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

/**
 * A tool from .tools/bin, else the PATH. With NETPOL_E2E_PINNED_TOOLS=1 (the workflows set it) the PATH is
 * skipped, so that only the pinned, verified downloads run.
 */
export async function findTool(tool: Tool): Promise<string | null> {
  const local = path.join(TOOLS_DIR, tool);
  if (await isExecutable(local)) return local;
  if (process.env.NETPOL_E2E_PINNED_TOOLS === '1') return null;
  return findOnPath(tool);
}

/** Docker must answer; kind, helm and kubectl are found (findTool) or installed from a verified download. */
export async function ensureTools(versions: Versions, tools: Tool[] = ['kind', 'helm', 'kubectl']): Promise<Record<Tool, string>> {
  if (!(await findOnPath('docker'))) throw new ToolError('docker is not installed: kind runs Kubernetes nodes as Docker containers (https://docs.docker.com/get-docker/)');
  const info = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { nothrow: true, quiet: true, timeoutMs: 20_000 });
  if (info.exitCode !== 0) throw new ToolError(`no Docker engine answers (${info.stderr.trim().split('\n')[0]}): start Docker and try again`);
  const found = {} as Record<Tool, string>;
  for (const tool of tools) found[tool] = (await findTool(tool)) ?? (await install(tool, versions));
  return found;
}
