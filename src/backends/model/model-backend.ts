// The embedded model as a backend: objects live in memory, and `exec` of the probe command answers what curl in
// that pod would print. It is no CNI: reports name it as the model.
import type { KubeObject, ObjectRef } from '../../manifest/objects.ts';
import { formatRef } from '../../manifest/objects.ts';
import { ModelCluster, type ModelPod } from '../../model/cluster.ts';
import type { WorldHost } from '../../world/world.ts';
import { simulateProbe, type ProbeSimulation } from '../../model/simulate.ts';
import { compileSelector, lookupIn } from '../../manifest/selector.ts';
import type { ExecResult } from '../../probe/classify.ts';
import { parseProbeArgv } from '../../probe/command.ts';
import type { ClusterBackend, PodInfo, PodQuery } from '../backend.ts';
import { turn } from '../event-loop.ts';

export class ModelBackend implements ClusterBackend {
  readonly name = 'model';
  readonly observesPredictions = true;
  readonly cluster: ModelCluster;

  constructor(world: readonly WorldHost[] = []) {
    this.cluster = new ModelCluster(world);
  }

  async apply(objects: KubeObject[]): Promise<void> {
    for (const object of objects) this.cluster.apply(object);
  }

  async remove(refs: ObjectRef[], options: { ignoreMissing?: boolean } = {}): Promise<void> {
    for (const ref of refs) {
      if (!this.cluster.remove(ref) && !options.ignoreMissing) throw new Error(`${formatRef(ref)} not found`);
    }
  }

  async waitReady(refs: ObjectRef[]): Promise<void> {
    const missing = refs.filter((ref) => !this.cluster.get(ref));
    if (missing.length) throw new Error(`not found: ${missing.map(formatRef).join(', ')}`);
  }

  async pods(query: PodQuery): Promise<PodInfo[]> {
    const matches = compileSelector({ matchLabels: query.labels });
    return this.cluster
      .pods()
      .filter((p) => p.namespace === query.namespace && matches(lookupIn(p.labels)))
      .map(({ name, namespace, labels, ip, image }) => ({ name, namespace, labels, ip, image }));
  }

  async serviceIP(service: { namespace: string; name: string }): Promise<string | undefined> {
    return this.cluster.services().find((s) => s.namespace === service.namespace && s.name === service.name)?.clusterIP;
  }

  async labels(ref: ObjectRef): Promise<Record<string, string> | undefined> {
    return this.cluster.labelsOf(ref);
  }

  async setLabels(ref: ObjectRef, patch: Record<string, string | null>): Promise<void> {
    this.cluster.setLabels(ref, patch);
  }

  async setPolicyAudit(on: boolean): Promise<void> {
    this.cluster.setPolicyAudit(on);
  }

  async probe(pod: { namespace: string; name: string }, probes: string[][], _timeoutMs?: number, signal?: AbortSignal): Promise<ExecResult[]> {
    const results: ExecResult[] = [];
    for (const argv of probes) {
      await turn(signal);
      const simulation = this.simulate(pod, argv);
      results.push('exec' in simulation ? simulation.exec : simulation);
    }
    return results;
  }

  /** The probe with the model's full account of it; an ExecResult of a failed exec for anything but the probe command. */
  simulate(pod: { namespace: string; name: string }, argv: string[]): ProbeSimulation | ExecResult {
    const client = this.findPod(pod);
    if (!client) return { exitCode: 1, stdout: '', stderr: `Error from server (NotFound): pods "${pod.name}" not found\n` };
    const request = parseProbeArgv(argv);
    if (!request) return { exitCode: 126, stdout: '', stderr: `the model backend only runs the probe command, not: ${argv.join(' ')}\n` };
    return simulateProbe(this.cluster, client, request);
  }

  async waitEnforced(): Promise<'confirmed' | 'unconfirmed'> {
    // The model enforces every change at once.
    return 'confirmed';
  }

  private findPod(pod: { namespace: string; name: string }): ModelPod | undefined {
    return this.cluster.pod(pod.namespace, pod.name);
  }
}
