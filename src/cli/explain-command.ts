// `netpol-e2e explain`: for each cell of a suite (or the ones chosen), the policies and rules that decide it.
import { InputError } from '../input/input-error.ts';
import { renderExplanation } from '../report/explain.ts';
import { predictSuite } from '../runner/predict.ts';
import { loadSuite } from '../suite/load.ts';
import { writeLine, type Io } from '../report/io.ts';

export async function explainCommand(file: string, options: { step?: string; cell?: string }, io: Io): Promise<number> {
  const suite = await loadSuite(file);
  const predictions = await predictSuite(suite);
  let stepIndexes = suite.steps.map((_, i) => i);
  if (options.step !== undefined) {
    const wanted = options.step;
    const index = /^\d+$/.test(wanted) ? Number(wanted) - 1 : suite.steps.findIndex((s) => s.name.toLowerCase().includes(wanted.toLowerCase()));
    if (!suite.steps[index]) {
      throw new InputError(file, undefined, `no step "${wanted}" (steps: ${suite.steps.map((s, i) => `${i + 1} ${s.name}`).join('; ')})`);
    }
    stepIndexes = [index];
  }
  const out: string[] = [];
  for (const stepIndex of stepIndexes) {
    const step = suite.steps[stepIndex]!;
    let cells = step.cells.filter((c) => predictions.get(stepIndex)!.cells.has(c.key));
    if (options.cell !== undefined) {
      const wanted = options.cell.replace(/\s+/g, ' ').trim().toLowerCase();
      const cell = cells.find((c) => c.key.toLowerCase() === wanted) ?? cells.find((c) => c.key.toLowerCase().includes(wanted));
      if (!cell) {
        if (options.step === undefined) continue;
        throw new InputError(file, step.line, `step "${step.name}" has no cell "${options.cell}" (cells: ${step.cells.map((c) => c.key).join('; ')})`);
      }
      cells = [cell];
    }
    const prediction = predictions.get(stepIndex)!;
    const title = `${suite.name} / step ${stepIndex + 1}: ${step.name}`;
    for (const cell of cells) out.push(renderExplanation(title, prediction.policies, cell.key, prediction.cells.get(cell.key)!));
  }
  if (out.length === 0) throw new InputError(file, undefined, `no step has a cell "${options.cell}"`);
  writeLine(io.stdout, out.join('\n\n'));
  return 0;
}
