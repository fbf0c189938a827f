import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeText } from '../../src/report/json.ts';
import { fixture } from '../support/fixture.ts';

const MiB = 'x'.repeat(1 << 20);

describe('writeText', () => {
  it('writes every piece, in order', async () => {
    const file = path.join(await fixture({}), 'deep/report.json');
    await writeText(file, ['a', MiB, 'b', MiB, 'c']);
    expect(readFileSync(file, 'utf8')).toBe(`a${MiB}b${MiB}c`);
  });

  it('stops at a signal between pieces and removes what it wrote, not leaving half a file', async () => {
    const file = path.join(await fixture({}), 'results.json');
    const controller = new AbortController();
    function* pieces() {
      yield MiB;
      controller.abort(new Error('interrupted (SIGTERM)'));
      yield MiB;
      yield MiB;
    }
    await expect(writeText(file, pieces(), controller.signal)).rejects.toThrow('interrupted (SIGTERM)');
    expect(existsSync(file)).toBe(false);
  });
});
