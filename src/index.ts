// The programmatic API (package.json "exports": "netpol-e2e"): what the CLI and the vitest suites project use to
// run suites — the run session with its reporters, or its parts: find and load suites, predict them on the model,
// run them step by step on a backend, write results.
// A real cluster is opened through "netpol-e2e/kube", apart, so that importing this loads no Kubernetes client.
export type { ClusterBackend } from './backends/backend.ts';
export { ModelBackend } from './backends/model/model-backend.ts';
export { InputError } from './input/input-error.ts';
export { writeResults } from './report/json.ts';
export { contradictions, predictSuite, type Predictions } from './runner/predict.ts';
export type { CellResult, RunEnvironment, StepResult, SuiteResult } from './results/result.ts';
export { SuiteRun, runSuite, type RunOptions } from './runner/run-suite.ts';
export { discoverSuites } from './suite/discover.ts';
export { knownDivergencesFor } from './results/known-divergences.ts';
export { loadSuite } from './suite/load.ts';
export type { Io } from './report/io.ts';
export type { Reporter } from './report/reporter.ts';
export { runSession, Session, type SessionOptions, type SuiteSession } from './session/session.ts';
export type { Suite } from './suite/types.ts';
