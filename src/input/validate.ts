// Zod validation whose failure becomes an InputError at the offending field's line.
import type { z } from 'zod';
import { formatPath, InputError } from './input-error.ts';
import type { SourcedDoc } from './yaml-source.ts';

export function validate<T extends z.ZodType>(schema: T, doc: SourcedDoc, basePath: PropertyKey[] = []): z.infer<T> {
  const value = basePath.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], doc.value);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // A misspelt key (`stpes`) is also a missing one (`steps`), and zod lists the missing one first: the key that is
  // there and unknown is what to fix, at the line where it was written.
  let issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0]!;
  // A record's key that fails its schema comes wrapped ("Invalid key in record"), and so does a union without a
  // message of its own ("Invalid input"): say what is wrong inside, from the branch that got furthest.
  for (;;) {
    let inner: z.core.$ZodIssue | undefined;
    if (issue.code === 'invalid_key') inner = issue.issues[0];
    else if (issue.code === 'invalid_union' && issue.message === 'Invalid input') {
      inner = issue.errors
        .map((branch) => branch[0])
        .filter((i) => i !== undefined)
        .sort((a, b) => b.path.length - a.path.length)[0];
    }
    if (!inner) break;
    issue = { ...inner, path: [...issue.path, ...inner.path] } as typeof issue;
  }
  const path = [...basePath, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    throw new InputError(doc.file, doc.lineOf([...path, key]), `unknown field "${key}"`, formatPath([...path, key]));
  }
  // A missing field is "expected string, received undefined" to zod: say it is missing.
  const message = issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? `is required (${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a map' : `a ${issue.expected}`})` : issue.message;
  throw new InputError(
    doc.file,
    doc.lineOf(path),
    message.replace(/received (Buffer|Set|Map|Date)$/, (_, t: string) => `received ${YAML_TYPES[t]}`),
    path.length ? formatPath(path) : undefined,
  );
}

// What YAML's explicit tags parse to, in the words of the YAML the user wrote (zod names the JavaScript type).
const YAML_TYPES: Record<string, string> = { Buffer: 'binary data (!!binary)', Set: 'a set (!!set)', Map: 'an ordered map (!!omap or !!pairs)', Date: 'a timestamp (!!timestamp)' };
