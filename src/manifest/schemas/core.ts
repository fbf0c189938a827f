// The core API group (v1): object names, labels and metadata every kind shares, Pods (and the pod spec workloads
// template), Services, Namespaces, ServiceAccounts. Only the fields the harness reads are checked; the rest pass.
import { z } from 'zod';
import { labelKeyProblem, labelValueProblem } from '../label-syntax.ts';
import { PORT_NAME, portNumber, protocol } from './net.ts';

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const name = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'must be a lowercase RFC 1123 name' });
const issue = (problem: string | undefined, ctx: z.RefinementCtx): void => {
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};
export const labelKey = (ciliumSource: boolean) => z.string().superRefine((k, ctx) => issue(labelKeyProblem(k, { ciliumSource }), ctx));
export const labelValue = z.string().superRefine((v, ctx) => issue(labelValueProblem(v), ctx));
/** Labels of an object, as the API server accepts them. */
export const labels = z.record(labelKey(false), labelValue);
export const metadata = z.looseObject({ name, namespace: z.string().regex(DNS_LABEL).optional(), labels: labels.optional() });

const ContainerPortSchema = z.looseObject({
  containerPort: portNumber,
  name: z.string().regex(PORT_NAME).max(15).optional(),
  protocol: protocol.optional(),
});

// What the image catalog reads of a container to tell what it listens on (src/model/images).
const EnvVarSchema = z.looseObject({ name: z.string().min(1), value: z.string().optional(), valueFrom: z.unknown().optional() });
const ContainerSchema = z.looseObject({
  name: z.string(),
  image: z.string().min(1),
  ports: z.array(ContainerPortSchema).optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(EnvVarSchema).optional(),
  volumeMounts: z.array(z.looseObject({ mountPath: z.string() })).optional(),
});

export const PodSpecSchema = z.looseObject({
  containers: z.array(ContainerSchema).min(1),
  /** The pod's service account (`serviceAccount` is its deprecated alias); Cilium puts it in the identity. */
  serviceAccountName: name.optional(),
  serviceAccount: name.optional(),
});

/** A bare Pod (a tutorial's `kind: Pod`, or what `kubectl run` creates): only the fields the harness reads. */
export const PodSchema = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Pod'),
  metadata,
  spec: PodSpecSchema,
});
export type Pod = z.infer<typeof PodSchema>;

export const ServiceSchema = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata,
  spec: z.looseObject({
    // A NodePort or LoadBalancer Service has a cluster IP too, reached from pods as a ClusterIP one is; what comes in
    // through a node's port or a load balancer is not modelled. ExternalName has no endpoints to model at all.
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).optional(),
    selector: labels.optional(),
    ports: z.array(z.looseObject({ name: z.string().optional(), port: portNumber, targetPort: z.union([portNumber, z.string().regex(PORT_NAME)]).optional(), protocol: protocol.optional() })).min(1),
  }),
});
export type Service = z.infer<typeof ServiceSchema>;

export const NamespaceSchema = z.looseObject({ apiVersion: z.literal('v1'), kind: z.literal('Namespace'), metadata });
/** A pod's service account must exist before the pod can be created; the model reads the name from the pod. */
export const ServiceAccountSchema = z.looseObject({ apiVersion: z.literal('v1'), kind: z.literal('ServiceAccount'), metadata });
