import { describe, expect, it } from 'vitest';
import { lintSuite } from '../../src/lint/lint.ts';
import { parseSuite } from '../../src/suite/load.ts';
import { cli, runInProcess } from '../support/cli.ts';

const FILE = 'suites/lint-fixture.suite.yaml';
const suite = (steps: string) => parseSuite(`name: lint\nmanifestDir: ../manifests\napps: [demo]\nsteps:\n${steps}`, FILE);
const lint = async (steps: string) => (await lintSuite(await suite(steps))).map((f) => [f.rule, f.line, f.message]);

const cnp = (name: string, spec: string) => `      - apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: { name: ${name} }
        spec:
${spec}`;

describe('lint', () => {
  it('a policy that never selects a pod', async () => {
    const found = await lint(`  - name: a
    apply:
${cnp('typo', '          endpointSelector: { matchLabels: { app: backnd } }\n          ingress: [{}]\n')}`);
    expect(found).toEqual([['selects-no-pod', 9, 'CiliumNetworkPolicy default/typo (suites/lint-fixture.suite.yaml:9) selects no pod at any step: it changes nothing']]);
  });

  it('a policy that selects a pod only after a relabel is no finding', async () => {
    const found = await lint(`  - name: a
    apply:
${cnp('later', '          endpointSelector: { matchLabels: { role: isolated } }\n          ingress: [{}]\n')}
  - name: b
    label: [{ pod: backend, set: { role: isolated } }]
`);
    expect(found).toEqual([]);
  });

  it('toFQDNs with no DNS proxy rule for the pods it selects', async () => {
    const found = await lint(`  - name: a
    apply:
${cnp(
  'fqdn',
  `          endpointSelector: { matchLabels: { app: backend } }
          egress:
            - toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": kube-system, k8s-app: kube-dns } }]
              toPorts: [{ ports: [{ port: "53", protocol: ANY }] }]
            - toFQDNs: [{ matchName: kubernetes.io }]
`,
)}`);
    expect(found).toEqual([['fqdn-without-dns-proxy', 15, expect.stringMatching(/^fqdn spec\.egress\[1\]: toFQDNs can never match for default\/backend-0: no rule sends their DNS through Cilium's DNS proxy/)]]);
  });

  it('an ipBlock aimed at pod IPs', async () => {
    const found = await lint(`  - name: a
    apply:
      - apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: cidr }
        spec:
          podSelector: { matchLabels: { app: frontend } }
          egress: [{ to: [{ ipBlock: { cidr: 10.244.0.0/16 } }] }]
`);
    expect(found).toEqual([['cidr-aimed-at-pods', 12, expect.stringMatching(/^cidr spec\.egress\[0\]: its CIDR covers pod IPs \([\w-]+\/\S+ 10\.244\.\d+\.\d+\), but on Cilium CIDR rules never select pods/)]]);
  });

  it('domainNames (every outside address, not simulated) are no CIDR aimed at pods', async () => {
    const found = await lint(`  - name: a
    apply:
      - apiVersion: policy.networking.k8s.io/v1alpha2
        kind: ClusterNetworkPolicy
        metadata: { name: names }
        spec:
          tier: Admin
          priority: 10
          subject: { namespaces: { matchLabels: { kubernetes.io/metadata.name: default } } }
          egress: [{ action: Accept, to: [{ domainNames: [kubernetes.io] }] }]
`);
    expect(found).toEqual([]);
  });

  it('a step whose actions cancel out', async () => {
    const found = await lint(`  - name: a
    apply: [policies/cilium-basics/backend-ingress-deny.yaml]
  - name: apply it again
    apply: [policies/cilium-basics/backend-ingress-deny.yaml]
`);
    expect(found).toEqual([['step-without-effect', 7, 'step "apply it again" leaves every object and label as it was: what it probes proves nothing new']]);
  });

  // The findings through the binary (its exit code is the process's), the clean suite in-process.
  it('through the CLI: exit 1 with findings, file:line first; exit 0 on the seed suites but one known tutorial step', async () => {
    const { exitCode, stdout } = await cli('lint', 'suites/cilium-basics-network-policies.suite.yaml', 'suites/network-policy-tutorial.suite.yaml');
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/^suites\/network-policy-tutorial\.suite\.yaml:\d+: step-without-effect: step "05 namespaceSelector\+podSelector, then the tutorial's delete"/m);
    expect(stdout).toContain('1 finding(s) in 2 suite(s)');
    const clean = await runInProcess('lint', 'suites/cilium-basics-network-policies.suite.yaml');
    expect([clean.exitCode, clean.stdout.trim()]).toEqual([0, 'no findings in 1 suite(s)']);
  });
});
