// Pod refs as suites write them (docs/suite-format.md, "Sources"): a label key may carry a prefix, as the
// recommended labels do (app.kubernetes.io/name, which the EKS workshop's sample application selects its pods by).
import { describe, expect, it } from 'vitest';
import { formatPodRef, parsePodRef } from '../../src/probe/target.ts';

describe('pod refs', () => {
  it('reads a prefixed key after its namespace, and a first part with a dot as a prefix', () => {
    expect(parsePodRef('ui/app.kubernetes.io/name=ui')).toEqual({ namespace: 'ui', name: 'ui', label: 'app.kubernetes.io/name' });
    expect(parsePodRef('app.kubernetes.io/name=ui')).toEqual({ namespace: 'default', name: 'ui', label: 'app.kubernetes.io/name' });
    // No dot: a namespace, as before.
    expect(parsePodRef('shop/run=client')).toEqual({ namespace: 'shop', name: 'client', label: 'run' });
    expect(parsePodRef('run=client')).toEqual({ namespace: 'default', name: 'client', label: 'run' });
    expect(parsePodRef('shop/web')).toEqual({ namespace: 'shop', name: 'web' });
  });

  it('writes a prefixed key with its namespace, default too, so that it reads back the same', () => {
    for (const ref of [
      { namespace: 'default', name: 'ui', label: 'example/name' },
      { namespace: 'ui', name: 'ui', label: 'app.kubernetes.io/name' },
      { namespace: 'default', name: 'client', label: 'run' },
      { namespace: 'default', name: 'web' },
    ]) {
      expect(parsePodRef(formatPodRef(ref)), formatPodRef(ref)).toEqual(ref);
    }
    expect(formatPodRef({ namespace: 'default', name: 'ui', label: 'example/name' })).toBe('default/example/name=ui');
  });

  it.each(['a/b/c', 'Upper', 'ns/', '=x', 'a.b/=x'])('refuses %j', (text) => {
    expect(parsePodRef(text)).toBeUndefined();
  });
});
