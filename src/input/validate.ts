// Zod validation whose failure becomes an InputError at the offending field's line.
import type { z } from 'zod';
import { formatPath, InputError } from './input-error.ts';
import type { SourcedDoc } from './yaml-source.ts';

export function validate<T extends z.ZodType>(schema: T, doc: SourcedDoc, basePath: PropertyKey[] = []): z.infer<T> {
  const value = basePath.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], doc.value);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [...basePath, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    throw new InputError(doc.file, doc.lineOf([...path, key]), `unknown field "${key}"`, formatPath([...path, key]));
  }
  throw new InputError(doc.file, doc.lineOf(path), issue.message, path.length ? formatPath(path) : undefined);
}
