// Kustomizations in tutorials (`kubectl apply|delete -k`, `kubectl kustomize DIR | kubectl apply -f -`) and the docs
// config's `setup:`, the state a workshop's prepare step leaves before the first chapter.
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDocs } from '../support/check-docs.ts';
import { loadDocsConfig } from '../../src/tutorials/config.ts';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { parseCommandLine } from '../../src/tutorials/read/commands.ts';
import { InputError } from '../../src/input/input-error.ts';
import { fixture, REPO } from '../support/fixture.ts';

const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body}\n\`\`\``;
const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';

async function check(dir: string, readme = 'README.md') {
  const { extraction, suite } = await extractTutorial(path.join(dir, readme));
  const result = await checkDocs(extraction, suite);
  return { findings: extraction.findings.map((f) => `${f.severity} ${f.rule}: ${f.message}`), claims: result.claims.map((c) => ({ verdict: c.verdict, why: c.why ?? '' })) };
}

describe('reading -k', () => {
  it('kubectl apply|create|delete -k DIR, and kustomize output piped to kubectl apply -f -', () => {
    // aws-samples/eks-workshop-v2@bb1b300 website/docs/fastpaths/getting-started/finish.md:22 and cleanup/index.md:10.
    expect(parseCommandLine('kubectl apply -k ~/environment/eks-workshop/base-application')).toEqual([{ kind: 'apply', verb: 'apply', files: ['~/environment/eks-workshop/base-application'], kustomize: true }]);
    expect(parseCommandLine('kubectl delete -k /eks-workshop/manifests/base-application --all')).toEqual([{ kind: 'delete-files', files: ['/eks-workshop/manifests/base-application'], kustomize: true }]);
    expect(parseCommandLine('kubectl create --kustomize=app -n shop')).toEqual([{ kind: 'apply', verb: 'create', files: ['app'], namespace: 'shop', kustomize: true }]);
    expect(parseCommandLine('kubectl kustomize app | kubectl apply -f -')).toEqual([{ kind: 'apply', verb: 'apply', files: ['app'], kustomize: true }]);
    expect(parseCommandLine('kustomize build | kubectl delete -f -')).toEqual([{ kind: 'delete-files', files: ['.'], kustomize: true }]);
    // website/docs/fastpaths/developer/ingress/adding-ingress.md:40: envsubst rewrites what kubectl applies.
    expect(parseCommandLine('kubectl kustomize ~/environment/eks-workshop/modules/fastpaths/developers/ingress/adding-ingress | envsubst | kubectl apply -f -')).toEqual([
      { kind: 'unsupported', why: expect.stringContaining('what envsubst made of kubectl kustomize') },
    ]);
  });
});

// The demo app (frontend -> backend:8080), a deny policy applied through a kustomization, then the probe.
const BIND = "FRONTEND=$(kubectl get pods -l app=frontend -o jsonpath='{.items[0].metadata.name}')";
const PROBE = 'kubectl exec -ti $FRONTEND -- curl -I --connect-timeout 5 backend:8080 | head -1';
const TIMED_OUT = 'curl: (28) Connection timed out after 5001 milliseconds\ncommand terminated with exit code 28';
const DENY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny }\nspec: { podSelector: { matchLabels: { app: backend } }, policyTypes: [Ingress] }\n';

async function demo(command: string, kustomization: string) {
  return fixture({
    'README.md': [fence('bash', BIND), fence('bash', command), fence('bash', `${PROBE}\n${TIMED_OUT}`)].join('\n\n'),
    'netpol-docs.yaml': 'apps: [demo]\n',
    'policies/kustomization.yaml': `${KUSTOMIZATION}${kustomization}`,
    'policies/deny.yaml': DENY,
  });
}

