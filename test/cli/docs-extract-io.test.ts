// `docs extract` in-process (runCli with the caller's streams): the suite and the listing reach the Io it is given,
// not the process's own streams.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('docs extract through runCli', () => {
  it("writes the suite to the Io's stdout and the listing to its stderr", async () => {
    const stdout = collector();
    const stderr = collector();
    const code = await runCli(['docs', 'extract', 'tutorials/seeds/002_76b179241617974a.txt'], { stdout: stdout.stream, stderr: stderr.stream, env: { NO_COLOR: '1' } });
    expect(code, stderr.text()).toBe(0);
    expect(stdout.text()).toMatch(/^name: /);
    expect(stderr.text()).toContain('4 claim(s) (rendered text, read line by line)');
  });
});
