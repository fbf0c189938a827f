// Where each loaded manifest object came from. Objects travel through the backend interface unchanged,
// so the model can name a policy's file and rule line in its explanations without widening that interface.

export interface ObjectSource {
  file: string;
  lineOf(path: readonly PropertyKey[]): number;
}

const sources = new WeakMap<object, ObjectSource>();

export function rememberSource(object: object, source: ObjectSource): void {
  sources.set(object, source);
}

export function sourceOf(object: object): ObjectSource | undefined {
  return sources.get(object);
}