describe('kubectl apply -k on the model', () => {
  it('applies what the kustomization builds, through -k or a pipe', async () => {
    for (const command of ['kubectl apply -k policies', 'kubectl kustomize policies | kubectl apply -f -']) {
      const r = await check(await demo(command, 'namePrefix: team-\nresources: [deny.yaml]\n'));
      expect(r.claims, command).toEqual([{ verdict: 'holds', why: expect.stringContaining('timed out') }]);
    }
  });

  it('a field it does not follow makes the claims after it not checkable, naming the field and its line', async () => {
    const r = await check(await demo('kubectl apply -k policies', 'resources: [deny.yaml]\npatches:\n  - path: more.yaml\n'));
    expect(r.claims).toEqual([{ verdict: 'not-checkable', why: expect.stringContaining('policies/kustomization.yaml:4: patches') }]);
    expect(r.findings).toContainEqual(expect.stringContaining('warning not-followed: kubectl apply -k policies: '));
  });

  it("commonLabels go into the policy's selector too, which then selects no pod of the demo app", async () => {
    // commonlabels.go: NetworkPolicy spec/podSelector/matchLabels; the demo app's pods, not built by it, lack env.
    const r = await check(await demo('kubectl apply -k policies', 'commonLabels: { env: prod }\nresources: [deny.yaml]\n'));
    expect(r.claims).toEqual([{ verdict: 'contradicted', why: expect.any(String) }]);
  });
});

const EKS = path.join(REPO, 'tutorials/corpus/aws-eks-workshop-netpol');
const DENY_PATH = '~/environment/eks-workshop/modules/networking/network-policies/apply-network-policies/default-deny.yaml';

/** The egress chapter's first probe, in its words (website/docs/networking/vpc-cni/network-policies/egress.md:18-28). */
async function eksWorkshop(config: string) {
  const dir = await fixture({
    'egress.md': [
      "Let us start by implementing an egress policy that will restrict all egress traffic from the 'ui' component.",
      fence('bash', `$ kubectl apply -n ui -f ${DENY_PATH}`),
      "Now let us try accessing the 'catalog' component from the 'ui' component,",
      fence('bash expectError=true', '$ kubectl exec deployment/ui -n ui -- curl -s http://catalog.catalog/health --connect-timeout 5\ncurl: (28) Resolving timed out after 5000 milliseconds\ncommand terminated with exit code 28'),
    ].join('\n\n'),
    'netpol-docs.yaml': `${config}files:\n  ${DENY_PATH}: default-deny.yaml\n`,
  });
  await cp(path.join(EKS, 'manifests/base-application'), path.join(dir, 'base-application'), { recursive: true });
  await cp(path.join(EKS, 'manifests/modules/networking/network-policies/apply-network-policies/default-deny.yaml'), path.join(dir, 'default-deny.yaml'));
  return dir;
}

describe('setup: the EKS workshop base application, which prepare-environment deploys before the text', () => {
  it('without it the ui namespace is unknown; with it the claim holds', async () => {
    const without = await check(await eksWorkshop(''), 'egress.md');
    expect(without.claims).toEqual([{ verdict: 'not-checkable', why: expect.stringContaining('namespace "ui" not found') }]);
    const withSetup = await check(await eksWorkshop('setup:\n  - base-application\n'), 'egress.md');
    expect(withSetup.claims).toEqual([{ verdict: 'holds', why: expect.stringContaining('Resolving timed out') }]);
    // Its StatefulSets (catalog-mysql, orders-postgresql) are workloads the model runs: nothing is left unsimulated.
    expect(withSetup.findings.filter((f) => f.includes('not-simulated'))).toEqual([]);
  });

  it('a setup path that is not there is bad input at its line', async () => {
    const dir = await fixture({ 'netpol-docs.yaml': 'apps: [demo]\nsetup:\n  - base-application\n  - missing\n', 'base-application/kustomization.yaml': KUSTOMIZATION });
    await expect(loadDocsConfig(path.join(dir, 'README.md'))).rejects.toThrow(new InputError(path.join(dir, 'netpol-docs.yaml'), 4, 'missing: no such file or folder beside netpol-docs.yaml', 'setup[1]'));
  });
});
