// What .github/workflows/e2e.yml must say beyond what actionlint and the rehearsal check: the runner image every job
// runs on, the steps before cluster:up that the kind nodes' kernel needs, and the artifact layout the compare job reads.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { KubeBackend } from '../../src/backends/kube/kube-backend.ts';
import { REPO } from '../support/fixture.ts';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
const workflow = async () => parse(await readFile(path.join(REPO, '.github/workflows/e2e.yml'), 'utf8')) as { jobs: Record<string, { 'runs-on': string; env?: Record<string, string>; steps: Step[] }> };

describe('the e2e workflow', () => {
  it('runs every job on ubuntu-24.04, not on a moving label', async () => {
    const { jobs } = await workflow();
    expect(Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, job['runs-on']]))).toEqual({ versions: 'ubuntu-24.04', kind: 'ubuntu-24.04', compare: 'ubuntu-24.04' });
  });

  it('raises the inotify limits and loads sctp before cluster:up, tolerating a kernel without it', async () => {
    const steps = (await workflow()).jobs.kind!.steps;
    const at = (pattern: RegExp) => steps.findIndex((s) => pattern.test(s.run ?? ''));
    const up = at(/npm run cluster:up/);
    expect(at(/sudo sysctl -w fs\.inotify\.max_user_watches=524288 fs\.inotify\.max_user_instances=512/)).toBeLessThan(up);
    const sctp = steps[at(/modprobe sctp/)]!;
    expect(steps.indexOf(sctp)).toBeLessThan(up);
    expect(sctp.run).toContain('sudo apt-get install -y "linux-modules-extra-$(uname -r)" ||');
    expect(sctp.run).toMatch(/if sudo modprobe sctp; then/);
  });

  it('counts the SCTP cells not run by the reason the kube backend gives, as the rehearsal writes it', async () => {
    const config = new KubeConfig();
    config.loadFromOptions({ clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    const reason = new KubeBackend(config, { name: 'never contacted', sctp: false }).unprobeable({ scheme: 'sctp', host: '' })!;
    const summary = (await workflow()).jobs.kind!.steps.find((s) => s.name === 'Step summary with the matrices')!.run!;
    expect(summary).toContain('select(.key | test("SCTP"))');
    expect(reason).toMatch(/SCTP/);
    expect(await readFile(path.join(REPO, 'scripts/rehearse.ts'), 'utf8')).toContain(`const NO_SCTP = ${JSON.stringify(reason)};`);
  });

  it("uploads each leg's results as results/legs/<leg>/ and downloads them merged, so one artifact or five land alike", async () => {
    const { jobs } = await workflow();
    const leg = 'cilium-${{ matrix.cilium }}-k8s-${{ matrix.kubernetes }}';
    expect(jobs.kind!.env!.NETPOL_E2E_LEG).toBe(leg);
    expect(jobs.kind!.steps.find((s) => s.env?.NETPOL_E2E_RESULTS)!.env!.NETPOL_E2E_RESULTS).toBe(`\${{ github.workspace }}/results/legs/${leg}/e2e-results.json`);
    const upload = jobs.kind!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@') && String(s.with?.name).startsWith('e2e-results-'))!;
    expect(upload.with).toMatchObject({ name: `e2e-results-${leg}`, path: 'results/legs/' });
    const download = jobs.compare!.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with).toEqual({ pattern: 'e2e-results-*', path: 'results/runs', 'merge-multiple': true });
  });

  it('takes Hubble flows through Relay, at its ClusterIP, on failure', async () => {
    const failure = (await workflow()).jobs.kind!.steps.find((s) => /hubble observe/.test(s.run ?? ''))!;
    expect(failure.run).toContain("get svc hubble-relay -o jsonpath='{.spec.clusterIP}:{.spec.ports[0].port}'");
    expect(failure.run).toContain('hubble observe --server "$relay"');
  });
});
