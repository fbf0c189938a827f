// Pod references as suites write them: the pod label's value, or one label key=value, with a namespace or not.
import { describe, expect, it } from 'vitest';
import { formatPodRef, parsePodRef } from '../../src/probe/target.ts';

describe('pod references', () => {
  it.each([
    ['frontend', { namespace: 'default', name: 'frontend' }],
    ['shop/frontend', { namespace: 'shop', name: 'frontend' }],
    ['run=client', { namespace: 'default', name: 'client', label: 'run' }],
    ['dev/run=client', { namespace: 'dev', name: 'client', label: 'run' }],
    // A prefixed key, as real apps label pods (aws-samples/eks-workshop-v2's base application): the dot tells a
    // prefix from a namespace, which has none.
    ['app.kubernetes.io/name=catalog', { namespace: 'default', name: 'catalog', label: 'app.kubernetes.io/name' }],
    ['catalog/app.kubernetes.io/component=service', { namespace: 'catalog', name: 'service', label: 'app.kubernetes.io/component' }],
  ])('%s', (text, ref) => {
    expect(parsePodRef(text)).toEqual(ref);
    expect(formatPodRef(ref)).toBe(text.replace(/^default\//, ''));
  });

  it.each(['a/b/c', 'Upper', 'ns/', '=x', 'a.b/=x'])('refuses %j', (text) => {
    expect(parsePodRef(text)).toBeUndefined();
  });
});
