import { describe, expect, it } from 'vitest';
import { ciliumLabels, ciliumLookup, namesNamespace } from '../../src/model/cilium-labels.ts';
import { compileFqdnMatcher } from '../../src/model/fqdn-pattern.ts';
import type { LabelSelector } from '../../src/manifest/schemas/label-selector.ts';
import { compileSelector, lookupIn, type LabelLookup } from '../../src/manifest/selector.ts';

const selectorMatches = (selector: LabelSelector, lookup: LabelLookup) => compileSelector(selector)(lookup);

const pod = lookupIn({ app: 'backend', tier: 'api' });

describe('label selectors (apimachinery semantics)', () => {
  it('an empty selector matches every pod', () => {
    expect(selectorMatches({}, pod)).toBe(true);
  });

  it('matchLabels needs every pair', () => {
    expect(selectorMatches({ matchLabels: { app: 'backend', tier: 'api' } }, pod)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'backend', tier: 'web' } }, pod)).toBe(false);
  });

  it.each([
    ['In', ['backend', 'x'], true],
    ['In', ['x'], false],
    ['NotIn', ['backend'], false],
    ['NotIn', ['x'], true],
  ] as const)('%s %j on a present key -> %s', (operator, values, result) => {
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator, values: [...values] }] }, pod)).toBe(result);
  });

  it('NotIn and DoesNotExist match a missing key; In and Exists do not', () => {
    const on = (operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist') => selectorMatches({ matchExpressions: [{ key: 'missing', operator, values: operator.endsWith('In') ? ['x'] : undefined }] }, pod);
    expect([on('NotIn'), on('DoesNotExist'), on('In'), on('Exists')]).toEqual([true, true, false, false]);
  });
});

describe('Cilium identity labels', () => {
  const labels = ciliumLookup(ciliumLabels('kube-system', { 'k8s-app': 'kube-dns' }, { contains: 'coredns' }));

  it('k8s: and unprefixed keys select the same pod labels; other sources do not', () => {
    expect(labels('k8s:k8s-app')).toBe('kube-dns');
    expect(labels('k8s-app')).toBe('kube-dns');
    expect(labels('any:k8s-app')).toBe('kube-dns');
    expect(labels('reserved:k8s-app')).toBeUndefined();
  });

  it('carries the namespace and its labels', () => {
    expect(labels('k8s:io.kubernetes.pod.namespace')).toBe('kube-system');
    expect(labels('io.cilium.k8s.namespace.labels.contains')).toBe('coredns');
  });

  it('knows when a peer selector names its namespace', () => {
    expect(namesNamespace({ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system' } })).toBe(true);
    expect(namesNamespace({ matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'Exists' }] })).toBe(true);
    expect(namesNamespace({ matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.type': 'monitoring' } })).toBe(true);
    expect(namesNamespace({ matchLabels: { app: 'x' } })).toBe(false);
  });
});

describe('FQDN matchers', () => {
  it('matchName is exact and case-insensitive, with or without the root dot', () => {
    const m = compileFqdnMatcher({ matchName: 'kubernetes.io' });
    expect([m('kubernetes.io'), m('Kubernetes.IO.'), m('www.kubernetes.io')]).toEqual([true, true, false]);
  });

  it('a * stays inside one label and does not match the apex', () => {
    const m = compileFqdnMatcher({ matchPattern: '*.cilium.io' });
    expect([m('www.cilium.io'), m('cilium.io'), m('a.b.cilium.io'), m('docs_1-x.cilium.io')]).toEqual([true, false, false, true]);
  });

  it('* alone matches every name', () => {
    const m = compileFqdnMatcher({ matchPattern: '*' });
    expect([m('cilium.io'), m('backend.default.svc.cluster.local')]).toEqual([true, true]);
  });

  it('a dot in a pattern is literal', () => {
    expect(compileFqdnMatcher({ matchPattern: 'api.*.io' })('apixcilium.io')).toBe(false);
  });
});
