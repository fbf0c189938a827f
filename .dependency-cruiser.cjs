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

const layerRules = LAYERS.flatMap(({ rooms, why }, row) =>
  rooms.map((room) => {
    const above = LAYERS.slice(0, row).flatMap((l) => l.rooms);
    const siblings = rooms.filter((r) => r !== room);
    const forbidden = [...above, ...siblings, 'conformance'];
    return {
      name: `${room}-imports-no-higher-room`,
      comment: `${room}: ${why}. Not imported from it: ${forbidden.join(', ')}.`,
      severity: 'error',
      from: { path: roomPath(room) },
      to: { path: anyOf(forbidden) },
    };
  }),
);

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'conformance-uses-manifest-and-probe',
      comment: 'conformance generates the upstream topology (npm run gen:conformance): it needs objects and probes, nothing that runs or reports them; and src does not depend on a generator.',
      severity: 'error',
      from: { path: '^src/conformance/' },
      to: { path: '^src/', pathNot: '^src/(conformance|manifest|probe|input)/' },
    },
    {
      name: 'backend-interface-knows-no-backend',
      comment: 'backends/*.ts are the interface and what every backend shares: the model and kube backends implement it, never the other way round, and neither knows the other.',
      severity: 'error',
      from: { path: '^src/backends/[^/]+\\.ts$' },
      to: { path: '^src/backends/(kube|model)/' },
    },
    {
      name: 'no-backend-knows-another',
      comment: 'the model backend and the kube backend are alternatives: one importing the other would load client-node for a run on the model, or tie the model to a cluster.',
      severity: 'error',
      from: { path: '^src/backends/(kube|model)/' },
      to: { path: '^src/backends/(kube|model)/', pathNot: '^src/backends/$1/' },
    },
    {
      name: 'src-imports-no-tooling',
      comment: 'src/ is the package: scripts/, test/ and bench/ may import it, never the other way round (the tarball carries none of them).',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(scripts|test|bench|bin)/' },
    },
    {
      name: 'src-imports-no-dev-dependency',
      comment: 'an installed netpol-e2e has only its dependencies: a devDependency imported by src/ would be missing there (types apart, which the build erases).',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      comment: 'an import cycle makes the modules in it one: none can be understood, loaded or tested without the others (a cycle through type-only imports too: npm run deps lists those as warnings).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-types',
      comment: 'a cycle closed by a type-only import loads fine (the build erases it) but still ties the modules together: a type belongs below both.',
      severity: 'warn',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-dead-module',
      comment:
        'a module of src/ that nothing reaches is dead code. Reached from: the programmatic API and its ./kube export (package.json "exports"), the CLI (bin/ runs cli/main.ts), and the tooling that uses src/ as a library (scripts/: the conformance generator, the cluster scripts; bench/: the model matrix it measures).',
      severity: 'error',
      from: { path: ENTRIES },
      to: { path: '^src/', pathNot: ENTRIES, reachable: false },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that does not resolve fails at run time (bin/ resolves dist/, the build, at run time: not cruised).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
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
