// ClusterNetworkPolicy peers of network-policy-api's experimental channel (domainNames, nodes): the standard-channel
// CRD that cluster:up installs has neither, so a suite using them is refused at load, file and line named, unless
// it says it needs the experimental channel.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/input-error.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { runInProcess } from '../support/cli.ts';
import { EXPERIMENTAL_CLUSTER_NP_STEP } from '../support/fake-apiserver.ts';
import { fixture, suiteWith } from '../support/fixture.ts';

const NODES_POLICY = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: to-nodes }
spec:
  tier: Baseline
  priority: 5
  subject: { namespaces: {} }
  egress:
    - action: Deny
      to: [{ networks: [203.0.113.0/24] }]
    - action: Deny
      to:
        - nodes: { matchLabels: { role: control-plane } }
`;

async function loadError(files: Record<string, string>): Promise<{ dir: string; error: InputError }> {
  const dir = await fixture(files);
  const error = await loadSuite(path.join(dir, 'x.suite.yaml')).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return { dir, error: error as InputError };
}

describe('ClusterNetworkPolicy channel', () => {
  it('refuses a peer of the experimental channel at its line, inline in the suite', async () => {
    const { dir, error } = await loadError({ 'x.suite.yaml': suiteWith(EXPERIMENTAL_CLUSTER_NP_STEP) });
    expect(error.file).toBe(path.join(dir, 'x.suite.yaml'));
    expect(error.line).toBe(17);
    expect(error.message).toBe(
      `${path.join(dir, 'x.suite.yaml')}:17: spec.egress[0].to[0].domainNames of ClusterNetworkPolicy names is in the experimental channel of network-policy-api; the installed CRD is the standard channel (cluster:up installs it): where the experimental CRD is installed, say so in the suite with clusterNetworkPolicyChannel: experimental`,
    );
  });

  it('names the manifest file and line of a peer of the experimental channel applied from a file', async () => {
    const dir = await fixture({ 'nodes.yaml': NODES_POLICY });
    await writeFile(path.join(dir, 'x.suite.yaml'), suiteWith(`  - name: deny nodes\n    apply: [${path.join(dir, 'nodes.yaml')}]\n`));
    const error = (await loadSuite(path.join(dir, 'x.suite.yaml')).catch((e: unknown) => e)) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(`${error.file}:${error.line}`).toBe(`${path.relative(process.cwd(), path.join(dir, 'nodes.yaml'))}:13`);
    expect(error.detail).toMatch(/^spec\.egress\[1\]\.to\[0\]\.nodes of ClusterNetworkPolicy to-nodes is in the experimental channel of network-policy-api/);
  });

  it('accepts them where the suite says the experimental channel is installed', async () => {
    const dir = await fixture({ 'x.suite.yaml': suiteWith(EXPERIMENTAL_CLUSTER_NP_STEP, 'clusterNetworkPolicyChannel: experimental\n') });
    const suite = await loadSuite(path.join(dir, 'x.suite.yaml'));
    expect(suite.clusterNetworkPolicyChannel).toBe('experimental');
    // The standard channel said outright changes nothing.
    const standard = await loadError({ 'x.suite.yaml': suiteWith(EXPERIMENTAL_CLUSTER_NP_STEP, 'clusterNetworkPolicyChannel: standard\n') });
    expect(standard.error.line).toBe(18);
    const bad = await loadError({ 'x.suite.yaml': suiteWith(EXPERIMENTAL_CLUSTER_NP_STEP, 'clusterNetworkPolicyChannel: beta\n') });
    expect(bad.error.message).toMatch(/:4: clusterNetworkPolicyChannel: .*"standard".*"experimental"/);
  });

  it('run: exit 2 naming file and line, before anything runs; with the experimental channel said, the model runs it', async () => {
    const refused = await fixture({ 'x.suite.yaml': suiteWith(EXPERIMENTAL_CLUSTER_NP_STEP) });
    const no = await runInProcess('run', path.join(refused, 'x.suite.yaml'));
    expect(no.exitCode).toBe(2);
    expect(no.stderr).toContain(`${path.join(refused, 'x.suite.yaml')}:17: spec.egress[0].to[0].domainNames of ClusterNetworkPolicy names is in the experimental channel of network-policy-api; the installed CRD is the standard channel`);
    const accepted = await fixture({ 'x.suite.yaml': suiteWith(EXPERIMENTAL_CLUSTER_NP_STEP, 'clusterNetworkPolicyChannel: experimental\n') });
    const yes = await runInProcess('run', path.join(accepted, 'x.suite.yaml'));
    expect(yes.stdout).toMatch(/PASS: 1\/1 suites pass/);
    expect(yes.exitCode).toBe(0);
  });
});
