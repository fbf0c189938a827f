// `kubectl apply -f https://...`: the text at the URL, fetched as kubectl fetches it, and kept in a cache folder so
// that the next check reads the same manifest without the network (and `--offline` reads only the cache).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** kubectl reads -f as a URL when it starts so (kubernetes/cli-runtime@5eb6a64 pkg/resource/builder.go, FilenameParam). */
export const isUrl = (written: string) => /^https?:\/\//.test(written);

/** $XDG_CACHE_HOME/netpol-e2e/manifests, else ~/.cache/netpol-e2e/manifests. */
export function cacheFolder(): string {
  const root = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(root, 'netpol-e2e', 'manifests');
}

const cacheFile = (url: string) => path.join(cacheFolder(), `${createHash('sha256').update(url).digest('hex')}.yaml`);

/** A manifest larger than this is no tutorial's: reading stops, so that an endless body cannot fill memory. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

export type Fetched = { text: string; from: 'cache' | 'network' } | { problem: string };

/**
 * The text at `url`: from the cache if it holds it, else (unless offline) a plain GET that follows redirects and
 * takes only 200 OK, as kubectl's URLVisitor does (kubernetes/cli-runtime@5eb6a64 pkg/resource/visitor.go,
 * readHttpWithRetries and httpgetImpl: http.Get, "unable to read URL" on any other status). A cached copy is kept
 * until the cache is cleared: a check reads the same manifest every time.
 */
export async function fetchManifest(url: string, offline: boolean, timeoutMs = 15_000): Promise<Fetched> {
  const cached = cacheFile(url);
  if (existsSync(cached)) return { text: await readFile(cached, 'utf8'), from: 'cache' };
  if (offline) return { problem: `not in the cache (${cacheFolder()}), and --offline forbids fetching it` };
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    return { problem: `fetching it failed: ${cause ?? (e as Error).message}` };
  }
  if (response.status !== 200) return { problem: `unable to read URL, status code=${response.status}` };
  const text = await boundedText(response, timeoutMs);
  if (typeof text !== 'string') return text;
  await mkdir(path.dirname(cached), { recursive: true });
  // Written beside and renamed: a check running at the same time never reads half a file.
  const partial = `${cached}.${process.pid}.part`;
  await writeFile(partial, text);
  await rename(partial, cached);
  return { text, from: 'network' };
}

/** The body as text, or a problem once it passes MAX_MANIFEST_BYTES or stalls past the timeout. */
async function boundedText(response: Response, timeoutMs: number): Promise<string | { problem: string }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      // Leaving the loop cancels the stream (the async iterator's return), which closes the connection.
      if (size > MAX_MANIFEST_BYTES) return { problem: `its body is larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB, too large for a manifest: not read further` };
      chunks.push(chunk);
    }
  } catch (e) {
    return { problem: `reading it failed (within ${timeoutMs / 1000} s): ${(e as Error).message}` };
  }
  return Buffer.concat(chunks).toString('utf8');
}
