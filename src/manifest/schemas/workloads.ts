// apps/v1 workloads, which run pods from a template: Deployment, ReplicaSet, StatefulSet, DaemonSet. Their selectors
// are checked against their templates as the API server does.
import { z } from 'zod';
import { compileSelector, lookupIn } from '../selector.ts';
import { DNS_LABEL, labels, metadata, PodSpecSchema } from './core.ts';
import { KubeLabelSelectorSchema, type LabelSelector } from './label-selector.ts';

const PodTemplateSchema = z.looseObject({ metadata: z.looseObject({ labels }), spec: PodSpecSchema });
const replicas = z.number().int().min(0).max(50).optional();

/**
 * The API server's checks of an apps/v1 workload's selector (kubernetes/kubernetes@2dd1588
 * pkg/apis/apps/validation/validation.go: ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateStatefulSetSpec,
 * ValidateDaemonSetSpec): it may not be empty, and it must select the template's labels, matchExpressions included.
 */
const selectsTemplate = (kind: string) => (w: { spec: { selector: LabelSelector; template: { metadata: { labels: Record<string, string> } } } }, ctx: z.RefinementCtx) => {
  const { selector, template } = w.spec;
  if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions?.length ?? 0) === 0) {
    ctx.addIssue({ code: 'custom', path: ['spec', 'selector'], message: `empty selector is invalid for ${kind.toLowerCase()}` });
  } else if (!compileSelector(selector)(lookupIn(template.metadata.labels))) {
    ctx.addIssue({ code: 'custom', path: ['spec', 'template', 'metadata', 'labels'], message: '`selector` does not match template `labels`' });
  }
};

/** A workload of replicas from one template: a Deployment, or the ReplicaSet it (or a tutorial) makes. */
const replicated = <K extends 'Deployment' | 'ReplicaSet'>(kind: K) =>
  z
    .looseObject({
      apiVersion: z.literal('apps/v1'),
      kind: z.literal(kind),
      metadata,
      spec: z.looseObject({ replicas, selector: KubeLabelSelectorSchema, template: PodTemplateSchema }),
    })
    .superRefine(selectsTemplate(kind));

export const DeploymentSchema = replicated('Deployment');
export type Deployment = z.infer<typeof DeploymentSchema>;

export const ReplicaSetSchema = replicated('ReplicaSet');

// A StatefulSet's name is a DNS label (ValidateStatefulSetName: NameIsDNSLabel), since its pods' host names are
// NAME-ORDINAL; serviceName names the headless Service that gives them DNS names (optional in apps/v1).
export const StatefulSetSchema = z
  .looseObject({
    apiVersion: z.literal('apps/v1'),
    kind: z.literal('StatefulSet'),
    metadata: metadata.refine((m) => m.name.length <= 63 && DNS_LABEL.test(m.name), { error: 'a StatefulSet name must be a DNS label (at most 63 characters, no dots)', path: ['name'] }),
    spec: z.looseObject({ replicas, serviceName: z.string().optional(), ordinals: z.looseObject({ start: z.number().int().min(0).optional() }).optional(), selector: KubeLabelSelectorSchema, template: PodTemplateSchema }),
  })
  .superRefine(selectsTemplate('StatefulSet'));
export type StatefulSet = z.infer<typeof StatefulSetSchema>;

export const DaemonSetSchema = z
  .looseObject({
    apiVersion: z.literal('apps/v1'),
    kind: z.literal('DaemonSet'),
    metadata,
    spec: z.looseObject({ selector: KubeLabelSelectorSchema, template: PodTemplateSchema }),
  })
  .superRefine(selectsTemplate('DaemonSet'));

/** A workload that runs pods from a template: what the model derives pods from, whatever its kind. */
export type Workload = z.infer<typeof ReplicaSetSchema> | Deployment | StatefulSet | z.infer<typeof DaemonSetSchema>;
