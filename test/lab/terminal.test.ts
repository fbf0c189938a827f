// Progress on a real terminal: tmux renders what the CLI writes to its pty (script(1) records the raw bytes), so the
// test sees both that the live line was written and that none of it is left on the screen among the report. A lab
// test (npm run test:lab): it needs tmux; test/report/progress.test.ts checks the progress lines without a terminal.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { fixture, REPO } from '../support/fixture.ts';
import { labSetUp, requireLab } from '../support/lab-needs.ts';

describe('progress on a real terminal', () => {
  const ready = labSetUp(() => requireLab('the terminal test', { programs: ['tmux', 'script'] }));

  it('shows the live line while the run goes, and leaves none of it among the report', async () => {
    ready();
    const dir = await fixture({});
    const session = `netpol-e2e-progress-${process.pid}`;
    const raw = path.join(dir, 'raw');
    const command = `env -u CI NO_COLOR=1 ${process.execPath} bin/netpol-e2e.js run suites/cilium-dns-aware.suite.yaml`;
    await execa('tmux', ['new-session', '-d', '-s', session, '-x', '220', '-y', '80', '-c', REPO, `script -q -e -c '${command}' ${raw}; tmux wait-for -S ${session}-done; sleep 600`]);
    try {
      // Readiness, not time: the session signals when the run has ended.
      await execa('tmux', ['wait-for', `${session}-done`]);
      const screen = (await execa('tmux', ['capture-pane', '-p', '-S', '-200', '-t', session])).stdout;
      const written = await readFile(raw, 'utf8');
      expect(written).toMatch(/\r\u001b\[2Ksuite 1\/1 Cilium basics: DNS-aware network policy · step 3\/3 · 12 cells · [\d.]+ s/);
      expect(screen).toContain('PASS Cilium basics: DNS-aware network policy: 3 steps, 12 cells');
      expect(screen).not.toMatch(/suite 1\/1 .* cells ·/);
    } finally {
      await execa('tmux', ['kill-session', '-t', session], { reject: false });
    }
  });
});
