#!/usr/bin/env node
// One stand-in for docker, kind, helm, kubectl and openssl, and for the runner's sudo, apt-get, modprobe and sysctl
// (argv[2] names the tool; kubectl@vX.Y.Z is the kubectl of that version), for `npm run rehearse`. Each accepts only
// the argv the real tool accepts for the commands cluster:up, cluster:down, the CLI and the e2e workflow run, answers
// as the real tool prints, keeps the cluster's (and the runner's) state in $REHEARSAL_STATE, and appends one JSON
// line per invocation to $REHEARSAL_LOG. Sources of each behaviour are cited beside it. Plain JavaScript: it starts
// once per command.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { parse as parseYaml, stringify } from 'yaml';

const [toolArg, ...argv] = process.argv.slice(2);
const [tool, version] = toolArg.split('@');
const statePath = process.env.REHEARSAL_STATE;
let state = JSON.parse(readFileSync(statePath, 'utf8'));
/** Whether the command runs as root: sudo's children do; otherwise this process's own user ($REHEARSAL_UID overrides). */
const root = (process.env.REHEARSAL_UID ?? String(process.getuid())) === '0';
/** The runner's kernel, as `uname -r` prints it (the workflow's shell runs the real uname). */
const kernel = () => state.host?.kernel ?? release();
const stdin = process.stdin.isTTY ? '' : readStdin();
function readStdin() {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

class Exit extends Error {
  constructor(code, stderr = '', stdout = '') {
    super(stderr);
    Object.assign(this, { code, stderr, stdout });
  }
}
const reached = (key) => state.reached.includes(key) || state.reached.push(key);
/** Marks a scripted command reached; what it prints on stdout and stderr. */
const ok = (key, stdout = '', stderr = '') => (reached(key), [stdout, stderr]);
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** An image reference as distribution/reference's grammar reads it: [host[:port]/]path[:tag][@sha256:hex], lower case. */
const IMAGE_REF = /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;
/** As the daemon keeps names: docker.io/library/ and docker.io/ are implied (distribution/reference normalize.go). */
const normalized = (ref) => ref.replace(/^docker\.io\//, '').replace(/^library\//, '');
const repository = (ref) => ref.split('@')[0].replace(/:[^:/]+$/, '');

/** Splits argv into flags (with their values) and positionals; an unknown flag is an error, as pflag says it. */
function parse(args, spec, unknown) {
  const flags = {};
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-' || !a.startsWith('-')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.split(/=(.*)/s);
    const kind = spec[name];
    if (kind === undefined) throw unknown(name);
    const value = kind === 'bool' ? (inline ?? 'true') : (inline ?? args[++i]);
    if (value === undefined) throw new Exit(1, `flag needs an argument: ${name}\n`);
    (flags[name] ??= []).push(value);
  }
  return { flags, positional };
}

const tools = {
  // docker CLI: cobra/pflag; a flag error exits 125 ("docker: unknown flag: --x", cli/cobra.go FlagErrorFunc).
  docker(args) {
    const unknown = (f) => new Exit(125, `unknown flag: ${f}\nSee 'docker --help'.\n`);
    const [cmd, ...rest] = args;
    if (cmd === 'info') {
      const { flags } = parse(rest, { '--format': 'string', '-f': 'string' }, unknown);
      if (flags['--format']?.[0] !== '{{.ServerVersion}}') throw new Exit(1, 'rehearsal: unexpected docker info format\n');
      return ok('docker info', '28.5.1\n');
    }
    if (cmd === 'run') {
      // docker run: flags end at the image; the rest is the container's command.
      const image = rest.findIndex((a, i) => !a.startsWith('-') && !['--name', '--network', '--cap-add', '-v', '--volume'].includes(rest[i - 1]));
      const { flags } = parse(rest.slice(0, image), { '-d': 'bool', '--detach': 'bool', '--name': 'string', '--network': 'string', '--cap-add': 'string', '-v': 'string', '--volume': 'string' }, unknown);
      const name = flags['--name']?.[0];
      if (state.containers[name]) throw new Exit(125, `docker: Error response from daemon: Conflict. The container name "/${name}" is already in use.\n`);
      if (flags['--network']?.[0] !== 'kind' || !state.networkKind) throw new Exit(125, `docker: Error response from daemon: network ${flags['--network']?.[0]} not found.\n`);
      for (const v of flags['-v'] ?? []) {
        const [src, dst, mode] = v.split(':');
        if (!src.startsWith('/') || !dst?.startsWith('/') || (mode && mode !== 'ro' && mode !== 'rw')) throw new Exit(125, `docker: invalid volume specification: '${v}'\n`);
        if (!existsSync(src)) throw new Exit(125, `rehearsal: bind mount source ${src} does not exist (docker would mount an empty directory there)\n`);
      }
      state.containers[name] = { image: rest[image], ip: `172.18.0.${10 + Object.keys(state.containers).length}`, capAdd: flags['--cap-add'] ?? [], addresses: [] };
      return ok('docker run', `${'f'.repeat(64)}\n`);
    }
    if (cmd === 'rm') {
      const { flags, positional } = parse(rest, { '-f': 'bool', '--force': 'bool' }, unknown);
      for (const n of positional) {
        // A missing container is an error, but not with --force since Docker 23 (docker/cli
        // cli/command/container/rm.go: a NotFound error is ignored when forced).
        if (!state.containers[n] && !(flags['-f'] || flags['--force'])) throw new Exit(1, `Error response from daemon: No such container: ${n}\n`);
        delete state.containers[n];
      }
      return ok('docker rm', `${positional.join('\n')}\n`);
    }
    if (cmd === 'pull') {
      // docker/cli cli/command/image/pull.go: the reference is parsed first (distribution/reference: "invalid reference
      // format"); a tag and a digest together pull by the digest. Non-TTY output ends with the reference pulled.
      const { positional } = parse(rest, { '-q': 'bool', '--quiet': 'bool', '--platform': 'string', '-a': 'bool', '--all-tags': 'bool' }, unknown);
      if (positional.length !== 1) throw new Exit(1, `"docker pull" requires exactly 1 argument.\nSee 'docker pull --help'.\n`);
      const ref = positional[0];
      if (!IMAGE_REF.test(ref)) throw new Exit(1, 'invalid reference format\n');
      state.images = { ...state.images, [normalized(ref)]: `sha256:${String(Object.keys(state.images ?? {}).length).padStart(64, '0')}` };
      return ok('docker pull', `${ref.split('@')[1] ?? ref.split(':').at(-1)}: Pulling from ${repository(ref)}\nDigest: sha256:${'d'.repeat(64)}\nStatus: Downloaded newer image for ${ref}\n${ref}\n`);
    }
    if (cmd === 'tag') {
      // docker tag SOURCE TARGET (cli/command/image/tag.go, cli.ExactArgs(2)); the source must be an image the daemon
      // has ("No such image"); a target with a digest is refused (moby client/image_tag.go).
      const { positional } = parse(rest, {}, unknown);
      if (positional.length !== 2) throw new Exit(1, `"docker tag" requires exactly 2 arguments.\nSee 'docker tag --help'.\n`);
      const [source, target] = positional;
      if (!IMAGE_REF.test(source) || !IMAGE_REF.test(target)) throw new Exit(1, 'invalid reference format\n');
      if (target.includes('@')) throw new Exit(1, 'refusing to create a tag with a digest reference\n');
      const id = state.images?.[normalized(source)];
      if (!id) throw new Exit(1, `Error response from daemon: No such image: ${source}\n`);
      state.images[normalized(target)] = id;
      return ok('docker tag', '');
    }
    if (cmd === 'inspect') {
      const { flags, positional } = parse(rest, { '-f': 'string', '--format': 'string' }, unknown);
      const template = (flags['-f'] ?? flags['--format'])?.[0] ?? '';
      // A Go template split by a shell reaches docker in pieces: text/template reports the unclosed action.
      if ((template.match(/\{\{/g) ?? []).length !== (template.match(/\}\}/g) ?? []).length) throw new Exit(1, 'template parsing error: template: :1: unclosed action\n');
      if (positional.length !== 1) throw new Exit(1, `rehearsal: docker inspect got ${positional.length} objects (${positional.join(' ')}): a template split into several arguments?\n`);
      const c = state.containers[positional[0]];
      if (!c) throw new Exit(1, `Error: No such object: ${positional[0]}\n`);
      if (template !== '{{(index .NetworkSettings.Networks "kind").IPAddress}}') throw new Exit(1, `rehearsal: unscripted template ${template}\n`);
      return ok('docker inspect', `${c.ip}\n`);
    }
    if (cmd === 'exec') {
      const [name, ...command] = rest;
      const c =
        state.containers[name] ??
        Object.values(state.clusters)
          .flatMap((k) => k.nodes)
          .find((n) => n.name === name);
      if (!c) throw new Exit(1, `Error response from daemon: No such container: ${name}\n`);
      const line = command.join(' ');
      let m;
      if ((m = /^ip addr add (\S+)\/32 dev lo$/.exec(line))) {
        // busybox ip in nginx:alpine: needs CAP_NET_ADMIN ("ip: RTNETLINK answers: Operation not permitted").
        if (!c.capAdd?.includes('NET_ADMIN')) throw new Exit(2, 'ip: RTNETLINK answers: Operation not permitted\n');
        if (!IPV4.test(m[1])) throw new Exit(1, `ip: invalid address '${m[1]}'\n`);
        if (c.addresses.includes(m[1])) throw new Exit(2, 'ip: RTNETLINK answers: File exists\n');
        c.addresses.push(m[1]);
        return ok('docker exec ip addr add', '');
      }
      if ((m = /^ip route replace (\S+)\/32 via (\S+)$/.exec(line))) {
        const via = Object.values(state.containers).find((x) => x.ip === m[2]);
        // iproute2: a next hop not on the node's networks is "Nexthop has invalid gateway".
        if (!via) throw new Exit(2, 'Error: Nexthop has invalid gateway.\n');
        c.routes = { ...c.routes, [m[1]]: m[2] };
        return ok('docker exec ip route replace', '');
      }
      // kind nodes carry kmod and the host's /lib/modules (kind images/base/Dockerfile, providers/docker/provision.go).
      if (line === 'modprobe sctp') return state.sctp ? ok('docker exec modprobe sctp') : (reached('docker exec modprobe sctp'), fail(1, 'modprobe: FATAL: Module sctp not found in directory /lib/modules/6.8.0-azure\n'));
      if (line === 'test -d /proc/sys/net/sctp') return state.sctp ? ok('docker exec test sctp') : (reached('docker exec test sctp'), fail(1, ''));
      throw new Exit(127, `rehearsal: unscripted command in ${name}: ${line}\n`);
    }
    throw new Exit(1, `rehearsal: unscripted docker ${cmd}\n`);
  },

  // kind: cobra; errors print "ERROR: ..." and exit 1 (kind pkg/cmd/kind/root.go).
  kind(args) {
    const unknown = (f) => new Exit(1, `ERROR: unknown flag: ${f}\n`);
    const [a, b, ...rest] = args;
    const { flags } = parse(rest, { '--name': 'string', '-n': 'string', '--config': 'string', '--image': 'string', '--nodes': 'string' }, unknown);
    const name = flags['--name']?.[0] ?? 'kind';
    if (a === 'get' && b === 'clusters') {
      const names = Object.keys(state.clusters);
      if (!names.length) throw Object.assign(new Exit(0, 'No kind clusters found.\n'), { ok: true });
      return ok('kind get clusters', `${names.join('\n')}\n`);
    }
    // Nodes are <cluster>-control-plane, <cluster>-worker, <cluster>-worker2, ...: the second of a role is numbered
    // (kind pkg/cluster/internal/providers/common/namer.go, MakeNodeNamer).
    if (a === 'get' && b === 'nodes') {
      if (!state.clusters[name]) throw new Exit(0, `No kind nodes found for cluster "${name}".\n`);
      return ok('kind get nodes', `${state.clusters[name].nodes.map((n) => n.name).join('\n')}\n`);
    }
    if (a === 'create' && b === 'cluster') {
      const config = flags['--config']?.[0];
      if (!config || !existsSync(config)) throw new Exit(1, `ERROR: failed to create cluster: error reading file: open ${config}: no such file or directory\n`);
      const text = readFileSync(config, 'utf8');
      if (!/^apiVersion: kind\.x-k8s\.io\/v1alpha4$/m.test(text) || !/^kind: Cluster$/m.test(text)) throw new Exit(1, 'ERROR: failed to create cluster: unknown apiVersion\n');
      if (!/^kindest\/node:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/.test(flags['--image']?.[0] ?? '')) throw new Exit(1, `ERROR: rehearsal: node image not pinned by digest: ${flags['--image']}\n`);
      if (state.clusters[name]) throw new Exit(1, `ERROR: failed to create cluster: node(s) already exist for a cluster with the name "${name}"\n`);
      const roles = [...text.matchAll(/- role: (\S+)/g)].map((m) => m[1]);
      let workers = 0;
      const nodes = roles.map((r) => ({ name: r === 'control-plane' ? `${name}-control-plane` : `${name}-worker${workers++ ? workers : ''}`, ip: `172.18.0.${2 + workers}`, addresses: [] }));
      // kubeadm deploys CoreDNS (Deployment coredns in kube-system); the nodes hold no loaded image yet.
      state.clusters[name] = { image: flags['--image'][0], nodes, images: [], workloads: ['deployment/coredns'] };
      state.networkKind = true;
      // kubeadm's CoreDNS ConfigMap (kubernetes/cmd/kubeadm/app/phases/addons/dns/manifests.go CoreDNSConfigMap).
      state.configmaps[`kube-system/coredns`] = { data: { Corefile: process.env.REHEARSAL_COREFILE } };
      return ok('kind create cluster', '', `Creating cluster "${name}" ...\nSet kubectl context to "kind-${name}"\n`);
    }
    if (a === 'load' && b === 'docker-image') {
      // kind pkg/cmd/kind/load/docker-image: at least one image, each present in the local Docker ("not present
      // locally"), a cluster with nodes; each node without the image gets it.
      const images = rest.filter((x, n) => !x.startsWith('-') && !['--name', '-n', '--nodes'].includes(rest[n - 1]));
      if (!images.length) throw new Exit(1, 'ERROR: a list of image names is required\n');
      for (const image of images) if (!state.images?.[normalized(image)]) throw new Exit(1, `ERROR: image: "${image}" not present locally\n`);
      const cluster = state.clusters[name];
      if (!cluster) throw new Exit(1, `ERROR: no nodes found for cluster "${name}"\n`);
      const lines = images.flatMap((image) => cluster.nodes.map((n) => `Image: "${image}" with ID "${state.images[normalized(image)]}" not yet present on node "${n.name}", loading...`));
      cluster.images = [...new Set([...(cluster.images ?? []), ...images.map(normalized)])];
      return ok('kind load docker-image', '', `${lines.join('\n')}\n`);
    }
    if (a === 'export' && b === 'logs') {
      // kind export logs [DIR]: the directory is the first positional after "export logs" (kind pkg/cmd/kind/export/logs).
      const dir = rest.find((x, n) => !x.startsWith('-') && !['--name', '-n'].includes(rest[n - 1]));
      if (!state.clusters[name]) throw new Exit(1, `ERROR: unknown cluster "${name}"\n`);
      if (dir) mkdirSync(dir, { recursive: true });
      return ok('kind export logs', `Exporting logs for cluster "${name}" to:\n${dir}\n`);
    }
    if (a === 'delete' && b === 'cluster') {
      delete state.clusters[name];
      state.configmaps = {};
      return ok('kind delete cluster', '', `Deleting cluster "${name}" ...\n`);
    }
    throw new Exit(1, `ERROR: rehearsal: unscripted kind ${a} ${b}\n`);
  },

  // helm v4: pflag errors "Error: unknown flag: --x" exit 1 (helm pkg/cmd/upgrade.go, flags.go, cli/environment.go).
  helm(args) {
    const unknown = (f) => new Exit(1, `Error: unknown flag: ${f}\n`);
    const [cmd, ...rest] = args;
    if (cmd !== 'upgrade') throw new Exit(1, `Error: rehearsal: unscripted helm ${cmd}\n`);
    const spec = {
      '--install': 'bool',
      '-i': 'bool',
      '--repo': 'string',
      '--version': 'string',
      '--namespace': 'string',
      '-n': 'string',
      '--kube-context': 'string',
      '-f': 'string',
      '--values': 'string',
      '--set': 'string',
      '--create-namespace': 'bool',
      '--wait': 'bool',
      '--timeout': 'string',
    };
    const { flags, positional } = parse(rest, spec, unknown);
    if (positional.length !== 2) throw new Exit(1, `Error: "helm upgrade" requires 2 arguments\n`);
    for (const f of [...(flags['-f'] ?? []), ...(flags['--values'] ?? [])]) if (!existsSync(f)) throw new Exit(1, `Error: open ${f}: no such file or directory\n`);
    if (flags['--timeout'] && !/^\d+(ms|s|m|h)$/.test(flags['--timeout'][0])) throw new Exit(1, `Error: invalid argument "${flags['--timeout'][0]}" for "--timeout" flag: time: invalid duration\n`);
    const pinned = JSON.parse(process.env.REHEARSAL_CHARTS)[positional[1]];
    if (!pinned || flags['--repo']?.[0] !== pinned.repo || !pinned.versions.includes(flags['--version']?.[0])) {
      throw new Exit(1, `Error: rehearsal: chart ${positional[1]} ${flags['--version']} from ${flags['--repo']} is not a pinned one\n`);
    }
    const context = flags['--kube-context']?.[0];
    if (!state.clusters[context?.replace(/^kind-/, '')]) throw new Exit(1, `Error: Kubernetes cluster unreachable: context "${context}" does not exist\n`);
    if (positional[1] === 'cilium') {
      // What the Cilium chart deploys with these values (hubble.relay.enabled in cluster/cilium/values.yaml). Envoy
      // runs as the DaemonSet cilium-envoy unless l7Proxy or envoy.enabled is false: templates/_helpers.tpl
      // envoyDaemonSetEnabled, and values.yaml envoy.enabled "true for new installation", in the charts 1.18.11,
      // 1.19.5 and 1.20.0-pre.3 (cilium/charts). The relay's Service listens on 80 without TLS
      // (templates/hubble-relay/service.yaml: tls.server.enabled ternary 443 80).
      const values = (key) =>
        [...(flags['-f'] ?? []), ...(flags['--values'] ?? [])]
          .map((f) => key.split('.').reduce((o, k) => o?.[k], parseYaml(readFileSync(f, 'utf8')) ?? {}))
          .concat((flags['--set'] ?? []).filter((x) => x.startsWith(`${key}=`)).map((x) => x.split('=')[1]))
          .filter((x) => x !== undefined)
          .map(String)
          .at(-1);
      const envoy = values('l7Proxy') !== 'false' && values('envoy.enabled') !== 'false';
      const cluster = state.clusters[context.replace(/^kind-/, '')];
      cluster.workloads = [...new Set([...(cluster.workloads ?? []), 'daemonset/cilium', 'deployment/cilium-operator', 'deployment/hubble-relay', ...(envoy ? ['daemonset/cilium-envoy'] : [])])];
      cluster.services = { ...cluster.services, 'kube-system/hubble-relay': { clusterIP: '10.96.118.21', port: 80 } };
    }
    return ok('helm upgrade --install', `Release "${positional[0]}" does not exist. Installing it now.\nSTATUS: deployed\n`);
  },

  // kubectl: "error: unknown flag: --x" exit 1 (k8s.io/kubectl/pkg/cmd/util/helpers.go).
  kubectl(argsIn) {
    let args = argsIn;
    const unknown = (f) => new Exit(1, `error: unknown flag: ${f}\nSee 'kubectl --help' for usage.\n`);
    // Everything after `--` is the command of kubectl exec, not kubectl's own argv.
    const dash = args.indexOf('--');
    const command = dash < 0 ? [] : args.slice(dash + 1);
    if (dash >= 0) args = args.slice(0, dash);
    const spec = {
      '-c': 'string',
      '--container': 'string',
      '-A': 'bool',
      '--all-namespaces': 'bool',
      '--context': 'string',
      '-n': 'string',
      '--namespace': 'string',
      '-o': 'string',
      '--dry-run': 'string',
      '--from-literal': 'string',
      '-f': 'string',
      '--overwrite': 'bool',
      '--type': 'string',
      '--patch-file': 'string',
      '--timeout': 'string',
      '--for': 'string',
      '--all': 'bool',
      '--ignore-not-found': 'bool',
    };
    const { flags, positional } = parse(args, spec, unknown);
    const context = flags['--context']?.[0];
    const cluster = state.clusters[context?.replace(/^kind-/, '')];
    if (!cluster) throw new Exit(1, `error: context "${context}" does not exist\n`);
    const ns = (flags['-n'] ?? flags['--namespace'])?.[0] ?? 'default';
    const [verb, ...rest] = positional;
    const line = rest.join(' ');
    if (verb === 'exec') {
      if (!/^(ds|daemonset)\/cilium$/.test(rest[0] ?? '') || (flags['-c'] ?? flags['--container'])?.[0] !== 'cilium-agent' || !command.length) throw new Exit(1, 'rehearsal: unscripted exec\n');
      if (command.join(' ') === 'cilium-dbg status --verbose') return ok('kubectl exec cilium-dbg status', 'KVStore:    Disabled\nKubernetes: Ok   1.36 (v1.36.1) [linux/amd64]\nCilium:     Ok   1.20.2\n');
      if (command[0] === 'hubble' && command[1] === 'observe') {
        // The agent image carries the hubble CLI (images/cilium/Dockerfile: /usr/bin/hubble, HUBBLE_SERVER the agent's
        // own socket); --server asks Hubble Relay, which merges every node's flows. The agent pod is host-networked
        // without cluster DNS (the chart's dnsPolicy is empty), so a Service name does not resolve there: the relay is
        // reached at its ClusterIP.
        const server = command.find((_x, n) => command[n - 1] === '--server') ?? command.find((x) => x.startsWith('--server='))?.slice(9);
        const relay = cluster.services?.['kube-system/hubble-relay'];
        if (!server) throw new Exit(1, "rehearsal: unscripted hubble observe without --server (the agent's own node only)\n");
        if (server !== `${relay?.clusterIP}:${relay?.port}`) throw new Exit(1, `failed to connect to '${server}': rpc error: code = Unavailable desc = name resolver error: produced zero addresses\ncommand terminated with exit code 1\n`);
        return ok('kubectl exec hubble observe --server relay', '{"flow":{"verdict":"FORWARDED","node_name":"netpol-e2e-worker"}}\n{"flow":{"verdict":"DROPPED","drop_reason_desc":"POLICY_DENIED","node_name":"netpol-e2e-worker2"}}\n');
      }
      throw new Exit(127, `OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0]}": executable file not found in $PATH: unknown\ncommand terminated with exit code 127\n`);
    }
    if (verb === 'get' && (rest[0] === 'daemonset' || rest[0] === 'ds') && rest[1]) {
      // The name printer prints <resource>.<group>/<name>; --ignore-not-found turns NotFound into no output, exit 0
      // (k8s.io/kubectl pkg/cmd/get/get.go).
      const found = (cluster.workloads ?? []).includes(`daemonset/${rest[1]}`);
      if (flags['-o']?.[0] !== 'name') throw new Exit(1, `rehearsal: unscripted get daemonset -o ${flags['-o']}\n`);
      if (!found && !flags['--ignore-not-found']) throw new Exit(1, `Error from server (NotFound): daemonsets.apps "${rest[1]}" not found\n`);
      return found ? ok('kubectl get daemonset -o name', `daemonset.apps/${rest[1]}\n`) : ok('kubectl get daemonset --ignore-not-found, none', '');
    }
    if (verb === 'get' && (rest[0] === 'svc' || rest[0] === 'service') && rest[1]) {
      // jsonpath output is the template filled in, with no newline after it (k8s.io/client-go util/jsonpath).
      const svc = cluster.services?.[`${ns}/${rest[1]}`];
      if (!svc) throw new Exit(1, `Error from server (NotFound): services "${rest[1]}" not found\n`);
      if (flags['-o']?.[0] !== 'jsonpath={.spec.clusterIP}:{.spec.ports[0].port}') throw new Exit(1, `rehearsal: unscripted get svc -o ${flags['-o']}\n`);
      return ok('kubectl get svc -o jsonpath', `${svc.clusterIP}:${svc.port}`);
    }
    if (verb === 'get' && rest[0] === 'pods') {
      if (!(flags['-A'] || flags['--all-namespaces']) || flags['-o']?.[0] !== 'wide') throw new Exit(1, 'rehearsal: unscripted get pods\n');
      return ok(
        'kubectl get pods -A -o wide',
        'NAMESPACE     NAME                 READY   STATUS    RESTARTS   AGE   IP           NODE\nkube-system   cilium-abcde         1/1     Running   0          5m    172.18.0.3   netpol-e2e-worker\n',
      );
    }
    if (verb === 'create' && rest[0] === 'configmap') {
      if (flags['--dry-run']?.[0] !== 'client' || flags['-o']?.[0] !== 'yaml') throw new Exit(1, 'rehearsal: create configmap without --dry-run=client -o yaml would create it\n');
      const data = Object.fromEntries((flags['--from-literal'] ?? []).map((l) => l.split(/=(.*)/s).slice(0, 2)));
      // kubectl prints the object as sigs.k8s.io/yaml does: keys sorted, strings quoted only where YAML needs it.
      const object = { apiVersion: 'v1', data, kind: 'ConfigMap', metadata: { creationTimestamp: null, name: rest[1], namespace: ns } };
      return ok('kubectl create configmap --dry-run', stringify(object, { sortMapEntries: true }));
    }
    if (verb === 'apply' && /^https?:\/\//.test(flags['-f']?.[0] ?? '')) {
      // kubectl fetches a URL itself and prints "<resource>.<group>/<name> created|unchanged" (kubectl apply's
      // printer). Only the pinned ClusterNetworkPolicy CRD is scripted; the rehearsal has no network.
      if (flags['-f'][0] !== process.env.REHEARSAL_KCNP_CRD) throw new Exit(1, `error: rehearsal: unscripted URL ${flags['-f'][0]}\n`);
      const crd = 'clusternetworkpolicies.policy.networking.k8s.io';
      const done = state.crds?.includes(crd) ? 'unchanged' : 'created';
      state.crds = [...new Set([...(state.crds ?? []), crd])];
      return ok('kubectl apply -f CRD URL', `customresourcedefinition.apiextensions.k8s.io/${crd} ${done}\n`);
    }
    if (verb === 'apply') {
      const object = flags['-f']?.[0] === '-' ? parseYaml(stdin) : undefined;
      if (object?.kind !== 'ConfigMap') throw new Exit(1, 'error: no objects passed to apply\n');
      const { name, namespace } = object.metadata;
      const data = object.data ?? {};
      const key = `${namespace}/${name}`;
      const verbDone = state.configmaps[key] ? 'configured' : 'created';
      state.configmaps[key] = { ...state.configmaps[key], data };
      return ok('kubectl apply -f -', `configmap/${name} ${verbDone}\n`);
    }
    if (verb === 'label') {
      const [kind, name, ...labels] = rest;
      const cm = state.configmaps[`${ns}/${name}`];
      if (kind !== 'configmap' || !cm) throw new Exit(1, `Error from server (NotFound): configmaps "${name}" not found\n`);
      cm.labels = { ...cm.labels, ...Object.fromEntries(labels.map((l) => l.split('='))) };
      return ok('kubectl label', `configmap/${name} labeled\n`);
    }
    if (verb === 'get' && rest[0] === 'configmap') {
      const cm = state.configmaps[`${ns}/${rest[1]}`];
      if (!cm) throw new Exit(1, `Error from server (NotFound): configmaps "${rest[1]}" not found\n`);
      const m = /^jsonpath=\{\.data\.(\w+)\}$/.exec(flags['-o']?.[0] ?? '');
      if (!m) throw new Exit(1, `rehearsal: unscripted output ${flags['-o']}\n`);
      return ok('kubectl get configmap -o jsonpath', cm.data?.[m[1]] ?? '');
    }
    if (verb === 'patch' && rest[0] === 'configmap') {
      if (flags['--type']?.[0] !== 'merge' || flags['--patch-file']?.[0] !== '/dev/stdin') throw new Exit(1, 'rehearsal: unscripted patch\n');
      const cm = state.configmaps[`${ns}/${rest[1]}`];
      if (!cm) throw new Exit(1, `Error from server (NotFound): configmaps "${rest[1]}" not found\n`);
      const patch = JSON.parse(stdin);
      cm.data = { ...cm.data, ...patch.data };
      return ok('kubectl patch configmap', `configmap/${rest[1]} patched\n`);
    }
    // Wording of kubectl's status viewers (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go) and of
    // `kubectl wait` ("<kind>/<name> condition met", k8s.io/kubectl/pkg/cmd/wait/condition.go).
    if (verb === 'rollout' && rest[0] === 'status') {
      if (!/^\d+[smh]$/.test(flags['--timeout']?.[0] ?? '')) throw new Exit(1, 'error: invalid --timeout\n');
      const [kind, name] = rest[1].split('/');
      const words = { daemonset: 'daemon set', deployment: 'deployment' }[kind];
      if (!words) throw new Exit(1, `error: no status viewer has been implemented for ${kind}\n`);
      // The object must exist: Error from server (NotFound): <resource>.<group> "<name>" not found.
      if (!(cluster.workloads ?? []).includes(`${kind}/${name}`)) throw new Exit(1, `Error from server (NotFound): ${kind}s.apps "${name}" not found\n`);
      return ok('kubectl rollout status', `${words} "${name}" successfully rolled out\n`);
    }
    if (verb === 'rollout' && rest[0] === 'restart') return ok('kubectl rollout restart', `deployment.apps/${rest[1].split('/')[1]} restarted\n`);
    if (verb === 'wait' && line === 'nodes') {
      if (flags['--for']?.[0] !== 'condition=Ready' || !flags['--all']) throw new Exit(1, 'rehearsal: unscripted wait\n');
      return ok('kubectl wait nodes', `${state.clusters[context.replace(/^kind-/, '')].nodes.map((n) => `node/${n.name} condition met`).join('\n')}\n`);
    }
    throw new Exit(1, `rehearsal: unscripted kubectl ${positional.join(' ')}\n`);
  },

  // sudo (src/parse_args.c): options end at the command, which runs as root; an unknown option is getopt_long's
  // "unrecognized option" (or "invalid option -- 'x'") and the usage, exit 1 (sudo 1.9.13p3). The command is found on
  // the PATH, so the rehearsal's stand-ins run under it; the state it leaves is read back afterwards.
  sudo(args) {
    const [first, ...command] = args;
    if (!first) throw new Exit(1, 'usage: sudo -h | -K | -k | -V\n');
    if (first.startsWith('-')) throw new Exit(1, `${first.startsWith('--') ? `sudo: unrecognized option '${first}'` : `sudo: invalid option -- '${first[1]}'`}\nusage: sudo -h | -K | -k | -V\n`);
    writeFileSync(statePath, JSON.stringify(state));
    const r = spawnSync(first, command, { stdio: 'inherit', env: { ...process.env, REHEARSAL_UID: '0' } });
    state = JSON.parse(readFileSync(statePath, 'utf8'));
    if (r.error) throw new Exit(1, `sudo: ${first}: command not found\n`);
    reached('sudo');
    throw new Exit(r.status ?? 1);
  },

  // apt-get (apt 2.6.1, apt-private): update and install need root (the dpkg and lists locks, "are you root?"); a
  // package the lists lack is "Unable to locate package", plus the glob and regex searches apt-pkg/cacheset.cc makes
  // when the name holds one of . ? + * | [ ] ^ $; errors exit 100. The runner's package lists are state.host.packages.
  'apt-get'(args) {
    const known = { '-y': 'bool', '--yes': 'bool', '-q': 'bool', '-qq': 'bool', '--quiet': 'bool', '--no-install-recommends': 'bool' };
    const bad = args.find((a) => a.startsWith('-') && !(a in known));
    if (bad) throw new Exit(100, `E: Command line option ${bad} is not understood in combination with the other options\n`);
    const [cmd, ...packages] = args.filter((a) => !a.startsWith('-'));
    const quiet = args.includes('-qq');
    if (cmd === 'update') {
      if (!root) throw new Exit(100, 'E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\nE: Unable to lock directory /var/lib/apt/lists/\n');
      return ok('apt-get update', quiet ? '' : 'Reading package lists...\n');
    }
    if (cmd !== 'install') throw new Exit(100, `E: Invalid operation ${cmd}\n`);
    if (!root) throw new Exit(100, 'E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n');
    const reading = quiet ? '' : 'Reading package lists...\nBuilding dependency tree...\nReading state information...\n';
    const missing = packages.find((p) => !(state.host?.packages ?? []).includes(p));
    if (missing) {
      const searched = /[.?+*|[\]^$]/.test(missing) ? `E: Couldn't find any package by glob '${missing}'\nE: Couldn't find any package by regex '${missing}'\n` : '';
      throw new Exit(100, `E: Unable to locate package ${missing}\n${searched}`, reading);
    }
    state.host.installed = [...new Set([...(state.host.installed ?? []), ...packages])];
    return ok('apt-get install', `${reading}${packages.map((p) => `Setting up ${p} ...`).join('\n')}\n`);
  },

  // modprobe (kmod 30, tools/modprobe.c): a module that modules.dep of the running kernel lacks is FATAL "Module X not
  // found in directory /lib/modules/<release>"; loading one needs root ("could not insert"); both exit 1. sctp is in
  // the runner's kernel where state.host.modules says so, or once linux-modules-extra-<release> is installed.
  modprobe(args) {
    const bad = args.find((a) => a.startsWith('-') && !['-q', '--quiet'].includes(a));
    if (bad) throw new Exit(1, `modprobe: unrecognized option '${bad}'\n`);
    const [module] = args.filter((a) => !a.startsWith('-'));
    const present = (state.host?.modules ?? []).includes(module) || (module === 'sctp' && (state.host?.installed ?? []).includes(`linux-modules-extra-${kernel()}`));
    if (!present) throw new Exit(1, args.includes('-q') ? '' : `modprobe: FATAL: Module ${module} not found in directory /lib/modules/${kernel()}\n`);
    if (!root) throw new Exit(1, `modprobe: ERROR: could not insert '${module}': Operation not permitted\n`);
    state.host.loaded = [...new Set([...(state.host.loaded ?? []), module])];
    return ok('modprobe', '');
  },

  // sysctl (procps-ng 4.0.2, src/sysctl.c): -n prints each value on its own line; -w KEY=VALUE writes (root: else
  // 'permission denied on key "KEY"') and prints "KEY = VALUE"; a key /proc/sys lacks is "cannot stat"; all exit 1 on error.
  sysctl(args) {
    const bad = args.find((a) => a.startsWith('-') && !['-n', '--values', '-w', '--write', '-q', '--quiet'].includes(a));
    if (bad) throw new Exit(1, `sysctl: unrecognized option '${bad}'\n`);
    const settings = state.host?.sysctl ?? {};
    const names = args.filter((a) => !a.startsWith('-'));
    const stat = (key) => {
      if (!(key in settings)) throw new Exit(1, `sysctl: cannot stat /proc/sys/${key.replaceAll('.', '/')}: No such file or directory\n`);
    };
    if (args.includes('-w') || args.includes('--write')) {
      const out = names.map((a) => {
        const [key, value] = a.split(/=(.*)/s);
        if (value === undefined) throw new Exit(1, 'sysctl: command line(0): invalid syntax, continuing...\n');
        stat(key);
        if (!root) throw new Exit(1, `sysctl: permission denied on key "${key}"\n`);
        settings[key] = value;
        return `${key} = ${value}\n`;
      });
      return ok('sysctl -w', args.includes('-q') ? '' : out.join(''));
    }
    // Each key in turn: the values it can read are printed, the others reported, and then exit 1.
    const known = names.filter((key) => key in settings);
    const out = known.map((key) => `${args.includes('-n') ? '' : `${key} = `}${settings[key]}\n`).join('');
    const missing = names.filter((key) => !(key in settings));
    if (missing.length) throw new Exit(1, missing.map((key) => `sysctl: cannot stat /proc/sys/${key.replaceAll('.', '/')}: No such file or directory\n`).join(''), out);
    return ok('sysctl -n', out);
  },

  // openssl req (apps/req.c): writes the key and the certificate files it is told to. Its refusal of an unknown
  // option is checked against the real openssl 3 where one is installed (test/cluster/workflows.test.ts).
  openssl(args) {
    const unknown = (f) => new Exit(1, `req: Unknown option or message digest: ${f.replace(/^-/, '')}\nreq: Use -help for summary.\n`);
    const [cmd, ...rest] = args;
    if (cmd !== 'req') throw new Exit(1, `Invalid command '${cmd}'\n`);
    const { flags } = parse(rest, { '-x509': 'bool', '-newkey': 'string', '-nodes': 'bool', '-days': 'string', '-subj': 'string', '-keyout': 'string', '-out': 'string' }, unknown);
    if (!/^\/CN=/.test(flags['-subj']?.[0] ?? '')) throw new Exit(1, 'req: subject name is expected to be in the format /type0=value0/type1=value1\n');
    writeFileSync(flags['-keyout'][0], '-----BEGIN PRIVATE KEY-----\nrehearsal\n-----END PRIVATE KEY-----\n');
    writeFileSync(flags['-out'][0], '-----BEGIN CERTIFICATE-----\nrehearsal\n-----END CERTIFICATE-----\n');
    return ok('openssl req', '');
  },
};

function fail(code, stderr) {
  throw new Exit(code, stderr);
}

let exitCode = 0;
try {
  const [out, err] = tools[tool](argv);
  if (typeof out === 'string') process.stdout.write(out);
  if (typeof err === 'string') process.stderr.write(err);
} catch (e) {
  if (!(e instanceof Exit)) throw e;
  process.stdout.write(e.stdout ?? '');
  process.stderr.write(e.stderr);
  exitCode = e.code;
}
writeFileSync(statePath, JSON.stringify(state));
appendFileSync(process.env.REHEARSAL_LOG, `${JSON.stringify({ scenario: process.env.REHEARSAL_SCENARIO, tool, ...(version && { version }), argv, exitCode })}\n`);
process.exitCode = exitCode;
