// Which cluster a run goes to and how long one request may take by default: what the command line declares its
// options from, kept apart from client-node so that `--help` and a run on the model never load the kube backend.
import type { ApiBounds } from './bounded-http.ts';

export const KIND_CLUSTER = process.env.NETPOL_E2E_CLUSTER ?? 'netpol-e2e';

export type ClusterChoice = { backend: 'kind'; cluster?: string } | { backend: 'context'; context?: string };

/** The kubeconfig context a choice runs against (kind's is `kind-<cluster>`). */
export const contextOf = (choice: ClusterChoice): string | undefined => (choice.backend === 'kind' ? `kind-${choice.cluster ?? KIND_CLUSTER}` : choice.context);

/**
 * Defaults: the API server bounds its own calls to 60 s (--request-timeout's default, k8s.io/apiserver
 * pkg/server/config.go RequestTimeout); a list of a namespace's pods is kilobytes to a few megabytes; the API
 * server sends a watch a bookmark about once a minute (k8s.io/apiserver pkg/storage/cacher, defaultBookmarkFrequency).
 */
export const DEFAULT_BOUNDS: ApiBounds = { requestTimeoutMs: 60_000, maxResponseBytes: 64 * 1024 * 1024, watchIdleMs: 90_000 };
