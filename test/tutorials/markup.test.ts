// Markup as real tutorials publish it: Hugo params and variants, Sphinx substitutions and includes, MDX. Each test's
// text is a short excerpt of the tutorial it names (repository, commit, path), kept as it is written there.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Chapter, DocBlock } from '../../src/tutorials/read/blocks.ts';
import { readTutorial } from '../../src/tutorials/read/tutorial.ts';
import { fixture, REPO } from '../support/fixture.ts';

const code = (chapters: Chapter[]) => chapters.flatMap((c) => c.blocks).filter((b): b is Extract<DocBlock, { kind: 'code' }> => b.kind === 'code');
const codeText = (chapters: Chapter[]) => code(chapters).map((b) => b.lines.map((l) => l.text).join('\n'));
const prose = (chapters: Chapter[]) =>
  chapters
    .flatMap((c) => c.blocks)
    .filter((b) => b.kind === 'prose')
    .map((b) => (b as { text: string }).text);

describe('Hugo params inside code blocks', () => {
  // acend/prometheus-training@1fab27135200d3643e2de99d34de223621a3bf70 content/en/docs/08/labs/83-troubleshoot-sd.md,
  // with its site config config/_default/config.toml@082f1e5ef815d1c3eb201c093e3c35a96101ccfe ([params] cliToolName).
  const LAB = `---
title: "8.3 Troubleshooting Kubernetes Service Discovery"
---

  * Lets check if the application is exposing metrics
    \`\`\`bash
    PODNAME=$({{% param cliToolName %}} get pod -l app=loki -o name)
    {{% param cliToolName %}} exec $PODNAME -it -- wget -O - localhost:3100/metrics
    ...
    \`\`\`

    Verify that the target now gets scraped in the [Prometheus user interface](http://{{% param replacePlaceholder.k8sPrometheus %}}/targets).
`;
  const CONFIG = `[params]\ncliToolName = "kubectl"\n\n[params.replacePlaceholder]\nk8sPrometheus = "LOCALHOST:19090"\n`;

  it('resolves {{% param cliToolName %}} used as the command word, and a dotted param, from the site config', async () => {
    const site = await fixture({ 'config/_default/config.toml': CONFIG, 'content/en/docs/08/labs/83-troubleshoot-sd.md': LAB });
    const { chapters } = await readTutorial(path.join(site, 'content/en/docs/08/labs/83-troubleshoot-sd.md'));
    expect(code(chapters)[0]!.lines).toEqual([
      { text: 'PODNAME=$(kubectl get pod -l app=loki -o name)', line: 7 },
      { text: 'kubectl exec $PODNAME -it -- wget -O - localhost:3100/metrics', line: 8 },
      { text: '...', line: 9 },
    ]);
    expect(prose(chapters).join('\n')).toContain('http://LOCALHOST:19090/targets');
  });
});

