// Bad input (a suite, a manifest, a policy) is reported as one InputError that names file, line and field.

export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
    readonly field?: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${field ? `${field}: ` : ''}${detail}`);
  }
}

/** Renders a path such as ['spec', 'ingress', 0, 'from'] as spec.ingress[0].from. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`)).join('');
}
