// The kustomize subset (src/manifest/kustomize.ts): the EKS workshop's real base application, small trees shaped
// like real ones for each transformer, and the fields it refuses rather than guess.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kustomize, type Kustomized } from '../../src/manifest/kustomize.ts';
import { fixture, REPO } from '../support/fixture.ts';

interface Obj {
  kind: string;
  apiVersion: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: the tests read deep into what kustomize built, as the manifest has it
  spec?: Record<string, any>;
}

function docsOf(built: Kustomized): Obj[] {
  if ('problem' in built) throw new Error(`${built.file}:${built.line}: ${built.problem}`);
  return built.docs.map((d) => d.value as Obj);
}

const find = (objects: Obj[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';

describe('the EKS workshop base application (tutorials/corpus/aws-eks-workshop-netpol/manifests/base-application)', () => {
  const dir = path.join(REPO, 'tutorials/corpus/aws-eks-workshop-netpol/manifests/base-application');

  it('builds each component into its namespace, Namespaces first, each object still citing its file', async () => {
    const built = await kustomize(dir);
    const objects = docsOf(built);
    expect(objects.slice(0, 6).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['catalog', 'carts', 'checkout', 'orders', 'ui', 'other'].map((n) => `Namespace/${n}`));
    // ui/kustomization.yaml says `namespace: ui`; ui/deployment.yaml names none.
    const ui = find(objects, 'Deployment', 'ui');
    expect(ui.metadata.namespace).toBe('ui');
    expect(ui.spec!.template.spec.containers[0].image).toBe('public.ecr.aws/aws-containers/retail-store-sample-ui:1.2.1');
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toMatch(/^(catalog|carts|checkout|orders|ui|other)$/);
    // Selectors are left as written: the kustomizations set no labels.
    expect(find(objects, 'Service', 'catalog-mysql').spec!.selector).toEqual({ 'app.kubernetes.io/name': 'catalog', 'app.kubernetes.io/instance': 'catalog', 'app.kubernetes.io/component': 'mysql' });
    const doc = 'docs' in built ? built.docs.find((d) => (d.value as Obj).kind === 'StatefulSet' && (d.value as Obj).metadata.name === 'orders-postgresql')! : undefined;
    expect(doc?.file).toBe(path.relative(process.cwd(), path.join(dir, 'orders/deployment-postgresql.yaml')));
    expect(doc?.lineOf(['kind'])).toBe(2);
  });
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: written }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "registry.local:5000/team/web:1.0" }, { name: side, image: nginx }] }
`;
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { selector: { app: web }, ports: [{ port: 80 }] }\n';
const STATEFULSET =
  'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: db }\nspec: { serviceName: web, selector: { matchLabels: { app: db } }, template: { metadata: { labels: { app: db } }, spec: { containers: [{ name: db, image: mysql:8.0 }] } } }\n';
const POLICY =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: allow }\nspec:\n  podSelector: { matchLabels: { app: web } }\n  ingress: [{ from: [{ podSelector: { matchLabels: { app: client } } }, { namespaceSelector: {} }] }]\n';
const EMPTY_SELECTOR_POLICY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny }\nspec: { podSelector: {} }\n';
const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n';

async function tree(kustomization: string, extra: Record<string, string> = {}) {
  return fixture({
    'base/kustomization.yaml': `${KUSTOMIZATION}resources: [namespace.yaml, deployment.yaml, service.yaml, statefulset.yaml, policy.yaml, deny.yaml]\n`,
    'base/namespace.yaml': NAMESPACE,
    'base/deployment.yaml': DEPLOYMENT,
    'base/service.yaml': SERVICE,
    'base/statefulset.yaml': STATEFULSET,
    'base/policy.yaml': POLICY,
    'base/deny.yaml': EMPTY_SELECTOR_POLICY,
    'overlay/kustomization.yaml': `${KUSTOMIZATION}resources: [../base]\n${kustomization}`,
    ...extra,
  });
}

describe('transformers, as kustomize applies them to what its bases built', () => {
  it('namespace: sets every namespaced object, over one written, and renames the Namespace object', async () => {
    const objects = docsOf(await kustomize(path.join(await tree('namespace: prod\n'), 'overlay')));
    expect(find(objects, 'Deployment', 'web').metadata.namespace).toBe('prod');
    expect(find(objects, 'Service', 'web').metadata.namespace).toBe('prod');
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata)).toEqual([{ name: 'prod' }]);
  });

  it('namePrefix/nameSuffix: names change, a StatefulSet follows its Service, Namespaces and selectors do not', async () => {
    const objects = docsOf(await kustomize(path.join(await tree('namePrefix: dev-\nnameSuffix: -v2\n'), 'overlay')));
    expect(objects.map((o) => o.metadata.name).sort()).toEqual(['dev-allow-v2', 'dev-db-v2', 'dev-deny-v2', 'dev-web-v2', 'dev-web-v2', 'shop']);
    expect(find(objects, 'StatefulSet', 'dev-db-v2').spec!.serviceName).toBe('dev-web-v2');
    expect(find(objects, 'Service', 'dev-web-v2').spec!.selector).toEqual({ app: 'web' });
  });

  it('commonLabels: metadata, selectors, pod templates and the policy selectors that have matchLabels', async () => {
    const objects = docsOf(await kustomize(path.join(await tree('commonLabels: { env: prod }\n'), 'overlay')));
    const web = find(objects, 'Deployment', 'web');
    expect(web.metadata.labels).toEqual({ env: 'prod' });
    expect(web.spec!.selector.matchLabels).toEqual({ app: 'web', env: 'prod' });
    expect(web.spec!.template.metadata.labels).toEqual({ app: 'web', env: 'prod' });
    expect(find(objects, 'Service', 'web').spec!.selector).toEqual({ app: 'web', env: 'prod' });
    const allow = find(objects, 'NetworkPolicy', 'allow');
    expect(allow.spec!.podSelector.matchLabels).toEqual({ app: 'web', env: 'prod' });
    expect(allow.spec!.ingress[0].from).toEqual([{ podSelector: { matchLabels: { app: 'client', env: 'prod' } } }, { namespaceSelector: {} }]);
    // create: false for policies: an empty podSelector stays empty (it selects every pod still).
    expect(find(objects, 'NetworkPolicy', 'deny').spec!.podSelector).toEqual({});
  });

  it('labels: metadata only, templates with includeTemplates, selectors too with includeSelectors', async () => {
    const only = docsOf(await kustomize(path.join(await tree('labels: [{ pairs: { team: a } }]\n'), 'overlay')));
    expect(find(only, 'Deployment', 'web').metadata.labels).toEqual({ team: 'a' });
    expect(find(only, 'Deployment', 'web').spec!.template.metadata.labels).toEqual({ app: 'web' });
    expect(find(only, 'Service', 'web').spec!.selector).toEqual({ app: 'web' });
    const templates = docsOf(await kustomize(path.join(await tree('labels: [{ pairs: { team: a }, includeTemplates: true }]\n'), 'overlay')));
    expect(find(templates, 'Deployment', 'web').spec!.template.metadata.labels).toEqual({ app: 'web', team: 'a' });
    expect(find(templates, 'Deployment', 'web').spec!.selector.matchLabels).toEqual({ app: 'web' });
    const selectors = docsOf(await kustomize(path.join(await tree('labels: [{ pairs: { team: a }, includeSelectors: true }]\n'), 'overlay')));
    expect(find(selectors, 'Service', 'web').spec!.selector).toEqual({ app: 'web', team: 'a' });
  });

  it('commonAnnotations: metadata and pod templates', async () => {
    const objects = docsOf(await kustomize(path.join(await tree('commonAnnotations: { owner: me }\n'), 'overlay')));
    expect(find(objects, 'Deployment', 'web').spec!.template.metadata.annotations).toEqual({ owner: 'me' });
    expect(find(objects, 'Service', 'web').metadata.annotations).toEqual({ owner: 'me' });
  });

  it('images: newName, newTag and digest, matched by name without tag (a registry port is not a tag)', async () => {
    const run = async (rule: string) => {
      const objects = docsOf(await kustomize(path.join(await tree(`images: [${rule}]\n`), 'overlay')));
      return find(objects, 'Deployment', 'web').spec!.template.spec.containers.map((c: { image: string }) => c.image);
    };
    expect(await run('{ name: registry.local:5000/team/web, newTag: "2.0" }')).toEqual(['registry.local:5000/team/web:2.0', 'nginx']);
    expect(await run('{ name: nginx, newName: mirror.example/nginx, newTag: "1.27" }')).toEqual(['registry.local:5000/team/web:1.0', 'mirror.example/nginx:1.27']);
    expect(await run('{ name: registry.local:5000/team/web, digest: "sha256:0123" }')).toEqual(['registry.local:5000/team/web@sha256:0123', 'nginx']);
    expect(await run('{ name: web, newTag: "9" }')).toEqual(['registry.local:5000/team/web:1.0', 'nginx']);
  });
});

describe('what it does not follow: a problem naming the field and its line, never a guess', () => {
  const problem = async (dir: string) => {
    const built = await kustomize(dir);
    if (!('problem' in built)) throw new Error('built');
    return { ...built, file: path.basename(built.file) };
  };

  it('patches, generators, components and the like', async () => {
    for (const [field, line] of [
      ['patches: [{ path: p.yaml }]', 3],
      ['configMapGenerator: [{ name: c, literals: [a=b] }]', 3],
      ['components: [../c]', 3],
      ['helmCharts: [{ name: x }]', 3],
      ['replacements: []', 3],
    ] as const) {
      const dir = await fixture({ 'kustomization.yaml': `${KUSTOMIZATION}${field}\n` });
      const p = await problem(dir);
      expect(p).toEqual({ problem: expect.stringContaining(`${field.slice(0, field.indexOf(':'))}: kustomize's`), file: 'kustomization.yaml', line });
    }
  });

  it('a remote base, a missing file, a tag YAML read as a number, a label entry with its own field specs', async () => {
    const remote = await fixture({ 'kustomization.yaml': `${KUSTOMIZATION}resources:\n  - deployment.yaml\n  - https://github.com/example/app//base?ref=v1\n`, 'deployment.yaml': DEPLOYMENT });
    expect(await problem(remote)).toEqual({ problem: expect.stringContaining('remote base'), file: 'kustomization.yaml', line: 5 });
    const missing = await fixture({ 'kustomization.yaml': `${KUSTOMIZATION}resources: [gone.yaml]\n` });
    expect(await problem(missing)).toEqual({ problem: expect.stringContaining('gone.yaml: no such file or folder'), file: 'kustomization.yaml', line: 3 });
    const number = await fixture({ 'kustomization.yaml': `${KUSTOMIZATION}images:\n  - name: nginx\n    newTag: 1.20\n` });
    expect(await problem(number)).toEqual({ problem: expect.stringContaining('newTag: not a string'), file: 'kustomization.yaml', line: 5 });
    const fields = await fixture({ 'kustomization.yaml': `${KUSTOMIZATION}labels:\n  - pairs: { a: b }\n    fields: [{ path: spec/x }]\n` });
    expect(await problem(fields)).toEqual({ problem: expect.stringContaining('labels[0].fields'), file: 'kustomization.yaml', line: 5 });
  });

  it('two kustomization files in one folder, and the same object twice, which kustomize refuses', async () => {
    const two = await fixture({ 'kustomization.yaml': KUSTOMIZATION, Kustomization: KUSTOMIZATION });
    expect((await problem(two)).problem).toContain('several kustomization files (kustomization.yaml, Kustomization)');
    const twice = await fixture({ 'kustomization.yaml': `${KUSTOMIZATION}resources: [a.yaml, b.yaml]\n`, 'a.yaml': SERVICE, 'b.yaml': SERVICE });
    expect(await problem(twice)).toEqual({ problem: expect.stringMatching(/^v1 Service \/web is there twice \(again at .*b\.yaml:2\)/), file: 'kustomization.yaml', line: 3 });
  });

  it('a folder without a kustomization, and a Component', async () => {
    const none = await fixture({ 'deployment.yaml': DEPLOYMENT });
    expect((await problem(none)).problem).toContain('has no kustomization.yaml, kustomization.yml, Kustomization');
    const component = await fixture({ 'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n' });
    expect(await problem(component)).toEqual({ problem: expect.stringContaining('Component'), file: 'kustomization.yaml', line: 2 });
  });
});