describe('Hugo variants: onlyWhen and onlyWhenNot', () => {
  // acend/tekton-basics-training@068016e6b502ed2d420729205d250cddc7d7ed28 content/en/docs/03/03_first_pipeline.md
  // (its onlyWhenNot is closed by {{% /onlyWhen %}}, as written there); config/_default/config.toml at the same
  // commit sets enabledModule = "base openshift". The shortcodes: acend/docsy-plus layouts/shortcodes/onlyWhen.html.
  const CHAPTER = `---
title: "3. Your first pipeline"
weight: 3
---

Create the test Task in your namespace:

{{% onlyWhen openshift %}}

\`\`\`bash
oc -n $USER create -f test-task.yaml
\`\`\`

{{% /onlyWhen %}}
{{% onlyWhenNot openshift %}}

\`\`\`bash
kubectl -n $USER create -f test-task.yaml
\`\`\`

{{% /onlyWhen %}}
`;
  const tree = (enabledModule?: string) =>
    fixture({
      'config/_default/config.toml': `[params]\n${enabledModule === undefined ? '' : `enabledModule = "${enabledModule}"\n`}cliToolName = "kubectl"\n`,
      'content/en/docs/03/03_first_pipeline.md': CHAPTER,
    });

  it('reads the variant the site config enables, never both, and reports the mismatched closer at its line', async () => {
    const site = await tree('base openshift');
    const { chapters, findings } = await readTutorial(path.join(site, 'content'));
    expect(code(chapters).map((b) => [b.line, b.lines.map((l) => l.text)])).toEqual([[10, ['oc -n $USER create -f test-task.yaml']]]);
    expect(findings).toEqual([expect.objectContaining({ line: 21, severity: 'error', rule: 'bad-shortcode', message: expect.stringContaining('{{% /onlyWhen %}} closes {{% onlyWhenNot %}} of line 15') })]);
  });

  it('reads the variant the docs config names instead, with the file own line numbers', async () => {
    const site = await tree('base openshift');
    const { chapters } = await readTutorial(path.join(site, 'content'), { variant: 'base' });
    expect(code(chapters).map((b) => [b.line, b.lines.map((l) => l.text)])).toEqual([[17, ['kubectl -n $USER create -f test-task.yaml']]]);
  });

  it('without enabledModule, reads the text outside any variant: onlyWhenNot shows, onlyWhen does not', async () => {
    const site = await tree();
    const { chapters } = await readTutorial(path.join(site, 'content'));
    expect(codeText(chapters)).toEqual(['kubectl -n $USER create -f test-task.yaml']);
  });
});

