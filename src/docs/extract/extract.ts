// Follows a tutorial the way its reader would: chapter after chapter, command after command. Commands that change
// the cluster become suite actions, tried on the model as they come (a delete of something never created is caught
// here, at its line); curl probes become cells, and the output the text shows after them becomes their claims.
import path from 'node:path';
import { ModelBackend } from '../../backends/model/model-backend.ts';
import { performAction } from '../../backends/perform-action.ts';
import { rememberSource, sourceOf } from '../../input/source-map.ts';
import { formatRef, isNamespaced, refOf, type KubeObject, type ObjectRef } from '../../manifest/objects.ts';
import { AGNHOST_IMAGE } from '../../probe/command.ts';
import type { Expectation } from '../../probe/outcome.ts';
import { formatPodRef, parseTarget, type PodSelectorRef, type Target } from '../../probe/target.ts';
import type { Action } from '../../suite/types.ts';
import type { DocsConfig } from '../config.ts';
import { isCommandLine, PROMPT, type Chapter, type DocBlock, type Finding, type SourceLine } from '../read/blocks.ts';
import { classifyClaimedOutput, outputSections, type Variant } from '../read/claimed-output.ts';
import { parseCommandLine, parsePodCommandLine, type DocCommand, type PodField, type RunCommand } from '../read/commands.ts';
import type { ProbeCall } from '../read/probe-commands.ts';
import { unrollLoops } from '../read/loops.ts';
import { variableIn, ShellSyntaxError } from '../read/shell.ts';
import type { Tutorial } from '../read/tutorial.ts';
import { lintProse } from './prose-lint.ts';
import { firstDifference, ManifestResolver, readManifests, sameObjects, type ReadManifests } from './manifests.ts';

export interface Place {
  file: string;
  line: number;
}

export interface DocClaim extends Place {
  /** The output as shown, lines joined. */
  output: string;
  expect?: Expectation;
  /** Whose words the output is in (busybox wget, OpenBSD nc, ...), to say what that client would print instead. */
  variant?: Variant;
  /** Why the output means that outcome. */
  reason?: string;
  /** Why the output cannot be checked (it says nothing about connectivity). */
  why?: string;
}

export interface DocProbe extends Place {
  command: string;
  step: number;
  cell?: { key: string; from: PodSelectorRef; to: Target };
  /** Why the probe cannot be run (an unknown pod, a variable never set, a state the harness lost track of). */
  problem?: string;
  claims: DocClaim[];
  /** How the text names it, to match output sections (`# Frontend`, `# Call to https://...`). */
  names: string[];
  /** The client and how it was called (its timeout, what it prints). */
  call: ProbeCall;
}

export interface DocAction extends Place {
  command: string;
  action: Action;
  /** The model's fingerprint before and after: an action that returns to an earlier state undoes it. */
  before: string;
  after: string;
  /** A pod `kubectl run --rm` starts and deletes around its probe: bookkeeping, not a change the text makes. */
  throwaway?: boolean;
}

export interface DocStep extends Place {
  name: string;
  actions: DocAction[];
  probes: DocProbe[];
}

export interface Extraction {
  target: string;
  tutorial: Tutorial;
  config: DocsConfig;
  steps: DocStep[];
  probes: DocProbe[];
  findings: Finding[];
  /** Every object any manifest in the text defines, applied or not (for the prose lint). */
  defined: KubeObject[];
  prose: (Place & { text: string })[];
}

const POD_LABEL = 'app';
// A pod name kubectl generated from a Deployment: NAME-<replicaset hash>-<5 characters>.
const GENERATED_POD = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

interface Session {
  pod: string;
  namespace?: string;
  /** The pod to delete when the session ends (`kubectl run --rm`). */
  remove?: ObjectRef;
  place: Place;
}

interface Variable {
  pod?: PodSelectorRef;
  field: PodField;
  why?: string;
}

export async function extract(target: string, tutorial: Tutorial, config: DocsConfig, setup: Action[]): Promise<Extraction> {
  const walker = new Walker(target, tutorial, config, setup);
  for (const action of setup) if (action.kind === 'apply') await walker.model.apply(action.objects);
  for (const chapter of tutorial.chapters) {
    await walker.chapter(chapter);
    for (const block of chapter.blocks) await walker.block(chapter, block);
  }
  await walker.endSession();
  walker.lintUndos();
  const x = walker.result();
  x.findings.push(...lintProse(x.prose, x.defined));
  return x;
}

