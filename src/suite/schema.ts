// The suite file format (documented in docs/suite-format.md). The descriptions are what an editor shows from the
// JSON Schema generated from this one (schemas/suite.schema.json, `npm run schemas`).
import { z } from 'zod';
import { checkedString, ipv4Problem, numericHostProblem } from '../input/ip.ts';
import { labelKey, labelValue } from '../manifest/schemas/core.ts';

const outcome = z.string().describe('The expected outcome: ok, ok:NNN, connect-timeout, denied, ... (docs/outcomes.md).');
const expectation = z.union([
  outcome,
  z.strictObject({
    outcome,
    claim: z.string().optional().describe('Where the tutorial makes this claim, e.g. "seeds/004_12ab6aaadef4ac20.txt:262".'),
    note: z.string().optional(),
  }),
]);

const labelAction = z
  .strictObject({
    namespace: z.string().optional().describe('The namespace to label (give this or pod).'),
    pod: z.string().optional().describe('The pod to label, as [namespace/]name (give this or namespace).'),
    // `kubectl label` sets them through the API server, which validates them so.
    set: z.record(labelKey(false), labelValue.nullable()).describe('Labels to set; null removes one.'),
  })
  .refine((a) => (a.namespace === undefined) !== (a.pod === undefined), { error: 'give exactly one of namespace and pod' });

const reachability = z
  .strictObject({
    port: z.number().int().min(1).max(65535),
    protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
    via: z.enum(['pod-ip', 'service-ip']).default('pod-ip').describe("How sources reach each column's pod: its pod IP (default) or its Service's ClusterIP (Service `s-<pod>`)."),
    table: z.string().min(1, { error: 'the table needs a header row of targets and at least one row per source' }),
  })
  .describe('A full matrix in text form: rows are sources, columns targets; `.` connects, `X` is denied, `-` not asserted.');

const step = z.strictObject({
  name: z.string().min(1).describe("The step's name, shown in reports."),
  claim: z.string().optional().describe('Where in the tutorial this step is, e.g. "seeds/000_89d52f9fa1fc5b7b.txt:50".'),
  note: z.string().optional(),
  apply: z
    .array(z.union([z.string().min(1), z.record(z.string(), z.unknown())]))
    .optional()
    .describe('Manifest files (relative to manifestDir), or manifests written inline.'),
  delete: z.array(z.string().min(1)).optional().describe('What to delete: a manifest file, kind/name, or namespace/kind/name.'),
  label: z.array(labelAction).optional().describe('Labels to set on a namespace or a pod, as kubectl label does.'),
  policyAuditMode: z.boolean().optional().describe("Switches Cilium's policy audit mode for every endpoint before the step's other actions."),
  expect: z.record(z.string(), expectation).optional().describe('Cells and their expected outcomes: "source -> target": outcome.'),
  reachability: z.array(reachability).optional(),
});

const ports = z.record(
  z.string().refine((k) => /^[1-9]\d{0,4}$/.test(k) && Number(k) <= 65535, { error: 'must be a port number 1-65535' }),
  z.number().int().min(100).max(599),
);
const ipv4 = checkedString(ipv4Problem);

export const SuiteSchema = z
  .strictObject({
    name: z.string().min(1).describe("The suite's name, shown in reports."),
    source: z.string().optional().describe('Free text: where the walk comes from (the tutorial, its chapter).'),
    manifestDir: z.string().optional().describe("Where manifest paths are resolved from, relative to the suite file (default: the suite's folder)."),
    apps: z
      .array(z.string().regex(/^[a-z0-9][-a-z0-9]*$/))
      .default([])
      .describe('Apps deployed before the first step: <manifestDir>/apps/<name>.yaml, else the built-in app of that name.'),
    pods: z
      .strictObject({ label: z.string().min(1) })
      .default({ label: 'app' })
      .describe('The pod label whose value names a pod in cells (`x/a` is the first pod in x with <label>=a).'),
    external: z
      .record(
        // A name ending in a number is read as an IPv4 address by every URL parser: it has to be a valid one.
        checkedString(numericHostProblem).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'must be a lowercase DNS name or an IPv4 address' }),
        z.union([ports, z.strictObject({ ip: ipv4.optional(), ports })]),
      )
      .default({})
      .describe('Hosts outside the cluster: name or IPv4 address -> { port: HTTP status }, or { ip, ports }.'),
    probe: z
      .strictObject({ connectTimeout: z.number().int().min(1).max(60).default(5).describe('Seconds, like curl --connect-timeout.') })
      .default({ connectTimeout: 5 })
      .describe('How probes are made.'),
    clusterNetworkPolicyChannel: z
      .enum(['standard', 'experimental'])
      .optional()
      .describe(
        'The network-policy-api channel whose ClusterNetworkPolicy CRD the suite needs: `experimental` for the peers only that channel has (domainNames, nodes). cluster:up installs the standard channel, so without it they are refused.',
      ),
    matrix: z
      .strictObject({ from: z.array(z.string()).min(1), to: z.array(z.string()).min(1) })
      .optional()
      .describe("Cells probed at every step in addition to the step's expectations."),
    steps: z.array(step).min(1).describe('Actions (policyAuditMode, label, apply, delete, in this order) and the cells probed after them.'),
  })
  .meta({ title: 'netpol-e2e suite', description: 'A netpol-e2e suite: apps, then steps of policy changes and the probes expected after each (docs/suite-format.md).' });
export type SuiteFile = z.infer<typeof SuiteSchema>;
