#!/usr/bin/env node
// One stand-in for docker, kind, helm, kubectl and openssl (argv[2] names the tool), for `npm run rehearse`. Each
// accepts only the argv the real tool accepts for the commands cluster:up, cluster:down and the CLI run, answers as
// the real tool prints, keeps the cluster's state in $REHEARSAL_STATE, and appends one JSON line per invocation to
// $REHEARSAL_LOG. Sources of each behaviour are cited beside it. Plain JavaScript: it starts once per command.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml, stringify } from 'yaml';

const [tool, ...argv] = process.argv.slice(2);
const statePath = process.env.REHEARSAL_STATE;
const state = JSON.parse(readFileSync(statePath, 'utf8'));
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
      return ok('docker rm', positional.join('\n') + '\n');
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
      const c = state.containers[name] ?? Object.values(state.clusters).flatMap((k) => k.nodes).find((n) => n.name === name);
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
    const { flags } = parse(rest, { '--name': 'string', '-n': 'string', '--config': 'string', '--image': 'string' }, unknown);
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
      return ok('kind get nodes', state.clusters[name].nodes.map((n) => n.name).join('\n') + '\n');
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
      state.clusters[name] = { image: flags['--image'][0], nodes };
      state.networkKind = true;
      // kubeadm's CoreDNS ConfigMap (kubernetes/cmd/kubeadm/app/phases/addons/dns/manifests.go CoreDNSConfigMap).
      state.configmaps[`kube-system/coredns`] = { data: { Corefile: process.env.REHEARSAL_COREFILE } };
      return ok('kind create cluster', '', `Creating cluster "${name}" ...\nSet kubectl context to "kind-${name}"\n`);
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
    const spec = { '--install': 'bool', '-i': 'bool', '--repo': 'string', '--version': 'string', '--namespace': 'string', '-n': 'string', '--kube-context': 'string', '-f': 'string', '--values': 'string', '--set': 'string', '--create-namespace': 'bool', '--wait': 'bool', '--timeout': 'string' };
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
    const spec = { '-c': 'string', '--container': 'string', '-A': 'bool', '--all-namespaces': 'bool', '--context': 'string', '-n': 'string', '--namespace': 'string', '-o': 'string', '--dry-run': 'string', '--from-literal': 'string', '-f': 'string', '--overwrite': 'bool', '--type': 'string', '--patch-file': 'string', '--timeout': 'string', '--for': 'string', '--all': 'bool' };
    const { flags, positional } = parse(args, spec, unknown);
    const context = flags['--context']?.[0];
    if (!state.clusters[context?.replace(/^kind-/, '')]) throw new Exit(1, `error: context "${context}" does not exist\n`);
    const ns = (flags['-n'] ?? flags['--namespace'])?.[0] ?? 'default';
    const [verb, ...rest] = positional;
    const line = rest.join(' ');
    if (verb === 'exec') {
      if (!/^(ds|daemonset)\/cilium$/.test(rest[0] ?? '') || (flags['-c'] ?? flags['--container'])?.[0] !== 'cilium-agent' || !command.length) throw new Exit(1, 'rehearsal: unscripted exec\n');
      if (command.join(' ') === 'cilium-dbg status --verbose') return ok('kubectl exec cilium-dbg status', 'KVStore:    Disabled\nKubernetes: Ok   1.36 (v1.36.1) [linux/amd64]\nCilium:     Ok   1.20.2\n');
      if (command[0] === 'hubble' && command[1] === 'observe') return ok('kubectl exec hubble observe', '{"flow":{"verdict":"FORWARDED"}}\n');
      throw new Exit(127, `OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0]}": executable file not found in $PATH: unknown\ncommand terminated with exit code 127\n`);
    }
    if (verb === 'get' && rest[0] === 'pods') {
      if (!(flags['-A'] || flags['--all-namespaces']) || flags['-o']?.[0] !== 'wide') throw new Exit(1, 'rehearsal: unscripted get pods\n');
      return ok('kubectl get pods -A -o wide', 'NAMESPACE     NAME                 READY   STATUS    RESTARTS   AGE   IP           NODE\nkube-system   cilium-abcde         1/1     Running   0          5m    172.18.0.3   netpol-e2e-worker\n');
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
      return ok('kubectl rollout status', `${words} "${name}" successfully rolled out\n`);
    }
    if (verb === 'rollout' && rest[0] === 'restart') return ok('kubectl rollout restart', `deployment.apps/${rest[1].split('/')[1]} restarted\n`);
    if (verb === 'wait' && line === 'nodes') {
      if (flags['--for']?.[0] !== 'condition=Ready' || !flags['--all']) throw new Exit(1, 'rehearsal: unscripted wait\n');
      return ok('kubectl wait nodes', state.clusters[context.replace(/^kind-/, '')].nodes.map((n) => `node/${n.name} condition met`).join('\n') + '\n');
    }
    throw new Exit(1, `rehearsal: unscripted kubectl ${positional.join(' ')}\n`);
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
appendFileSync(process.env.REHEARSAL_LOG, `${JSON.stringify({ scenario: process.env.REHEARSAL_SCENARIO, tool, argv, exitCode })}\n`);
process.exitCode = exitCode;
