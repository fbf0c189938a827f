// The layering of docs/ANATOMY.md ("Layers"), checked by dependency-cruiser: `npm run deps`. Nothing imports upward:
// a room knows only the rooms below it, so each can be read, tested and changed without the ones above.
// Type-only imports count too: a type from above ties a room to it as much as a value does.

/** Top to bottom. A room may import the rooms of later rows; not those of its own row, nor of an earlier one. */
const LAYERS = [
  { rooms: ['index'], why: 'the programmatic API (package.json exports) is an entry point: nothing of src imports it' },
  { rooms: ['cli'], why: 'the command line is an entry point (bin/): nothing of src but the API imports it' },
  { rooms: ['session'], why: 'one run session serves every command and the suites project: it knows no command, its callers know it' },
  { rooms: ['tutorials'], why: 'the tutorial reader is a client of the reports and the lint, as run is' },
  { rooms: ['report', 'lint'], why: 'reports and the lint each stand alone: neither renders nor checks through the other, nor knows a session or a command' },
  { rooms: ['runner'], why: 'the runner walks suites on a backend; what is done with the results (reports, sessions, tutorials) is above it' },
  { rooms: ['results'], why: 'results are the vocabulary of what ran: they must not need the runner that produces them, or the reports that show them' },
  { rooms: ['backends'], why: 'a backend carries out actions and probes: it does not know the walk or its results' },
  { rooms: ['suite'], why: 'the suite format describes what to do, not how it is done on a backend' },
  { rooms: ['model'], why: 'the policy model predicts from objects and probes alone: no suite, backend or run in it' },
  { rooms: ['world', 'probe'], why: 'the outside world and the probe vocabulary are leaves that every layer above may use; they do not know each other' },
  { rooms: ['manifest'], why: 'objects and their schemas know only how input is read' },
  { rooms: ['input'], why: 'reading files with their lines is the bottom: it imports nothing of ours' },
];

/** Where the code of src/ is reached from (the CLI's commands, loaded by dynamic import, are followed). */
const ENTRIES = '^(src/index\\.ts|src/cli/main\\.ts|src/backends/kube/cluster-target\\.ts|scripts/|bench/)';

const roomPath = (room) => (room === 'index' ? '^src/index\\.ts$' : `^src/${room}/`);
const anyOf = (rooms) => rooms.map(roomPath).join('|');

/** A forbidden dependency: from what, to what, and why not. */
const rule = (name, comment, from, to, severity = 'error') => ({ name, comment, severity, from, to });

const layerRules = LAYERS.flatMap(({ rooms, why }, row) =>
  rooms.map((room) => {
    const above = LAYERS.slice(0, row).flatMap((l) => l.rooms);
    const siblings = rooms.filter((r) => r !== room);
    const forbidden = [...above, ...siblings, 'conformance'];
    return rule(`${room}-imports-no-higher-room`, `${room}: ${why}. Not imported from it: ${forbidden.join(', ')}.`, { path: roomPath(room) }, { path: anyOf(forbidden) });
  }),
);

module.exports = {
  forbidden: [
    ...layerRules,
    rule(
      'conformance-uses-manifest-and-probe',
      'conformance generates the upstream topology (npm run gen:conformance): it needs objects and probes, nothing that runs or reports them; and src does not depend on a generator.',
      { path: '^src/conformance/' },
      { path: '^src/', pathNot: '^src/(conformance|manifest|probe|input)/' },
    ),
    rule(
      'backend-interface-knows-no-backend',
      'backends/*.ts are the interface and what every backend shares: the model and kube backends implement it, never the other way round, and neither knows the other.',
      { path: '^src/backends/[^/]+\\.ts$' },
      { path: '^src/backends/(kube|model)/' },
    ),
    rule(
      'no-backend-knows-another',
      'the model backend and the kube backend are alternatives: one importing the other would load client-node for a run on the model, or tie the model to a cluster.',
      { path: '^src/backends/(kube|model)/' },
      { path: '^src/backends/(kube|model)/', pathNot: '^src/backends/$1/' },
    ),
    rule('src-imports-no-tooling', 'src/ is the package: scripts/, test/ and bench/ may import it, never the other way round (the tarball carries none of them).', { path: '^src/' }, { path: '^(scripts|test|bench|bin)/' }),
    rule(
      'src-imports-no-dev-dependency',
      'an installed netpol-e2e has only its dependencies: a devDependency imported by src/ would be missing there (types apart, which the build erases).',
      { path: '^src/' },
      { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    ),
    rule(
      'no-circular',
      'an import cycle makes the modules in it one: none can be understood, loaded or tested without the others (a cycle through type-only imports too: npm run deps lists those as warnings).',
      {},
      { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    ),
    rule('no-circular-types', 'a cycle closed by a type-only import loads fine (the build erases it) but still ties the modules together: a type belongs below both.', {}, { circular: true }, 'warn'),
    rule(
      'no-dead-module',
      'a module of src/ that nothing reaches is dead code. Reached from: the programmatic API and its ./kube export (package.json "exports"), the CLI (bin/ runs cli/main.ts), and the tooling that uses src/ as a library (scripts/: the conformance generator, the cluster scripts; bench/: the model matrix it measures).',
      { path: ENTRIES },
      { path: '^src/', pathNot: ENTRIES, reachable: false },
    ),
    rule('not-to-unresolvable', 'an import that does not resolve fails at run time (bin/ resolves dist/, the build, at run time: not cruised).', {}, { couldNotResolve: true }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|results|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // The fixtures are tutorials and suites, not code.
    includeOnly: '^(src|scripts|test|bench)/',
  },
};
