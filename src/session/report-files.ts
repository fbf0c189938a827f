// The one place a run's report files are written. A signal during the report cuts it short: the file being written
// is removed (report/json.ts' writeText) and the ones after it are not written, each said on stderr; a signal that
// stopped the run before its report began leaves the report of what ran to be written.
import pc from 'picocolors';
import { inert } from '../report/inert.ts';
import { writeLine, type Io } from '../report/io.ts';
import type { ReportFiles } from '../report/reporter.ts';

export class ReportFileWriter implements ReportFiles {
  constructor(
    private readonly io: Io,
    private readonly signal: AbortSignal,
    /** Why the report was cut short already (while a suite's matrices were printed), if it was. */
    private cutShort: unknown,
  ) {}

  /** The signal a piece of the report listens to: none once it fired before the report began. */
  static during(signal: AbortSignal): AbortSignal | undefined {
    return signal.aborted ? undefined : signal;
  }

  async write(file: string, writing: (signal?: AbortSignal) => Promise<void>): Promise<void> {
    if (!this.cutShort) {
      this.cutShort = await writing(ReportFileWriter.during(this.signal)).then(
        () => undefined,
        (e: unknown) => {
          if (this.signal.aborted) return e;
          throw e;
        },
      );
    }
    if (this.cutShort) writeLine(this.io.stderr, pc.yellow(`${inert(file)}: not written: ${(this.cutShort as Error).message}`));
  }
}
