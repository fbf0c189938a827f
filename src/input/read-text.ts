// Every file a user names is read through here: only a regular file (a FIFO or a device such as /dev/zero would
// never end), at most MAX_TEXT_BYTES, and text in UTF-8 (a binary or UTF-16 file is said to be one, in words a user
// can act on, instead of parsing as garbage).
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError } from './input-error.ts';

export const MAX_TEXT_BYTES = 16 * 1024 * 1024;

/** What a missing file is said to be; callers that fall back to another file test for it. */
export const NOT_FOUND = 'file not found';

const KINDS: [keyof import('node:fs').Stats, string][] = [
  ['isDirectory', 'a folder'],
  ['isFIFO', 'a named pipe'],
  ['isCharacterDevice', 'a character device'],
  ['isBlockDevice', 'a block device'],
  ['isSocket', 'a socket'],
];

/** Why a path could not be opened or listed, in words a user can act on. */
export function reasonOf(e: NodeJS.ErrnoException): string {
  if (e.code === 'ENOENT') return NOT_FOUND;
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'cannot be read: permission denied';
  if (e.code === 'ELOOP') return 'is a loop of symbolic links';
  return e.message;
}

/** What a path that is neither a regular file nor a folder is: `a named pipe`, `a character device`, ... */
export function kindOf(info: import('node:fs').Stats): string | undefined {
  return KINDS.find(([test]) => (info[test] as () => boolean).call(info))?.[1];
}

export async function readTextFile(file: string): Promise<string> {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer before fstat could say what it is.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((e: NodeJS.ErrnoException) => {
    throw new InputError(file, undefined, reasonOf(e));
  });
  try {
    const info = await handle.stat();
    const kind = kindOf(info);
    if (kind || !info.isFile()) throw new InputError(file, undefined, `is ${kind ?? 'not a regular file'}, not a file to read`);
    if (info.size > MAX_TEXT_BYTES) throw new InputError(file, undefined, `is ${(info.size / 2 ** 20).toFixed(1)} MiB, more than the ${MAX_TEXT_BYTES / 2 ** 20} MiB a suite, manifest, config or tutorial may be`);
    // Read at most one byte past the limit: a file that grows while it is read cannot get past it either.
    const buffer = Buffer.alloc(Math.min(info.size, MAX_TEXT_BYTES) + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_TEXT_BYTES) throw new InputError(file, undefined, `grew past ${MAX_TEXT_BYTES / 2 ** 20} MiB while being read`);
    return decodeText(file, buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export function decodeText(file: string, bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InputError(file, undefined, 'is UTF-16 text: save it as UTF-8');
  }
  if (bytes.includes(0)) throw new InputError(file, undefined, 'is not a text file: it holds NUL bytes (binary, or UTF-16 without a byte order mark)');
  try {
    // A UTF-8 byte order mark is dropped, as YAML and markdown readers do.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InputError(file, undefined, 'is not UTF-8 text: save it as UTF-8');
  }
}

/** A failed read as bad input: at the line that named the file when there is one, else at the file itself. */
export function readFailure(e: unknown, file: string, from?: { file: string; line: number }): InputError {
  const reason = e instanceof InputError ? e.detail : (e as NodeJS.ErrnoException).code === 'ENOENT' ? NOT_FOUND : (e as Error).message;
  return from ? new InputError(from.file, from.line, `${file}: ${reason}`) : new InputError(file, undefined, reason);
}

/** Whether a read failed because there is no such file (from readTextFile or from a plain fs read). */
export function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'ENOENT' || (e instanceof InputError && e.detail === NOT_FOUND);
}
