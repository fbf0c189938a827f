// Biome's configuration (biome.jsonc): the formatter keeps .editorconfig's indentation and line width, and
// `npm run sizes` names each src file over 400 lines and each function over 80, with file:line, and exits 1.
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { fixture, REPO } from '../support/fixture.ts';

const BIN = path.join(REPO, 'node_modules/.bin');

/** The `[*]` section's value of an .editorconfig key. */
async function editorconfig(key: string): Promise<string> {
  const text = await readFile(path.join(REPO, '.editorconfig'), 'utf8');
  const all = text.split(/^\[/m).find((section) => section.startsWith('*]'));
  const value = all?.match(new RegExp(`^${key}\\s*=\\s*(\\S+)`, 'm'))?.[1];
  if (value === undefined) throw new Error(`.editorconfig: no ${key} in [*]`);
  return value;
}

const format = async (text: string) => (await execa(path.join(BIN, 'biome'), ['format', '--stdin-file-path=src/sample.ts'], { cwd: REPO, input: text, stripFinalNewline: false })).stdout;

describe('biome.jsonc', () => {
  it('formats to .editorconfig: its indent and its max_line_length, in single quotes, with semicolons and trailing commas', async () => {
    const width = Number(await editorconfig('max_line_length'));
    const indent = ' '.repeat(Number(await editorconfig('indent_size')));
    expect(await editorconfig('indent_style')).toBe('space');
    const call = (length: number) => {
      const head = 'call(';
      const tail = "', b);";
      return `${head}'${'a'.repeat(length - head.length - tail.length - 1)}${tail}`;
    };
    const fits = `function f() {\n${indent}${call(width - indent.length)}\n}\n`;
    expect(fits.split('\n')[1]).toHaveLength(width);
    expect(await format(fits)).toBe(fits);
    const over = `function f() {\n${indent}${call(width - indent.length + 1)}\n}\n`;
    expect((await format(over)).split('\n')).toEqual(['function f() {', `${indent}call(`, `${indent}${indent}'${'a'.repeat(width - indent.length - 11)}',`, `${indent}${indent}b,`, `${indent});`, '}', '']);
    expect(await format('const x = {a: "b"}\n')).toBe("const x = { a: 'b' };\n");
  });

  it('npm run sizes: a src file over 400 lines and a function over 80 fail with file:line; at the limits they pass', async () => {
    const numbered = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('');
    const fn = (name: string, lines: number) => `export function ${name}(): number {\n  let n = 0;\n${numbered(lines - 2, (i) => `  n += ${i};\n`)}  return n;\n}\n`;
    const dir = await fixture({
      'src/long-file.ts': numbered(401, (i) => `export const c${i} = ${i};\n`),
      'src/file-at-limit.ts': numbered(400, (i) => `export const c${i} = ${i};\n`),
      'src/long-function.ts': fn('long', 81),
      'src/function-at-limit.ts': fn('atLimit', 80),
      // Outside src/ the limits do not hold (tests have long describe blocks).
      'test/long.test.ts': fn('inTest', 200),
    });
    for (const file of ['biome.jsonc', '.editorconfig', '.gitignore']) await cp(path.join(REPO, file), path.join(dir, file));
    const scripts = (JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'sizes', scripts: { sizes: scripts.sizes } }));
    const { exitCode, stdout, stderr } = await execa('npm', ['run', '--silent', 'sizes'], { cwd: dir, reject: false, env: { PATH: `${BIN}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' } });
    const output = stdout + stderr;
    expect(output).toMatch(/src\/long-file\.ts:1:1 lint\/style\/noExcessiveLinesPerFile[\s\S]*This file has too many lines \(401\)\. Maximum allowed is 400\./);
    expect(output).toMatch(/src\/long-function\.ts:1:8 lint\/complexity\/noExcessiveLinesPerFunction[\s\S]*This function has too many lines \(81\)\. Maximum allowed is 80\./);
    expect(output).not.toMatch(/at-limit|long\.test/);
    expect(output).toMatch(/Found 2 errors\./);
    expect(exitCode).toBe(1);
  });
});