describe('Sphinx: conf.py substitutions, escapes in parsed-literal, includes', () => {
  // cilium/cilium@9cb66ba5c11218f4393805af14c6bc9201c91e7c Documentation/network/kubernetes/local-redirect-policy.rst
  const POLICY = `*********************
Local Redirect Policy
*********************

Prerequisites
=============

.. include:: ../../installation/k8s-install-download-release.rst

The Cilium Local Redirect Policy feature relies on :ref:\`kubeproxy-free\`.

.. parsed-literal::

   helm upgrade cilium |CHART_RELEASE| \\\\
     --namespace kube-system \\\\
     --reuse-values \\\\
     --set localRedirectPolicy=true

Create backend and client pods
==============================

.. parsed-literal::

    $ kubectl apply -f \\ |SCM_WEB|\\/examples/kubernetes-local-redirect/backend-pod.yaml
`;
  // cilium/cilium@21d690e1b2e70ec1f2ce60c4de01a251e60eea37 Documentation/installation/k8s-install-download-release.rst
  const DOWNLOAD = `.. only:: not (epub or latex or html)

    WARNING: You are looking at unreleased Cilium documentation.

.. only:: stable

   Setup Helm repository:

   .. code-block:: shell-session

      helm repo add cilium https://helm.cilium.io/

.. only:: not stable

   Download the Cilium release tarball and change to the kubernetes install directory:

   .. parsed-literal::

      curl -LO |SCM_ARCHIVE_LINK|
      tar xzf |SCM_ARCHIVE_FILENAME|
`;
  // cilium/cilium@66382ef3c815b20fffa95ee5fafe4709933903f3 Documentation/conf.py: the values are Python's.
  const CONF_FORMAT = `rst_epilog = """
.. |SCM_WEB| replace:: \\\\{s}
.. |SCM_ARCHIVE_LINK| replace:: \\\\{l}
.. |SCM_ARCHIVE_FILENAME| replace:: \\\\{f}
.. |CHART_RELEASE| replace:: \\\\{h}
""".format(s=scm_web, b=branch, l=archive_link, f=archive_filename, h=chart_release)
`;
  const docs = (conf: string) =>
    fixture({
      'Documentation/conf.py': conf,
      'Documentation/network/kubernetes/local-redirect-policy.rst': POLICY,
      'Documentation/installation/k8s-install-download-release.rst': DOWNLOAD,
    });

  it('follows the include in place, takes values from the docs config first, and says which conf.py computes the rest', async () => {
    const root = await docs(CONF_FORMAT);
    const { chapters, findings } = await readTutorial(path.join(root, 'Documentation'), { substitutions: { SCM_WEB: 'https://raw.githubusercontent.com/cilium/cilium/v1.16' } });
    // The included file is read once, where it is included, under the heading before the include.
    expect(chapters.map((c) => [path.basename(c.file), c.title])).toEqual([
      ['local-redirect-policy.rst', 'Local Redirect Policy'],
      ['k8s-install-download-release.rst', 'Prerequisites'],
      ['local-redirect-policy.rst', 'Prerequisites'],
    ]);
    expect(codeText(chapters)).toEqual([
      'curl -LO |SCM_ARCHIVE_LINK|\ntar xzf |SCM_ARCHIVE_FILENAME|',
      'helm upgrade cilium |CHART_RELEASE| \\\n  --namespace kube-system \\\n  --reuse-values \\\n  --set localRedirectPolicy=true',
      '$ kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/v1.16/examples/kubernetes-local-redirect/backend-pod.yaml',
    ]);
    expect(findings.map((f) => [path.basename(f.file), f.line, f.message])).toEqual([
      ['k8s-install-download-release.rst', 19, expect.stringMatching(/^\|SCM_ARCHIVE_LINK\| is computed by .*Documentation\/conf\.py when the docs are built \(\.format\)/)],
      ['k8s-install-download-release.rst', 20, expect.stringContaining('|SCM_ARCHIVE_FILENAME| is computed by')],
      ['local-redirect-policy.rst', 14, expect.stringContaining('|CHART_RELEASE| is computed by')],
    ]);
  });

  it('reads `.. only::` as an HTML build does, with the docs config variant as a tag', async () => {
    const root = await docs(CONF_FORMAT);
    const file = path.join(root, 'Documentation/installation/k8s-install-download-release.rst');
    const unreleased = await readTutorial(file);
    expect(codeText(unreleased.chapters)).toEqual(['curl -LO |SCM_ARCHIVE_LINK|\ntar xzf |SCM_ARCHIVE_FILENAME|']);
    expect(prose(unreleased.chapters)).toEqual(['Download the Cilium release tarball and change to the kubernetes install directory:']);
    const stable = await readTutorial(file, { variant: 'stable' });
    expect(codeText(stable.chapters)).toEqual(['helm repo add cilium https://helm.cilium.io/']);
  });

  it('reads one tab of `.. tabs::`: the first, or the one the variant names', async () => {
    // The same local-redirect-policy.rst, "Node-local DNS cache".
    const root = await fixture({
      'lrp.rst': `* Deploy DNS node-cache in pod namespace.

  .. tabs::

    .. group-tab:: Quick Deployment

        Deploy DNS node-cache.

        .. parsed-literal::

            $ kubectl apply -f node-local-dns.yaml

    .. group-tab:: Manual Configuration

         * Make sure to use a Node-local DNS image with a release version >= 1.15.16.

* Deploy Local Redirect Policy (LRP) to steer DNS traffic to the node local dns cache.
`,
    });
    const quick = await readTutorial(path.join(root, 'lrp.rst'));
    expect(codeText(quick.chapters)).toEqual(['$ kubectl apply -f node-local-dns.yaml']);
    expect(prose(quick.chapters).join('\n')).not.toContain('Node-local DNS image');
    const manual = await readTutorial(path.join(root, 'lrp.rst'), { variant: 'Manual Configuration' });
    expect(codeText(manual.chapters)).toEqual([]);
    expect(prose(manual.chapters).join('\n')).toContain('Make sure to use a Node-local DNS image');
  });

  it('takes a literal rst_epilog value from the conf.py found above the file', async () => {
    const root = await docs(`rst_epilog = """\n.. |SCM_WEB| replace:: https://raw.githubusercontent.com/cilium/cilium/main\n"""\n`);
    const { chapters } = await readTutorial(path.join(root, 'Documentation/network/kubernetes/local-redirect-policy.rst'));
    expect(codeText(chapters).at(-1)).toBe('$ kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/main/examples/kubernetes-local-redirect/backend-pod.yaml');
  });
});

