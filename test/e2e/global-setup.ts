// Once per `npm test`: picks the backend the suites run on (NETPOL_E2E_BACKEND: model, kind or context), brings
// the kind cluster up when asked (reused if netpol-e2e made it already), and hands the choice to the tests.
import { execa } from 'execa';
import type { TestProject } from 'vitest/node';
import { REPO } from '../support/fixture.ts';

export interface SuiteBackendChoice {
  backend: 'model' | 'kind' | 'context';
  context?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    suiteBackend: SuiteBackendChoice;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const backend = process.env.NETPOL_E2E_BACKEND ?? 'model';
  if (backend !== 'model' && backend !== 'kind' && backend !== 'context') throw new Error(`NETPOL_E2E_BACKEND=${backend}: use model, kind or context`);
  if (backend === 'context' && !process.env.NETPOL_E2E_CONTEXT) throw new Error('NETPOL_E2E_BACKEND=context needs NETPOL_E2E_CONTEXT=<kubeconfig context>');
  if (backend === 'kind' && process.env.NETPOL_E2E_SKIP_UP !== '1') {
    await execa(process.execPath, ['--import', 'tsx', 'scripts/cluster/up.ts'], { cwd: REPO, stdio: 'inherit' });
  }
  project.provide('suiteBackend', { backend, context: process.env.NETPOL_E2E_CONTEXT });
}
