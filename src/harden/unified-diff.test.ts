import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { applyUnifiedDiff, diffLines, unifiedDiff } from './unified-diff.ts';

const names = { fromName: 'a/f', toName: 'b/f' };

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', names)).toBe('');
  });

  it('shows a new file against /dev/null', () => {
    expect(unifiedDiff(null, 'x\ny\n', names)).toBe('--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n');
  });

  it('shows a change with three lines of context', () => {
    const before = '1\n2\n3\n4\n5\n6\n7\n8\n9\n';
    const after = '1\n2\n3\n4\nfive\n6\n7\n8\n9\n';
    expect(unifiedDiff(before, after, names)).toBe('--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
  });

  it('says when a file has no final newline', () => {
    expect(unifiedDiff('a', 'a\n', names)).toBe('--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n');
  });

  it.each([
    ['', 'a\n'],
    ['a\nb\nc\n', 'a\nc\n'],
    ['a\nb\nc\n', 'x\ny\n'],
    ['a\n', 'a\nb'],
    ['k: 1\n# comment\nlist:\n  - a\n  - b\n', 'k: 1\n# comment\nlist:\n  - a\n  - c\n  - b\nnew: true\n'],
    ['1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n', '0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n'],
  ])('matches diff -u for %j -> %j', (before, after) => {
    const dir = mkdtempSync(join(tmpdir(), 'kharden-diff-'));
    writeFileSync(join(dir, 'a'), before);
    writeFileSync(join(dir, 'b'), after);
    let expected = '';
    try {
      execFileSync('diff', ['-u', '--label', 'a/f', '--label', 'b/f', 'a', 'b'], { cwd: dir, encoding: 'utf8' });
    } catch (error) {
      expected = (error as { stdout: string }).stdout;
    }
    expect(unifiedDiff(before, after, names)).toBe(expected);
  });
});

const lineArb = fc.constantFrom('a', 'b', 'c', 'd', '', 'key: value', '# c');
const textArb = fc
  .tuple(fc.array(lineArb, { maxLength: 25 }), fc.boolean())
  .map(([lines, newline]) => (lines.length === 0 ? '' : lines.join('\n') + (newline ? '\n' : '')));

describe('diffLines', () => {
  test.prop([fc.array(lineArb, { maxLength: 30 }), fc.array(lineArb, { maxLength: 30 })])('rebuilds both sides', (a, b) => {
    const ops = diffLines(a, b);
    expect(ops.filter((op) => op.kind !== 'insert').map((op) => op.line)).toEqual(a);
    expect(ops.filter((op) => op.kind !== 'delete').map((op) => op.line)).toEqual(b);
  });

  test.prop([fc.array(lineArb, { maxLength: 30 }), fc.array(lineArb, { maxLength: 30 })])('is a shortest script (keeps an LCS)', (a, b) => {
    const kept = diffLines(a, b).filter((op) => op.kind === 'equal').length;
    expect(kept).toBe(lcsLength(a, b));
  });

  test.prop([textArb, textArb])('a unified diff re-applies exactly', (before, after) => {
    const diff = unifiedDiff(before, after, names);
    expect(applyUnifiedDiff(before, diff)).toBe(after);
  });
});

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j] ?? 0;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1] ?? 0);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}
