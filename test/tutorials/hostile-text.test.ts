// Tutorials built to make the reader work without end (issue 15). Each input here took minutes before (a lazy
// shortcode regex searched the rest of the text from every unclosed opener; a filename regex scanned a long word
// from each of its positions; each YAML block was parsed behind as many blank lines as came before it; the markdown
// parser's work grew with nesting); each is linear now, and the suite's test timeout is the only bound: no duration
// is asserted. YAML loading's linearity is counted exactly in test/input/yaml-linear.test.ts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractTutorial } from '../../src/tutorials/extract-tutorial.ts';
import { fixture } from '../support/fixture.ts';
import { readChapter } from '../../src/tutorials/read/chapter.ts';
import { findShortcodes, substituteParams } from '../../src/tutorials/read/shortcodes.ts';
import { readManifests } from '../../src/tutorials/extract/manifests.ts';
import type { Finding } from '../../src/tutorials/read/blocks.ts';

describe('hostile tutorial text', () => {
  it('200,000 unclosed shortcode openers: scanned once, none found; closed ones around them still are', () => {
    const text = `{{< param version >}} ${'{{< x '.repeat(200_000)}`;
    expect(findShortcodes(text).map((s) => s.name)).toEqual(['param']);
    expect(substituteParams('v{{< param version >}}, {{% param other %}}', { version: '1.2' })).toBe('v1.2, {{% param other %}}');
    expect(findShortcodes('{{< highlight yaml >}}x{{< /highlight >}}').map((s) => [s.name, s.closing, s.args])).toEqual([
      ['highlight', false, 'yaml'],
      ['highlight', true, ''],
    ]);
  });

  it('a 300,000-character word in prose, and a manifest name after it that the walk still reads', async () => {
    const dir = await fixture({
      'policy.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shown }\n',
      't.md': `# T\n\n${'a'.repeat(300_000)}.yaml.bak, then save this as policy.yaml:\n\n\`\`\`yaml\napiVersion: v1\nkind: Namespace\nmetadata: { name: shown }\n\`\`\`\n\n\`\`\`shell\nkubectl apply -f policy.yaml\n\`\`\`\n`,
    });
    const { extraction } = await extractTutorial(path.join(dir, 't.md'));
    expect(extraction.findings.filter((f) => f.severity !== 'warning')).toEqual([]);
    expect(extraction.findings.map((f) => f.rule)).not.toContain('include-not-found');
  });

  it("YAML blocks deep in a long file are parsed once each, with the file's own line numbers", () => {
    const findings: Finding[] = [];
    for (let line = 1; line <= 200_000; line += 20) {
      const read = readManifests('apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n', 't.md', line, findings);
      expect(read.objects).toHaveLength(1);
    }
    readManifests('a: [\n', 't.md', 150_000, findings);
    expect(findings.map((f) => [f.line, f.rule])).toEqual([[150_001, 'bad-yaml']]);
  });

  it('block quotes and lists nested past the bound: a finding, and the chapter read line by line', () => {
    for (const text of [`# T\n\n${'>'.repeat(50_000)} hi\n`, `# T\n\n${Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')}\n`]) {
      const findings: Finding[] = [];
      const chapter = readChapter('t.md', text, {}, findings);
      expect(chapter.mode).toBe('text');
      // The quote line, or the first list item indented past 128 columns (the 66th).
      expect(findings.map((f) => [f.line, f.rule])).toEqual([[text.startsWith('# T\n\n>') ? 3 : 68, 'too-deep']]);
    }
  });
});
