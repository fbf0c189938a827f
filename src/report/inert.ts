// Text from suites, tutorials and clusters reaches the terminal through here: control characters (an escape
// sequence could clear the screen or recolour it, a newline in a step name could print a fake PASS line), C1
// controls and bidirectional overrides are shown escaped instead of acting. Tabs stay.
const ACTIVE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

export function inert(text: string): string {
  return text.replace(ACTIVE, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** A copy of a report's data with every string made inert (numbers, booleans and structure unchanged). */
export function inertDeep<T>(value: T): T {
  if (typeof value === 'string') return inert(value) as T;
  if (Array.isArray(value)) return value.map(inertDeep) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inertDeep(v)])) as T;
  return value;
}
