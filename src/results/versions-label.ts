// The label of a run in a comparison and its annotations: the versions it ran on, as the comparison file writes it.
import type { RunEnvironment } from './result.ts';

/** "cilium 1.19.8 / k8s v1.35.5" (or the other CNI's name), or the backend where no version is known. */
export function versionsLabel(env: RunEnvironment): string {
  const parts = [env.ciliumVersion && `cilium ${env.ciliumVersion}`, env.cni, env.kubernetesVersion && `k8s ${env.kubernetesVersion}`].filter(Boolean);
  return parts.length ? parts.join(' / ') : env.backend;
}