class Walker {
  readonly model = new ModelBackend();
  private readonly resolver: ManifestResolver;
  private readonly steps: DocStep[] = [];
  private readonly probes: DocProbe[] = [];
  private readonly findings: Finding[];
  private readonly defined: KubeObject[] = [];
  private readonly prose: (Place & { text: string })[] = [];
  private readonly vars = new Map<string, Variable>();
  private readonly created = new Set<string>();
  private heading?: string;
  /** File names the prose mentioned since the last code block: they name the next manifest shown. */
  private leadIn = new Set<string>();
  private lastBlockShowedManifest = false;
  /** Probes whose output has not been shown yet, and what the latest command was. */
  private pending: DocProbe[] = [];
  private last: 'probe' | 'hubble' | 'other' = 'other';
  private hubble?: { labels: Record<string, string> };
  /** Set once a change could not be followed: later claims cannot be checked. */
  private lost?: string;
  /** The pod whose shell the reader is typing into, if any. */
  private session?: Session;

  constructor(
    private readonly target: string,
    private readonly tutorial: Tutorial,
    private readonly config: DocsConfig,
    setup: Action[],
  ) {
    this.resolver = new ManifestResolver(tutorial, config);
    this.findings = [...tutorial.findings];
    for (const a of setup) if (a.kind === 'apply') for (const o of a.objects) this.created.add(formatRef(refOf(o)));
    for (const a of setup) if (a.kind === 'apply') this.defined.push(...a.objects);
  }

  result(): Extraction {
    return { target: this.target, tutorial: this.tutorial, config: this.config, steps: this.steps, probes: this.probes, findings: this.findings, defined: this.defined, prose: this.prose };
  }

  private find(severity: Finding['severity'], rule: string, place: Place, message: string) {
    this.findings.push({ file: place.file, line: place.line, severity, rule, message });
  }

  /** A new chapter: steps are named by its title until its first heading. */
  async chapter(chapter: Chapter) {
    await this.endSession();
    this.heading = chapter.title;
    this.forgetProbes();
  }

  /** Output after a heading or in another chapter belongs to no probe before it. */
  private forgetProbes() {
    this.pending = [];
    this.last = 'other';
  }

  async block(chapter: Chapter, block: DocBlock): Promise<void> {
    const file = chapter.file;
    if (block.kind === 'prose') {
      this.prose.push({ file, line: block.line, text: block.text });
      if (block.heading) {
        this.heading = block.text.trim();
        this.forgetProbes();
      }
      const mentioned = manifestNames(block.text);
      for (const name of mentioned) {
        this.leadIn.add(name);
        if (this.lastBlockShowedManifest) this.resolver.shown.at(-1)?.names.add(name);
      }
      return;
    }
    if (block.kind === 'include') {
      const local = this.resolver.localFile(block.path, file, block.examples ? 'examples' : 'site');
      if (!local) {
        this.find('warning', 'include-not-found', { file, line: block.line }, `${block.examples ? 'codenew' : 'readfile'} ${block.path}: not in the tutorial's tree nor in the docs config's files`);
        return;
      }
      // An included script or text is shown, not a manifest: only YAML (by the block's language or the file's
      // extension) is read as one.
      const yaml = block.lang ? /^(ya?ml|json)$/.test(block.lang) : /\.(ya?ml|json)$/i.test(local);
      if (!yaml) return;
      const read = await this.resolver.readLocal(local, this.findings);
      this.show({ file, line: block.line }, read, [path.basename(block.path)]);
      return;
    }
    const manifestLang = block.lang === 'yaml' || block.lang === 'yml';
    if (manifestLang || (!block.lines.some((l) => isCommandLine(l.text)) && /^(apiVersion|kind):/m.test(block.lines.map((l) => l.text).join('\n')))) {
      const first = block.lines[0]?.line ?? block.line;
      const read = readManifests(block.lines.map((l) => l.text).join('\n'), file, first, this.findings);
      this.show({ file, line: first }, read, []);
      return;
    }
    this.lastBlockShowedManifest = false;
    this.leadIn = new Set();
    await this.commands(file, block.lines);
  }

