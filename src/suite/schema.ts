// The suite file format (documented in docs/suite-format.md).
import { z } from 'zod';
import { checkedString, ipv4Problem, numericHostProblem } from '../input/ip.ts';
import { labelKey, labelValue } from '../manifest/schemas.ts';

const expectation = z.union([
  z.string(),
  z.strictObject({
    outcome: z.string(),
    /** Where the tutorial makes this claim, e.g. "seeds/004_12ab6aaadef4ac20.txt:262". */
    claim: z.string().optional(),
    note: z.string().optional(),
  }),
]);

const labelAction = z
  .strictObject({
    namespace: z.string().optional(),
    pod: z.string().optional(),
    // `kubectl label` sets them through the API server, which validates them so.
    set: z.record(labelKey(false), labelValue.nullable()),
  })
  .refine((a) => (a.namespace === undefined) !== (a.pod === undefined), { error: 'give exactly one of namespace and pod' });

/** A full matrix in text form: rows are sources, columns targets; `.` connects, `X` is denied, `-` not asserted. */
const reachability = z.strictObject({
  port: z.number().int().min(1).max(65535),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
  /** How sources reach each column's pod: its pod IP (default) or its Service's ClusterIP (Service `s-<pod>`). */
  via: z.enum(['pod-ip', 'service-ip']).default('pod-ip'),
  table: z.string().min(1, { error: 'the table needs a header row of targets and at least one row per source' }),
});

const step = z.strictObject({
  name: z.string().min(1),
  claim: z.string().optional(),
  note: z.string().optional(),
  /** Manifest files, or manifests written inline. */
  apply: z.array(z.union([z.string().min(1), z.record(z.string(), z.unknown())])).optional(),
  delete: z.array(z.string().min(1)).optional(),
  label: z.array(labelAction).optional(),
  /** Switches Cilium's policy audit mode for every endpoint before the step's other actions. */
  policyAuditMode: z.boolean().optional(),
  expect: z.record(z.string(), expectation).optional(),
  reachability: z.array(reachability).optional(),
});

const ports = z.record(
  z.string().refine((k) => /^[1-9]\d{0,4}$/.test(k) && Number(k) <= 65535, { error: 'must be a port number 1-65535' }),
  z.number().int().min(100).max(599),
);
const ipv4 = checkedString(ipv4Problem);

export const SuiteSchema = z.strictObject({
  name: z.string().min(1),
  source: z.string().optional(),
  /** Where manifest paths are resolved from, relative to the suite file (default: the suite's folder). */
  manifestDir: z.string().optional(),
  /** Apps deployed before the first step: <manifestDir>/apps/<name>.yaml, else the built-in app of that name. */
  apps: z.array(z.string().regex(/^[a-z0-9][-a-z0-9]*$/)).default([]),
  /** The pod label whose value names a pod in cells (`x/a` is the first pod in x with <label>=a). */
  pods: z.strictObject({ label: z.string().min(1) }).default({ label: 'app' }),
  /** Hosts outside the cluster: name or IPv4 address -> { port: HTTP status }, or { ip, ports }. */
  external: z
    .record(
      // A name ending in a number is read as an IPv4 address by every URL parser: it has to be a valid one.
      checkedString(numericHostProblem).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'must be a lowercase DNS name or an IPv4 address' }),
      z.union([ports, z.strictObject({ ip: ipv4.optional(), ports })]),
    )
    .default({}),
  probe: z.strictObject({ connectTimeout: z.number().int().min(1).max(60).default(5) }).default({ connectTimeout: 5 }),
  /**
   * The network-policy-api channel whose ClusterNetworkPolicy CRD the suite needs: `experimental` for the peers only
   * that channel has (domainNames, nodes). cluster:up installs the standard channel, so without it they are refused.
   */
  clusterNetworkPolicyChannel: z.enum(['standard', 'experimental']).optional(),
  /** Cells probed at every step in addition to the step's expectations. */
  matrix: z.strictObject({ from: z.array(z.string()).min(1), to: z.array(z.string()).min(1) }).optional(),
  steps: z.array(step).min(1),
});
export type SuiteFile = z.infer<typeof SuiteSchema>;
