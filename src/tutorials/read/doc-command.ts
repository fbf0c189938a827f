// What a tutorial's command line does, as far as connectivity goes (commands.ts reads it, kubectl.ts and in-pod.ts
// read the parts): the shared vocabulary of the extractor, which follows each kind.
import type { KubeObject } from '../../manifest/objects.ts';
import type { ProbeCall } from './probe-commands.ts';

export type PodField = 'name' | 'ip';

/** A `kubectl run`: a pod with its labels (kubectl's default is run=NAME), and what it runs. */
export interface RunCommand {
  kind: 'run';
  name: string;
  namespace?: string;
  image: string;
  labels: Record<string, string>;
  /** --rm: the pod is deleted when the command it runs ends. */
  rm: boolean;
  /** -it running a shell: the lines after it are typed into that shell, until `exit` or the block ends. */
  session: boolean;
  /** The command after `--`, when it is a probe: run once in the new pod. */
  probe?: ProbeCall;
  /** --expose --port=P: a Service of the same name in front of it. */
  expose?: { port: number };
  /** The port the pod serves (--port, or where its image listens). */
  port?: number;
}

export type DocCommand =
  /** `-R`: a folder's manifests in its subfolders too; `kustomize`: the files are kustomization folders (`-k DIR`). */
  | { kind: 'apply'; verb: 'apply' | 'create' | 'replace'; files: string[]; namespace?: string; recursive?: boolean; kustomize?: boolean }
  | { kind: 'delete-files'; files: string[]; namespace?: string; recursive?: boolean; kustomize?: boolean }
  /** `kubectl apply|create -f -` (or `delete -f -`): the manifests come from the here-document the line opens, or from `echo '...' |`. */
  | { kind: 'stdin'; verb: 'apply' | 'delete'; namespace?: string; content?: string }
  /** `echo '...' > FILE`, `cat <<EOF > FILE`: the text (else the here-document's) is what FILE holds from then on. */
  | { kind: 'write'; file: string; content?: string }
  | { kind: 'delete'; targets: { resource: string; kindName?: string; name: string }[]; namespace?: string }
  | { kind: 'create-namespace'; name: string }
  | { kind: 'label'; target: 'namespace' | 'pod'; name: string; set: Record<string, string | null>; namespace?: string }
  /** `VAR=$(kubectl get pods -l ...)`, or of one pod by its name (`pod`; `labels` then empty). */
  | { kind: 'bind'; variable: string; namespace?: string; labels: Record<string, string>; pod?: string; field: PodField }
  | { kind: 'probe'; namespace?: string; pod: string; call: ProbeCall }
  /** `kubectl logs POD|deploy/NAME|sts/NAME`: what the pod's own command printed (a client loop's responses). */
  | { kind: 'logs'; namespace?: string; pod: string }
  | RunCommand
  /** `kubectl exec -it POD -- sh`, `kubectl debug -it POD`: the lines after it are typed into the pod's shell (`node/NAME`: a node's). */
  | { kind: 'session'; namespace?: string; pod: string; node?: string }
  | { kind: 'create'; objects: KubeObject[] }
  | { kind: 'expose'; kindName: string; name: string; namespace?: string; service: string; port: number; targetPort?: number | string; protocol: string }
  | { kind: 'scale'; kindName: string; name: string; replicas: number; namespace?: string }
  /** `kubectl rollout restart TYPE/NAME`: the workload's pods replaced by new ones from the same template. */
  | { kind: 'restart'; kindName: string; name: string; namespace?: string }
  /** A command other than kubectl that changes the cluster (helm, cilium, minikube, kind). */
  | { kind: 'external'; program: string }
  /** kubectl that changes the cluster in a way the harness cannot follow (stdin, edit, patch, ...). */
  | { kind: 'unsupported'; why: string }
  /** A command that could be a probe but is not one the harness runs (nslookup, ping -6, curl on the reader's machine). */
  | { kind: 'skipped'; why: string }
  /** Shell syntax that only closes a loop or a branch (`done`, `fi`): no command, and the output after it is still its probes'. */
  | { kind: 'syntax' }
  | { kind: 'other'; program: string };