  private show(place: Place, read: ReadManifests, names: string[]) {
    this.defined.push(...read.objects);
    if (read.objects.length) this.resolver.shown.push({ ...place, objects: read.objects, names: new Set([...names, ...this.leadIn]) });
    this.leadIn = new Set();
    this.lastBlockShowedManifest = read.objects.length > 0;
  }

  /** A shell block: command lines (with `\` continuations) and the output lines after them. */
  private async commands(file: string, block: SourceLine[]) {
    const lines = unrollLoops(block);
    let output: SourceLine[] = [];
    const flush = () => {
      if (output.some((l) => l.text.trim() !== '')) this.output(file, output);
      output = [];
    };
    for (let i = 0; i < lines.length; i++) {
      const start = lines[i]!;
      const prompt = this.session ? PROMPT.exec(start.text) : undefined;
      if (!prompt && !isCommandLine(start.text)) {
        output.push(start);
        continue;
      }
      flush();
      let text = (prompt ? prompt[1]! : start.text).trim().replace(/^\$\s+/, '');
      while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i]!.text.trim()}`;
      if (text === '') continue;
      // A here-document (`cat <<EOF | kubectl apply -f -`): its lines up to the delimiter are the command's stdin.
      const heredoc = /<<-?\s*(['"]?)([A-Za-z_]\w*)\1/.exec(text);
      let stdin: SourceLine[] | undefined;
      if (heredoc) {
        const end = lines.findIndex((l, k) => k > i && l.text.trim() === heredoc[2]);
        stdin = lines.slice(i + 1, end < 0 ? lines.length : end);
        if (end < 0) this.find('error', 'bad-shell', { file, line: start.line }, `the here-document opened here is never closed by ${heredoc[2]}: lines ${start.line + 1}-${lines.at(-1)!.line} are read as its text`);
        i = end < 0 ? lines.length : end;
      }
      if (this.session && (prompt || !/^kubectl\s/.test(text))) await this.sessionCommand(file, start.line, text);
      else {
        await this.endSession();
        await this.command(file, start.line, text, stdin);
      }
    }
    flush();
  }

  private async command(file: string, line: number, text: string, stdin?: SourceLine[]) {
    const commands = this.parse({ file, line }, text, () => parseCommandLine(text));
    for (const c of commands) await (c.kind === 'stdin' ? this.fromStdin(c, { file, line }, text, stdin) : this.run(c, { file, line }, text));
  }

  /** `kubectl apply|delete -f -` with the manifests of the here-document it reads. */
  private async fromStdin(c: Extract<DocCommand, { kind: 'stdin' }>, place: Place, text: string, stdin: SourceLine[] | undefined) {
    this.forgetProbes();
    if (!stdin?.length) return this.lose(place, `${text} reads stdin, which the tutorial does not show`);
    const read = readManifests(stdin.map((l) => l.text).join('\n'), place.file, stdin[0]!.line, this.findings);
    if (read.policyFailed || read.objects.length === 0) return this.lose(place, `${text}: the here-document holds no manifest the harness can read`);
    this.show({ file: place.file, line: stdin[0]!.line }, read, []);
    if (c.verb === 'delete') return this.deleteRefs(read.objects.map((o) => refOf(o, c.namespace ?? 'default')), place, text);
    await this.act(place, text, { kind: 'apply', objects: inNamespace(read.objects, c.namespace), ...at(place, text) });
  }

  /** A line typed into a pod's shell: `exit` ends the session, a probe runs from that pod. */
  private async sessionCommand(file: string, line: number, text: string) {
    const session = this.session!;
    if (/^(exit|logout)\b/.test(text)) return this.endSession();
    const commands = this.parse({ file, line }, text, () => parsePodCommandLine(text, session.pod, session.namespace));
    for (const c of commands) await this.run(c, { file, line }, `${text} (in ${session.pod})`);
  }

  private parse(place: Place, text: string, parse: () => DocCommand[]): DocCommand[] {
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      this.find('error', 'bad-shell', place, `${e.message}: ${text}`);
      return [];
    }
  }

  /** The reader leaves the pod's shell: a pod started with --rm is deleted. */
  async endSession() {
    const session = this.session;
    this.session = undefined;
    if (session?.remove) await this.act(session.place, `exit (kubectl run --rm deletes pod ${session.remove.name})`, { kind: 'delete', refs: [session.remove], ...at(session.place, 'exit') }, true);
  }

  private async run(c: DocCommand, place: Place, text: string) {
    if (c.kind === 'probe') {
      if (this.last !== 'probe') this.pending = [];
      this.last = 'probe';
      this.pending.push(this.probe(c, place, text));
      return;
    }
    // `done`, `fi` and the like end a loop or a branch; the output after them is still its probes'.
    if (c.kind === 'syntax') return;
    this.last = 'other';
    this.pending = [];
    switch (c.kind) {
      case 'bind': {
        const ns = c.namespace ?? 'default';
        const keys = Object.keys(c.labels);
        const name = c.labels[POD_LABEL];
        this.vars.set(c.variable, name && keys.length === 1 ? { pod: { namespace: ns, name }, field: c.field } : { field: c.field, why: `$${c.variable} selects pods by ${keys.join(',')}, not by the label ${POD_LABEL} alone` });
        return;
      }
      case 'apply':
        return this.applyFiles(c.files, c.namespace, place, text);
      case 'delete-files':
        return this.deleteFiles(c.files, c.namespace, place, text);
      case 'delete': {
        const unknown = c.targets.find((t) => !t.kindName);
        if (unknown) return this.lose(place, `kubectl delete ${unknown.resource}: not a kind the harness models`);
        const refs = c.targets.map((t): ObjectRef => (isNamespaced(t.kindName!) ? { kind: t.kindName!, name: t.name, namespace: c.namespace ?? 'default' } : { kind: t.kindName!, name: t.name }));
        return this.deleteRefs(refs, place, text);
      }
      case 'run':
        return this.kubectlRun(c, place, text);
      case 'session':
        this.session = { pod: c.pod, namespace: c.namespace, place };
        return;
      case 'create':
        return this.act(place, text, { kind: 'apply', objects: c.objects, ...at(place, text) });
      case 'expose':
        return this.expose(c, place, text);
      case 'scale': {
        const ref = { kind: 'Deployment', namespace: c.namespace ?? 'default', name: c.name };
        const current = this.model.cluster.get(ref) as KubeObject | undefined;
        if (!current) return this.find('lint', 'scale-never-created', place, `${text}: no earlier step creates ${formatRef(ref)}${this.similar(ref)}`);
        const scaled = { ...current, spec: { ...(current.spec as object), replicas: c.replicas } };
        return this.act(place, text, { kind: 'apply', objects: [scaled], ...at(place, text) });
      }
      case 'external':
        return this.external(c.program, place, text);
      case 'skipped':
        return this.find('warning', 'probe-not-read', place, `${c.why}: not checked`);
      case 'create-namespace':
        return this.act(place, text, {
          kind: 'apply',
          objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: c.name } }],
          ...at(place, text),
        });
      case 'label': {
        if (c.target === 'namespace') {
          return this.act(place, text, { kind: 'label', target: { namespace: c.name }, set: c.set, ...at(place, text) });
        }
        const pod = this.podOf(c.name, c.namespace);
        if ('problem' in pod) return this.lose(place, `${text}: ${pod.problem}`);
        return this.act(place, text, { kind: 'label', target: { pod: pod.ref }, set: c.set, ...at(place, text) });
      }
      case 'unsupported':
        return this.lose(place, c.why);
      case 'other':
        if (c.program === 'hubble') {
          this.last = 'hubble';
          const label = /--from-label[= ](\S+)/.exec(text)?.[1];
          const m = label && /^([\w./-]+)=([\w.-]+)$/.exec(label);
          this.hubble = m ? { labels: { [m[1]!]: m[2]! } } : undefined;
        }
        return;
    }
  }

  /** `kubectl run`: a pod with the labels kubectl gives it, then its probe or its shell; --rm deletes it after. */
  private async kubectlRun(c: RunCommand, place: Place, text: string) {
    const namespace = c.namespace ?? 'default';
    // A client (a shell, a one-shot probe) runs agnhost, which has curl, nc and `agnhost connect`, so that the
    // harness's probe runs in it whatever image the text names (policies see labels and namespace, not images);
    // a server keeps its image and port.
    const client = c.session || c.probe !== undefined || c.port === undefined;
    const container = client ? { name: c.name, image: AGNHOST_IMAGE, args: ['pause'] } : { name: c.name, image: c.image, ports: [{ containerPort: c.port }] };
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: c.name, namespace, labels: c.labels }, spec: { containers: [container] } };
    const objects: KubeObject[] = [pod];
    // --expose: a Service of the pod's name selecting its labels, on --port.
    if (c.expose) objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: c.name, namespace }, spec: { selector: c.labels, ports: [{ port: c.expose.port, targetPort: c.expose.port }] } });
    await this.act(place, text, { kind: 'apply', objects, ...at(place, text) }, c.rm);
    const remove = c.rm ? refOf(pod) : undefined;
    if (c.probe) {
      await this.run({ kind: 'probe', namespace: c.namespace, pod: c.name, call: c.probe }, place, text);
      // The output shown after the command is still this probe's: the delete leaves it pending.
      if (remove) await this.act(place, `${text} (--rm deletes pod ${c.name})`, { kind: 'delete', refs: [remove], ...at(place, text) }, true);
    } else if (c.session) this.session = { pod: c.name, namespace: c.namespace, remove, place };
  }

  /** `kubectl expose deployment|pod NAME --port`: a Service selecting what the deployment's or pod's selector does. */
  private async expose(c: Extract<DocCommand, { kind: 'expose' }>, place: Place, text: string) {
    const namespace = c.namespace ?? 'default';
    const target = this.model.cluster.get({ kind: c.kindName, namespace, name: c.name }) as { metadata: { labels?: Record<string, string> }; spec?: { selector?: { matchLabels?: Record<string, string> } } } | undefined;
    const selector = c.kindName === 'Deployment' ? target?.spec?.selector?.matchLabels : c.kindName === 'Pod' ? target?.metadata.labels : undefined;
    if (!selector) return this.lose(place, `${text}: ${target ? `${c.kindName} ${c.name} has no selector the harness reads` : `no ${c.kindName} ${namespace}/${c.name} at this point of the tutorial`}`);
    const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: c.service, namespace }, spec: { selector, ports: [{ port: c.port, targetPort: c.targetPort ?? c.port, protocol: c.protocol }] } };
    await this.act(place, text, { kind: 'apply', objects: [service], ...at(place, text) });
  }

  /** helm, cilium, minikube, kind: the docs config says what they leave behind; without it, a warning. */
  private async external(program: string, place: Place, text: string) {
    const rule = this.config.commands.find((r) => text.includes(r.match));
    if (!rule) {
      return this.find('warning', 'not-modelled', place, `${text}: ${program} changes the cluster in ways the harness does not see; the claims after it are checked as if it changed nothing (say what it does in the docs config's commands)`);
    }
    if (rule.lost) return this.lose(place, `${text}: the docs config says the state is unknown after it`);
    const namespaces = rule.creates.filter((r) => r.kind === 'Namespace');
    for (const r of rule.creates) this.created.add(formatRef(r));
    if (namespaces.length) await this.act(place, text, { kind: 'apply', objects: namespaces.map((r) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: r.name } })), ...at(place, text) });
  }

  private similar(ref: ObjectRef): string {
    const names = [...this.created].filter((r) => r.startsWith(`${ref.kind} `));
    return names.length ? ` (created so far: ${names.join(', ')})` : '';
  }

  /** A change the harness cannot follow: claims after it cannot be checked. */
  private lose(place: Place, why: string) {
    this.find('warning', 'not-followed', place, `${why}: claims after this line are not checked`);
    this.lost ??= `${why} (${place.file}:${place.line})`;
  }

  private async applyFiles(files: string[], namespace: string | undefined, place: Place, text: string) {
    const objects: KubeObject[] = [];
    for (const written of files) {
      const read = await this.manifestsFor(written, place, text);
      if (!read) return;
      objects.push(...inNamespace(read, namespace));
    }
    await this.act(place, text, { kind: 'apply', objects, ...at(place, text) });
  }

  private async deleteFiles(files: string[], namespace: string | undefined, place: Place, text: string) {
    const refs: ObjectRef[] = [];
    for (const written of files) {
      const read = await this.manifestsFor(written, place, text);
      if (!read) return;
      refs.push(...read.map((o) => refOf(o, namespace ?? 'default')));
    }
    await this.deleteRefs(refs, place, text);
  }

  /** A delete of something no earlier step created fails for the reader too: a finding, and no action. */
  private async deleteRefs(refs: ObjectRef[], place: Place, text: string) {
    const missing = this.lost ? undefined : refs.find((ref) => !this.created.has(formatRef(ref)));
    if (missing) return this.find('lint', 'delete-never-created', place, `${text}: no earlier step creates ${formatRef(missing)}${this.similar(missing)}`);
    await this.act(place, text, { kind: 'delete', refs, ...at(place, text) });
  }

  /** `-f PATH`: the file in the tree or the docs config, else the manifest the text showed for it. */
  private async manifestsFor(written: string, place: Place, text: string): Promise<KubeObject[] | undefined> {
    const local = this.resolver.localFile(written, place.file);
    const shown = this.resolver.shownFor(written);
    if (local) {
      const read = await this.resolver.readLocal(local, this.findings);
      if (read.policyFailed || read.objects.length === 0) {
        this.lose(place, `${text}: ${written} (${path.relative(process.cwd(), local)}) holds no manifest the harness can read`);
        return undefined;
      }
      if (shown && !sameObjects(shown.objects, read.objects)) {
        this.find('lint', 'inline-differs-from-file', place, `${text} applies ${path.relative(process.cwd(), local)}, which differs from the manifest shown at ${shown.file}:${shown.line} (${firstDifference(shown.objects, read.objects)}): the reader applies something other than what the text explains`);
      }
      // A policy defined only in the applied file is defined all the same (for the prose lint).
      this.defined.push(...read.objects);
      return read.objects;
    }
    if (shown) return shown.objects;
    this.lose(place, `${text}: ${written} is not in the tutorial's tree, not in the docs config's files, and no manifest shown before it names it`);
    return undefined;
  }

  private async act(place: Place, text: string, action: Action, throwaway = false) {
    if (this.lost) return;
    const before = this.model.cluster.fingerprint();
    try {
      await performAction(this.model, action, POD_LABEL);
    } catch (e) {
      return this.lose(place, `${text}: ${(e as Error).message}`);
    }
    if (action.kind === 'apply') for (const o of action.objects) this.created.add(formatRef(refOf(o)));
    let step = this.steps.at(-1);
    if (!step || step.probes.length > 0) {
      step = { ...place, name: '', actions: [], probes: [] };
      this.steps.push(step);
    }
    step.actions.push({ ...place, command: text, action, before, after: this.model.cluster.fingerprint(), ...(throwaway && { throwaway }) });
    const commands = step.actions.map((a) => a.command).join('; ');
    step.name = this.heading ? `${this.heading}: ${commands}` : commands;
  }

  private probe(c: Extract<DocCommand, { kind: 'probe' }>, place: Place, text: string): DocProbe {
    let step = this.steps.at(-1);
    if (!step) {
      step = { ...place, name: this.heading ? `${this.heading}: before any change` : 'before any change', actions: [], probes: [] };
      this.steps.push(step);
    }
    const names = [c.call.url, ...(variableIn(c.pod) ? [variableIn(c.pod)!.name] : [])];
    const probe: DocProbe = { ...place, command: text, step: this.steps.length - 1, claims: [], names, call: c.call };
    this.probes.push(probe);
    step.probes.push(probe);
    if (this.lost) {
      probe.problem = `the tutorial's state is unknown after ${this.lost}`;
      return probe;
    }
    const from = this.podOf(c.pod, c.namespace);
    if ('problem' in from) {
      probe.problem = from.problem;
      return probe;
    }
    const to = this.targetOf(c.call.url, c.call.method, c.call.headers ?? []);
    if ('problem' in to) {
      probe.problem = to.problem;
      return probe;
    }
    probe.names.push(formatPodRef(from.ref));
    probe.cell = { key: `${formatPodRef(from.ref)} -> ${to.text}`, from: from.ref, to: to.target };
    return probe;
  }

  private podOf(word: string, namespace: string | undefined): { ref: PodSelectorRef } | { problem: string } {
    const v = variableIn(word);
    const ns = namespace ?? 'default';
    if (v && v.before === '' && v.after === '') {
      const bound = this.vars.get(v.name);
      if (!bound) return { problem: `$${v.name} is never set before this line` };
      if (!bound.pod) return { problem: bound.why! };
      if (bound.field !== 'name') return { problem: `$${v.name} holds a pod IP, not a pod name` };
      if (bound.pod.namespace !== ns) return { problem: `$${v.name} is a pod in namespace ${bound.pod.namespace}, but the command runs in ${ns}` };
      return this.running(bound.pod);
    }
    const deploy = /^(?:deploy|deployment|deployments)\/([a-z0-9-]+)$/.exec(word);
    if (deploy) {
      const object = this.model.cluster.get({ kind: 'Deployment', namespace: ns, name: deploy[1]! }) as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } } | undefined;
      const name = object?.spec?.template?.metadata?.labels?.[POD_LABEL];
      if (!name) return { problem: object ? `deployment ${deploy[1]}'s pods have no ${POD_LABEL} label` : `no deployment ${ns}/${deploy[1]} at this point of the tutorial` };
      return this.running({ namespace: ns, name });
    }
    return this.literalPod(word.replace(/^(?:pod|pods|po)\//, ''), ns);
  }

  /**
   * A pod written by its name: a bare Pod (`kubectl run`, `kind: Pod`) is found by its labels; a name kubectl
   * generated for a Deployment's pod (NAME-<hash>-<id>) stands for that Deployment's pods.
   */
  private literalPod(word: string, ns: string): { ref: PodSelectorRef } | { problem: string } {
    const pod = this.model.cluster.get({ kind: 'Pod', namespace: ns, name: word });
    if (pod) {
      const labels = pod.metadata.labels ?? {};
      const key = POD_LABEL in labels ? POD_LABEL : (Object.keys(labels).sort((a, b) => Number(b === 'run') - Number(a === 'run') || a.localeCompare(b))[0]);
      if (!key) return { problem: `pod ${ns}/${word} has no labels: the harness finds pods by label` };
      return this.running({ namespace: ns, name: labels[key]!, ...(key !== POD_LABEL && { label: key }) });
    }
    const generated = GENERATED_POD.exec(word)?.[1];
    if (generated && this.model.cluster.get({ kind: 'Deployment', namespace: ns, name: generated })) return this.podOf(`deploy/${generated}`, ns);
    return { problem: `no pod ${ns}/${word} at this point of the tutorial (pods are found by a variable set with kubectl get pods -l ${POD_LABEL}=..., by deploy/NAME, or by the name of a pod the text created)` };
  }

  private running(ref: PodSelectorRef): { ref: PodSelectorRef } | { problem: string } {
    const key = ref.label ?? POD_LABEL;
    const found = this.model.cluster.pods().some((p) => p.namespace === ref.namespace && p.labels[key] === ref.name);
    return found ? { ref } : { problem: `no pod ${formatPodRef(ref)} (label ${key}=${ref.name}) runs at this point of the tutorial` };
  }

  private targetOf(url: string, method: string, headers: readonly string[]): { target: Target; text: string } | { problem: string } {
    let written = url;
    const v = variableIn(url);
    if (v) {
      const bound = this.vars.get(v.name);
      if (!bound) return { problem: `$${v.name} is never set before this line` };
      if (!bound.pod) return { problem: bound.why! };
      if (bound.field !== 'ip') return { problem: `$${v.name} holds a pod name, which is not a host` };
      written = `${v.before}pod-ip:${formatPodRef(bound.pod)}${v.after}`;
    }
    // Headers go along as the suite writes them (curl's -H), so that L7 header rules judge them.
    const text = `${method === 'GET' ? written : `${method} ${written}`}${headers.map((h) => ` -H '${h}'`).join('')}`;
    const target = parseTarget(text);
    return target ? { target, text } : { problem: `curl target "${url}" is not a URL or HOST:PORT the harness can probe` };
  }

  /** Output lines after a command: the claims of the probes before them, or hubble's word on a dropped flow. */
  private output(file: string, lines: SourceLine[]) {
    if (this.last === 'hubble') return this.hubbleOutput(file, lines);
    if (this.last !== 'probe' || this.pending.length === 0) return;
    const probes = this.pending;
    this.pending = [];
    this.last = 'other';
    const sections = outputSections(lines, probes.length, probes.every((p) => p.call.prints === 'code'));
    const claim = (probe: DocProbe, shown: SourceLine[]) => {
      const first = shown.find((l) => l.text.trim() !== '') ?? lines[0]!;
      const classified = classifyClaimedOutput(shown, probe.call);
      probe.claims.push({ file, line: first.line, output: shown.map((l) => l.text.trim()).filter(Boolean).join('\n'), ...classified });
    };
    if (probes.length === 1) return claim(probes[0]!, sections.flatMap((s) => s.lines));
    const byTitle = probes.map((p) => sections.filter((s) => s.title !== undefined && p.names.some((n) => norm(s.title!) === norm(n) || norm(s.title!).endsWith(norm(n)))));
    if (byTitle.every((m) => m.length === 1) && new Set(byTitle.map((m) => m[0])).size === probes.length) {
      probes.forEach((p, i) => claim(p, byTitle[i]![0]!.lines));
    } else if (sections.length === probes.length) {
      probes.forEach((p, i) => claim(p, sections[i]!.lines));
    } else {
      for (const p of probes) {
        p.claims.push({ file, line: lines[0]!.line, output: '', why: `the output at line ${lines[0]!.line} has ${sections.length} section(s) for ${probes.length} probes: which output belongs to which probe is not said` });
      }
    }
  }

  /** `hubble observe --from-label app=x` showing `Policy denied DROPPED`: a claim that x's latest probe was dropped. */
  private hubbleOutput(file: string, lines: SourceLine[]) {
    const dropped = lines.find((l) => /Policy denied\s+DROPPED/.test(l.text));
    const name = this.hubble?.labels[POD_LABEL];
    if (!dropped || !name) return;
    const step = this.steps.at(-1);
    const probe = step?.probes.filter((p) => p.cell?.from.name === name).at(-1);
    if (!probe) return;
    const flow = /->|<>/.test(dropped.text) ? dropped.text.trim().split(/\s+(?:->|<>)\s+/)[1]?.split(/\s/)[0] : undefined;
    probe.claims.push({ file, line: dropped.line, output: dropped.text.trim(), expect: { outcome: 'denied' }, reason: `hubble shows the flow to ${flow ?? 'the target'} dropped: Policy denied` });
  }

  /** An action that returns the cluster to the state before an earlier action of the same step undoes it. */
  lintUndos() {
    for (const step of this.steps) {
      const claims = step.probes.flatMap((p) => p.claims.filter((c) => c.expect));
      if (claims.length === 0) continue;
      for (const [j, later] of step.actions.entries()) {
        if (later.throwaway) continue;
        const undone = step.actions.slice(0, j).find((a) => !a.throwaway && a.before === later.after);
        if (!undone) continue;
        this.find(
          'lint',
          'step-undoes-step',
          later,
          `"${later.command}" undoes "${undone.command}" (line ${undone.line}): the cluster is back to its state before line ${undone.line}, so the claim(s) at ${claims.map((c) => `line ${c.line}`).join(', ')} prove nothing about what line ${undone.line} did`,
        );
      }
    }
  }
}

