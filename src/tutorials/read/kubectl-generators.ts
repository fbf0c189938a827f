// `kubectl create namespace|deployment|service clusterip` and `kubectl run`: the objects, labels and ports kubectl's
// own generators write, and what the new pod runs.
import type { KubeObject } from '../../manifest/objects.ts';
import { defaultTcpPort, lookupImage } from '../../model/images/catalog.ts';
import type { DocCommand } from './doc-command.ts';
import { inPod, SHELLS } from './in-pod.ts';
import { has, interactive, labelList, value, type KubectlArgs } from './kubectl-args.ts';

/** `kubectl create namespace|deployment|service clusterip`, as kubectl's generators write them. */
export function kubectlCreate(a: KubectlArgs, args: string[]): DocCommand {
  const [what, ...rest] = args;
  const namespace = a.namespace;
  const meta = (name: string, labels?: Record<string, string>) => ({ name, ...(namespace && { namespace }), ...(labels && { labels }) });
  if ((what === 'namespace' || what === 'ns') && rest[0]) return { kind: 'create-namespace', name: rest[0] };
  if ((what === 'deployment' || what === 'deploy') && rest[0] && value(a, '--image').length) {
    // kubectl create deployment: label app=NAME on the pods and as the selector, one container per --image.
    const name = rest[0];
    const replicas = Number(value(a, '--replicas').at(-1) ?? 1);
    const labels = { app: name };
    const containers = value(a, '--image').map((image) => {
      const port = servedPort(image, value(a, '--port').at(-1));
      return { name: containerName(image), image, ...(port && { ports: [{ containerPort: port }] }) };
    });
    const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, labels), spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers } } } };
    return { kind: 'create', objects: [deployment] };
  }
  if ((what === 'service' || what === 'svc') && rest[0] === 'clusterip' && rest[1]) {
    // kubectl create service clusterip NAME --tcp=PORT[:TARGET]: selector app=NAME, ports named PORT-TARGET.
    const name = rest[1];
    const ports = value(a, '--tcp')
      .flatMap((spec) => spec.split(','))
      .map((spec) => {
        const [port, target] = spec.split(':');
        return { name: `${port}-${target ?? port}`, port: Number(port), targetPort: Number(target ?? port), protocol: 'TCP' };
      });
    if (ports.length === 0 || ports.some((p) => !Number.isInteger(p.port) || !Number.isInteger(p.targetPort))) return { kind: 'unsupported', why: `kubectl create service clusterip ${name}: --tcp=PORT[:TARGET] is needed` };
    const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: meta(name, { app: name }), spec: { type: 'ClusterIP', selector: { app: name }, ports } };
    return { kind: 'create', objects: [service] };
  }
  return { kind: 'unsupported', why: `kubectl create ${args.join(' ')} is not read (only -f FILE, namespace, deployment and service clusterip)` };
}

/** The port a container serves: --port, else where its image listens when run as it is (the image catalog). */
export function servedPort(image: string, port: string | undefined): number | undefined {
  if (port !== undefined && /^\d+$/.test(port)) return Number(port);
  return defaultTcpPort(image);
}

/** kubectl names a generated container after its image: the last path part, without tag or digest. */
function containerName(image: string): string {
  return (image.split('/').at(-1) ?? image).replace(/[:@].*$/, '').replace(/[^a-z0-9-]/g, '-');
}

export function kubectlRun(a: KubectlArgs, args: string[]): DocCommand {
  // `test-$RANDOM`: a name the shell makes up; any stable name stands for it (test-random).
  const name = args[0]?.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (_, v: string) => v.toLowerCase().replace(/_/g, '-'));
  const image = value(a, '--image').at(-1);
  if (!name || !image) return { kind: 'unsupported', why: `kubectl run ${args.join(' ')}: a name and --image are needed` };
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) return { kind: 'unsupported', why: `kubectl run ${args[0]}: not a pod name kubectl accepts` };
  const labelText = value(a, '--labels', '-l').at(-1);
  const labels = labelText === undefined ? { run: name } : labelList(labelText);
  if (!labels) return { kind: 'unsupported', why: `kubectl run ${name}: --labels "${labelText}" is not KEY=VALUE,...` };
  const port = servedPort(image, value(a, '--port').at(-1));
  const expose = has(a, '--expose') && port ? { port } : undefined;
  // What the pod runs: the words after `--`, or, in the older form (`kubectl run NAME --image I /bin/sh`), after NAME.
  const command = a.rest.length ? a.rest : args.slice(1);
  const session = interactive(a) && (command.length === 0 ? shellImage(image) || (has(a, '--rm') && !('entry' in lookupImage(image))) : command.length === 1 && SHELLS.has(command[0]!));
  const probe = command.length ? inPod(command, name, a.namespace) : undefined;
  return { kind: 'run', name, namespace: a.namespace, image, labels, rm: has(a, '--rm'), session, probe: probe?.kind === 'probe' ? probe.call : undefined, expose, port };
}

// Images whose default command is a shell, so that `kubectl run -it NAME --image=I` with no command opens one: the
// Docker official images' "Default Command" (docker-library/repo-info@72e4be79, repos/<image>/remote/latest.md):
// ["sh"] (busybox), ["/bin/sh"] (alpine), ["bash"] or ["/bin/bash"] (debian, ubuntu, centos, fedora).
// An image the catalog does not know, run with -it and --rm and no command, is taken for a throwaway shell too:
// that is what the idiom is for (`kubectl run --rm -it --image=mcr.microsoft.com/dotnet/runtime-deps:6.0 test`,
// whose image inherits debian's ["bash"]); an image the catalog knows runs what the catalog says.
const SHELL_IMAGES = new Set(['busybox', 'alpine', 'debian', 'ubuntu', 'centos', 'fedora']);
const shellImage = (image: string) => SHELL_IMAGES.has((image.split('/').at(-1) ?? '').replace(/[:@].*$/, ''));
