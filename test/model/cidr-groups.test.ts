// CiliumCIDRGroup and the CIDR rules that use it, from Cilium's API: pkg/k8s/apis/cilium.io/v2/cidrgroups_types.go
// (a cluster-scoped list of spec.externalCIDRs, short name ccg) and pkg/policy/api CIDRRule (one of cidr, cidrGroupRef,
// cidrGroupSelector; a rule's except applies to a group's addresses too). A group that does not exist contributes no address.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/input-error.ts';
import { parseManifests } from '../../src/suite/load.ts';
import { cnp, demo } from '../support/model.ts';

const FRONTEND = '  endpointSelector: { matchLabels: { app: frontend } }\n';
const DNS = `    - toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": kube-system, k8s-app: kube-dns } }]
      toPorts: [{ ports: [{ port: "53", protocol: ANY }] }]\n`;
const group = (name: string, cidrs: string[], labels = '{}') => `apiVersion: cilium.io/v2
kind: CiliumCIDRGroup
metadata: { name: ${name}, labels: ${labels} }
spec: { externalCIDRs: [${cidrs.join(', ')}] }`;

describe('CIDR groups', () => {
  it('toCIDRSet cidrGroupRef allows the CIDRs of the group it names, and follows the group as it changes', () => {
    const c = demo().apply(group('docs-sites', ['203.0.113.1/32']), cnp('p', `${FRONTEND}  egress:\n${DNS}    - toCIDRSet: [{ cidrGroupRef: docs-sites }]\n`));
    expect(c.outcome('frontend', 'https://kubernetes.io/')).toBe('ok');
    expect(c.outcome('frontend', 'https://cilium.io/')).toBe('connect-timeout');
    c.apply(group('docs-sites', ['203.0.113.0/24']));
    expect(c.outcome('frontend', 'https://cilium.io/')).toBe('ok');
  });

  it('cidrGroupSelector allows the CIDRs of every group whose labels it selects', () => {
    const c = demo().apply(
      group('k8s', ['203.0.113.1/32'], '{ vendor: docs }'),
      group('cilium', ['203.0.113.2/32'], '{ vendor: other }'),
      cnp('p', `${FRONTEND}  egress:\n${DNS}    - toCIDRSet: [{ cidrGroupSelector: { matchLabels: { vendor: docs } } }]\n`),
    );
    expect(c.outcome('frontend', 'https://kubernetes.io/')).toBe('ok');
    expect(c.outcome('frontend', 'https://cilium.io/')).toBe('connect-timeout');
  });

  it('a reference to a group that does not exist allows nothing, and a CIDR group never matches pods', () => {
    const c = demo().apply(group('everything', ['0.0.0.0/0']), cnp('p', `${FRONTEND}  egress:\n${DNS}    - toCIDRSet: [{ cidrGroupRef: missing }, { cidrGroupRef: everything }]\n`));
    expect(c.outcome('frontend', 'https://cilium.io/')).toBe('ok');
    expect(c.outcome('frontend', 'http://backend:8080/')).toBe('connect-timeout');
    const none = demo().apply(cnp('p', `${FRONTEND}  egress:\n${DNS}    - toCIDRSet: [{ cidrGroupRef: missing }]\n`));
    expect(none.outcome('frontend', 'https://cilium.io/')).toBe('connect-timeout');
  });

  it("applies a rule's except to a group's addresses, as Cilium's CIDR selector does", () => {
    const c = demo().apply(group('docs', ['203.0.113.0/24']), cnp('p', `${FRONTEND}  egress:\n${DNS}    - toCIDRSet: [{ cidrGroupRef: docs, except: [203.0.113.1/32] }]\n`));
    expect(c.outcome('frontend', 'https://cilium.io/')).toBe('ok');
    expect(c.outcome('frontend', 'https://kubernetes.io/')).toBe('connect-timeout');
  });

  it('refuses what Cilium refuses, by name: two kinds of CIDR in one rule', () => {
    const load = (rule: string) => () => parseManifests(cnp('p', `${FRONTEND}  egress:\n    - toCIDRSet: [${rule}]\n`), 'p.yaml');
    expect(load('{ cidr: 10.0.0.0/8, cidrGroupRef: g }')).toThrow(/give exactly one of cidr, cidrGroupRef and cidrGroupSelector \(not cidr and cidrGroupRef\)/);
    expect(load('{ cidrGroupRef: g, except: [10.0.0.0/8] }')).not.toThrow();
    expect(load('{}')).toThrow(InputError);
    expect(() => parseManifests(group('g', ['not-a-cidr']), 'g.yaml')).toThrow(/must be a CIDR/);
  });
});