/** An action's description and line: the command as written, and where. */
function at(place: Place, text: string): { what: string; line: number } {
  return { what: `${text} (${place.file}:${place.line})`, line: place.line };
}

/** `kubectl -n NS apply`: namespaced objects that name no namespace go to NS. */
function inNamespace(objects: readonly KubeObject[], namespace: string | undefined): KubeObject[] {
  return objects.map((o) => (namespace && o.metadata.namespace === undefined && isNamespaced(o.kind) ? withNamespace(o, namespace) : o));
}

function withNamespace(o: KubeObject, namespace: string): KubeObject {
  const moved = { ...o, metadata: { ...o.metadata, namespace } };
  // Still explained by the lines it was written on.
  const source = sourceOf(o);
  if (source) rememberSource(moved, source);
  return moved;
}

const norm = (s: string) => s.toLowerCase().replace(/^call to\s*/, '').replace(/[^a-z0-9]/g, '');

/**
 * File names such as policy.yaml that prose mentions. Split into words first, then each word's longest prefix ending
 * in a manifest extension: linear in the text, however long a word is (a regex searching from every position of a
 * long word is quadratic).
 */
function manifestNames(text: string): string[] {
  return text.split(/[^\w.-]+/).flatMap((word) => {
    const name = /^(.+\.(?:ya?ml|json))(?!\w)/.exec(word)?.[1];
    return name ? [path.basename(name)] : [];
  });
}