describe('MDX (Docusaurus)', () => {
  // apecloud/kubeblocks@b55fca873df4db998ed1c400be675817a9ca9d14
  // docs/user_docs/kubeblocks-for-kafka/cluster-management/restart-a-kafka-cluster.md (Docusaurus reads .md as MDX).
  const RESTART = `---
title: Restart Kafka cluster
sidebar_position: 4
---

import Tabs from '@theme/Tabs';
import TabItem from '@theme/TabItem';

# Restart a Kafka cluster

:::note

The pod role may change after the cluster restarts.

:::

## Steps

<Tabs>

<TabItem value="kubectl" label="kubectl" default>

1. Create an OpsRequest to restart a cluster.

    \`\`\`bash
    kubectl apply -f - <<EOF
    apiVersion: apps.kubeblocks.io/v1alpha1
    kind: OpsRequest
    metadata:
      name: ops-restart
      namespace: demo
    spec:
      clusterName: mycluster
      type: Restart
      restart:
      - componentName: broker
    EOF
    \`\`\`

</TabItem>

<TabItem value="kbcli" label="kbcli">

1. Restart a cluster.

   \`\`\`bash
   kbcli cluster restart mycluster -n demo --components="kafka" --ttlSecondsAfterSucceed=30
   \`\`\`

</TabItem>
</Tabs>
`;
  const site = (files: Record<string, string>) => fixture({ 'docusaurus.config.js': 'module.exports = {};\n', ...files });

  it('reads the default tab, or the one the docs config names, and an admonition as text; imports are not text', async () => {
    const root = await site({ 'docs/restart-a-kafka-cluster.md': RESTART });
    const read = await readTutorial(path.join(root, 'docs'));
    expect(codeText(read.chapters)).toEqual([expect.stringMatching(/^kubectl apply -f - <<EOF\napiVersion/)]);
    expect(code(read.chapters)[0]!.line).toBe(25);
    expect(prose(read.chapters)).toEqual(['Restart a Kafka cluster', 'The pod role may change after the cluster restarts.', 'Steps', 'Create an OpsRequest to restart a cluster.']);
    expect(read.findings).toEqual([]);
    const kbcli = await readTutorial(path.join(root, 'docs'), { variant: 'kbcli' });
    expect(codeText(kbcli.chapters)).toEqual(['kbcli cluster restart mycluster -n demo --components="kafka" --ttlSecondsAfterSucceed=30']);
  });

  it('leaves a tag named in backticks as text, and an MDX comment out', async () => {
    // facebook/docusaurus@b8636bf595128944a84ee1923f201399000eb423 website/docs/guides/markdown-features/markdown-features-tabs.mdx
    const root = await site({
      'tabs.mdx': `# Tabs

Docusaurus provides the \`<Tabs>\` component that you can use in Markdown thanks to [MDX](./markdown-features-react.mdx):

{/* prettier-ignore */}
\`\`\`jsx
<Tabs>
  <TabItem value="apple" label="Apple" default>
    This is an apple 🍎
  </TabItem>
</Tabs>
\`\`\`
`,
    });
    const { chapters, findings } = await readTutorial(path.join(root, 'tabs.mdx'));
    expect(prose(chapters)).toEqual(['Tabs', 'Docusaurus provides the `<Tabs>` component that you can use in Markdown thanks to [MDX](./markdown-features-react.mdx):']);
    expect(codeText(chapters)).toEqual(['<Tabs>\n  <TabItem value="apple" label="Apple" default>\n    This is an apple 🍎\n  </TabItem>\n</Tabs>']);
    expect(findings).toEqual([]);
  });

  it('reads <CodeBlock> children as code (tigera/docs, the Calico policy demo)', async () => {
    // tigera/docs@1503552ae4a1ea47f0d0fae630ff246f533a9a67 calico/network-policy/get-started/kubernetes-policy/kubernetes-demo.mdx
    const root = await site({
      'calico/kubernetes-demo.mdx': `---
description: An interactive demo that visually shows how applying Kubernetes policy allows and denies connections.
---

import variables from '@site/calico/variables';
import CodeBlock from '@theme/CodeBlock';

# Kubernetes policy, demo

### 2) Enable isolation

Running following commands will prevent all access to the frontend, backend, and client Services.

<CodeBlock language='shell'>
{\`kubectl create -n stars -f {variables.tutorialFilesURL}/default-deny.yaml
kubectl create -n client -f {variables.tutorialFilesURL}/default-deny.yaml\`}
</CodeBlock>
`,
    });
    const { chapters } = await readTutorial(path.join(root, 'calico/kubernetes-demo.mdx'));
    expect(code(chapters)).toEqual([
      {
        kind: 'code',
        line: 14,
        lang: 'shell',
        lines: [
          { text: 'kubectl create -n stars -f {variables.tutorialFilesURL}/default-deny.yaml', line: 15 },
          { text: 'kubectl create -n client -f {variables.tutorialFilesURL}/default-deny.yaml', line: 16 },
        ],
      },
    ]);
    expect(prose(chapters)).toEqual(['Kubernetes policy, demo', '2) Enable isolation', 'Running following commands will prevent all access to the frontend, backend, and client Services.']);
  });

  it('includes a file imported with !!raw-loader! into <CodeBlock>{X}</CodeBlock>, from the tab shown by defaultValue', async () => {
    // astronomer/docs@025c57d5cd0a99de82c621d1e8ea3e5a0ebad718 learn/airflow-decorators.md
    const root = await site({
      'learn/airflow-decorators.md': `---
title: "Introduction to the TaskFlow API and Airflow decorators"
---

import CodeBlock from '@theme/CodeBlock';
import airflow_decorator_example_traditional_syntax from '!!raw-loader!../code-samples/dags/airflow-decorators/airflow_decorator_example_traditional_syntax.py';
import airflow_decorator_example from '!!raw-loader!../code-samples/dags/airflow-decorators/airflow_decorator_example.py';

<Tabs
    defaultValue="traditional"
    groupId= "how-to-use-airflow-decorators"
    values={[
        {label: 'Traditional syntax', value: 'traditional'},
        {label: 'TaskFlow API', value: 'taskflow'},
    ]}>

<TabItem value="traditional">

<CodeBlock language="python">{airflow_decorator_example_traditional_syntax}</CodeBlock>

</TabItem>

<TabItem value="taskflow">

<CodeBlock language="python">{airflow_decorator_example}</CodeBlock>

</TabItem>
</Tabs>
`,
    });
    const { chapters } = await readTutorial(path.join(root, 'learn'));
    expect(chapters[0]!.blocks).toEqual([{ kind: 'include', line: 19, lang: 'python', path: '../code-samples/dags/airflow-decorators/airflow_decorator_example_traditional_syntax.py' }]);
  });
});

describe('a Docusaurus folder', () => {
  it('reads its pages in sidebar_position order, as the autogenerated sidebar shows them', async () => {
    // The EKS workshop's network-policy module as published (tutorials/corpus/aws-eks-workshop-netpol,
    // aws-samples/eks-workshop-v2 bb1b3000): by path it would read debug, egress, index, ingress, setup.
    const folder = path.join(REPO, 'tutorials/corpus/aws-eks-workshop-netpol/website/docs/networking/vpc-cni/network-policies');
    const { chapters } = await readTutorial(folder);
    expect(chapters.map((c) => path.basename(c.file))).toEqual(['index.md', 'setup.md', 'egress.md', 'ingress.md', 'debug.md']);
  });
});
