import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { conformanceManifest, conformanceObjects } from '../../src/conformance/topology.ts';
import { servedProtocols } from '../../src/manifest/objects.ts';
import { contradictions, predictSuite } from '../../src/runner/predict.ts';
import { discoverSuites } from '../../src/suite/discover.ts';
import { loadSuite, parseSuite } from '../../src/suite/load.ts';

const PACK = 'suites/conformance';

describe('conformance topology', () => {
  it('the committed manifests are what the generator writes (npm run gen:conformance)', async () => {
    expect(await readFile('manifests/apps/conformance.yaml', 'utf8')).toBe(conformanceManifest());
    expect(await readFile('manifests/apps/conformance-sctp.yaml', 'utf8')).toBe(conformanceManifest(true));
  });

  it('serves SCTP only in the suites that probe it (agnhost exits on a kernel without SCTP)', async () => {
    for (const file of await discoverSuites([PACK])) {
      const suite = await loadSuite(file);
      const probesSctp = suite.steps.some((s) => s.cells.some((c) => c.to.scheme === 'sctp'));
      const servesSctp = servedProtocols(suite.setup.flatMap((a) => (a.kind === 'apply' ? a.objects : []))).has('SCTP');
      expect(`${file}: ${servesSctp}`).toBe(`${file}: ${probesSctp}`);
    }
  });

  it('has pods a, b, c in x, y, z, each serving 80 and 81 on TCP, UDP and SCTP under named ports, and a Service each', () => {
    const objects = conformanceObjects(true);
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    expect(deployments.map((d) => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual(['x/a', 'x/b', 'x/c', 'y/a', 'y/b', 'y/c', 'z/a', 'z/b', 'z/c']);
    const ports = (deployments[0]!.spec as { template: { spec: { containers: { ports: { name: string }[] }[] } } }).template.spec.containers.flatMap((c) => c.ports.map((p) => p.name));
    expect(ports).toEqual(['serve-80-tcp', 'serve-80-udp', 'serve-80-sctp', 'serve-81-tcp', 'serve-81-udp', 'serve-81-sctp']);
    expect(objects.filter((o) => o.kind === 'Service').map((s) => s.metadata.name)).toEqual(Array(3).fill(['s-a', 's-b', 's-c']).flat());
  });
});

const CILIUM = `${PACK}/cilium`;

describe('conformance pack', async () => {
  const files = (await discoverSuites([PACK])).filter((f) => !f.startsWith(`${CILIUM}/`));

  it('holds at least 30 cases, each naming the upstream test it was written from', async () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      expect(text, file).toMatch(/test\/e2e\/network\/netpol\/network_policy\.go/);
      expect(text, file).toMatch(/It "should [^"]+"/);
    }
  });

  it('covers UDP, SCTP, named ports, matchExpressions, updates, deletions, relabelling and ipBlock except', async () => {
    const text = (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
    for (const needle of ['protocol: UDP', 'protocol: SCTP', 'serve-81-tcp', 'matchExpressions', 'NotIn', 'delete:', 'label:', 'except:', 'policyTypes: [Egress, Ingress]']) {
      expect(text).toContain(needle);
    }
  });

  for (const file of files) {
    it(`${file.split('/').pop()} passes on the model`, async () => {
      const suite = await loadSuite(file);
      expect(contradictions(suite, await predictSuite(suite))).toEqual([]);
    });
  }

  it('a truth table can probe each column through its Service ClusterIP (UDP here)', async () => {
    const text = `name: via services\nmanifestDir: ../../manifests\napps: [conformance]\npods: { label: pod }\nsteps:
  - name: deny UDP into x
    apply:
      - { apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: { name: d, namespace: x }, spec: { podSelector: {}, ingress: [{ ports: [{ protocol: TCP }] }] } }
    reachability:
      - port: 81
        protocol: UDP
        via: service-ip
        table: |
          -   x/a y/b
          x/a -   .
          z/c X   .
`;
    const suite = await parseSuite(text, `${PACK}/inline.suite.yaml`);
    expect(suite.steps[0]!.cells.map((c) => c.key)).toEqual(['x/a -> udp://service-ip:y/s-b:81', 'z/c -> udp://service-ip:x/s-a:81', 'z/c -> udp://service-ip:y/s-b:81']);
    const predictions = await predictSuite(suite);
    expect(contradictions(suite, predictions)).toEqual([]);
    const denied = predictions.get(0)!.cells.get('z/c -> udp://service-ip:x/s-a:81')!;
    expect(denied.trace.map((t) => t.text)).toContainEqual(expect.stringMatching(/^10\.96\.\d+\.\d+:81 is Service x\/s-a: DNAT to x\/a-0 10\.244\.\d+\.\d+:81$/));
  });

  it('a wrong mark in a truth table is caught, at the row that holds it', async () => {
    const file = files.find((f) => f.includes('/01-'))!;
    const text = await readFile(file, 'utf8');
    // x/b -> x/a is denied by default-deny-ingress in x; claim it connects.
    const wrong = text.replace(/^(\s+x\/b\s+)X/m, '$1.');
    expect(wrong).not.toBe(text);
    const suite = await parseSuite(wrong, file);
    const found = contradictions(suite, await predictSuite(suite));
    const row = wrong.split('\n').findIndex((l) => /^\s+x\/b\s+\./.test(l)) + 1;
    expect(found).toEqual([`${file}:${row}: step "create deny-ingress in x": x/b -> tcp://pod-ip:x/a:80 expects ok, the model predicts connect-timeout`]);
  });
});

describe('conformance pack, Cilium section (cilium-cli connectivity tests)', async () => {
  const files = await discoverSuites([CILIUM]);
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));

  it('holds at least 20 scenarios, each naming the cilium-cli builder file and policies it was written from', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const [i, text] of texts.entries()) {
      expect(text, files[i]).toMatch(/cilium-cli\/connectivity\/builder\/[a-z_]+(\.go)?/);
      expect(text, files[i]).toMatch(/^# {3}policies: /m);
    }
  });

  it('covers labels and expressions, entities, CIDR and CIDR groups, L7 method, path and headers, DNS and toFQDNs, SNI, ICMP, clusterwide policies', () => {
    const all = texts.join('\n');
    for (const needle of [
      'matchExpressions',
      'toEntities',
      'toCIDRSet',
      'cidrGroupRef',
      'method: POST',
      'path: "/public$"',
      'X-Very-Secret-Token',
      'toFQDNs',
      'rules: { dns:',
      'serverNames',
      'icmps',
      'ingressDeny',
      'egressDeny',
      'CiliumClusterwideNetworkPolicy',
      'ClusterNetworkPolicy',
      'io.cilium.k8s.policy.serviceaccount',
      'tls-error',
      'icmp://',
    ]) {
      expect(all).toContain(needle);
    }
  });

  for (const file of files) {
    it(`${file.split('/').pop()} passes on the model`, async () => {
      const suite = await loadSuite(file);
      const predictions = await predictSuite(suite);
      expect(contradictions(suite, predictions)).toEqual([]);
      // Every cell predicted: the section is written in what the model simulates.
      expect([...predictions.values()].flatMap((p) => [...p.cells.values()]).filter((c) => c.unpredicted)).toEqual([]);
    });
  }
});
