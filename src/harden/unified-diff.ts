/**
 * Line-based unified diff (the `diff -u` / `git diff` hunk format) computed with Myers' O(ND) algorithm,
 * so that a plan shows exactly the lines a change adds and removes.
 */

export type DiffOp = { kind: 'equal' | 'delete' | 'insert'; line: string };

/** Splits text into lines; a missing final newline is remembered so that the diff can say so. */
export function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === '') return { lines: [], finalNewline: true };
  const finalNewline = text.endsWith('\n');
  const body = finalNewline ? text.slice(0, -1) : text;
  return { lines: body.split('\n'), finalNewline };
}

/** The shortest edit script turning `before` into `after` (Myers, greedy forward search with a trace). */
export function diffLines(before: readonly string[], after: readonly string[]): DiffOp[] {
  const n = before.length;
  const m = after.length;
  const max = n + m;
  const offset = max;
  let frontier = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = max === 0;
  for (let d = 0; d <= max && !found; d += 1) {
    trace.push(frontier.slice());
    const next = frontier.slice();
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (frontier[offset + k - 1] ?? 0) < (frontier[offset + k + 1] ?? 0));
      let x = down ? (frontier[offset + k + 1] ?? 0) : (frontier[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && before[x] === after[y]) {
        x += 1;
        y += 1;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    frontier = next;
  }
  trace.push(frontier);
  return backtrack(trace, before, after, offset);
}

function backtrack(trace: Int32Array[], before: readonly string[], after: readonly string[], offset: number): DiffOp[] {
  const ops: DiffOp[] = [];
  let x = before.length;
  let y = after.length;
  // trace[d] is the frontier before round d; the last entry is the frontier after the final round.
  for (let d = trace.length - 2; d >= 0; d -= 1) {
    const frontier = trace[d] ?? new Int32Array(0);
    const k = x - y;
    const down = k === -d || (k !== d && (frontier[offset + k - 1] ?? 0) < (frontier[offset + k + 1] ?? 0));
    const previousK = down ? k + 1 : k - 1;
    const previousX = d === 0 ? 0 : (frontier[offset + previousK] ?? 0);
    const previousY = d === 0 ? 0 : previousX - previousK;
    while (x > previousX && y > previousY) {
      x -= 1;
      y -= 1;
      ops.push({ kind: 'equal', line: before[x] ?? '' });
    }
    if (d === 0) break;
    if (down) {
      y -= 1;
      ops.push({ kind: 'insert', line: after[y] ?? '' });
    } else {
      x -= 1;
      ops.push({ kind: 'delete', line: before[x] ?? '' });
    }
  }
  while (x > 0 && y > 0) {
    x -= 1;
    y -= 1;
    ops.push({ kind: 'equal', line: before[x] ?? '' });
  }
  return ops.reverse();
}

export interface UnifiedDiffOptions {
  /** Lines of context around each change (diff -u uses 3). */
  context?: number;
  /** Header names: `a/etc/...` and `b/etc/...`; `/dev/null` for a file that does not exist. */
  fromName: string;
  toName: string;
}

/**
 * The unified diff of two texts, or '' when they are equal. `null` stands for a file that does not exist
 * (its side of the header becomes /dev/null).
 */
export function unifiedDiff(before: string | null, after: string | null, options: UnifiedDiffOptions): string {
  if (before === after) return '';
  const context = options.context ?? 3;
  const from = withNewlineMarker(splitLines(before ?? ''));
  const to = withNewlineMarker(splitLines(after ?? ''));
  const ops = diffLines(from, to);
  const header = [`--- ${before === null ? '/dev/null' : options.fromName}`, `+++ ${after === null ? '/dev/null' : options.toName}`];
  const hunks = buildHunks(ops, context);
  if (hunks.length === 0) return '';
  return `${[...header, ...hunks].join('\n')}\n`;
}

const noNewlineMarker = '\\ No newline at end of file';

/**
 * A last line without a newline carries the marker in its text, so that it differs from the same line with a
 * newline and prints as diff prints it.
 */
function withNewlineMarker(split: { lines: string[]; finalNewline: boolean }): string[] {
  const lines = [...split.lines];
  const last = lines.length - 1;
  if (!split.finalNewline && last >= 0) lines[last] = `${lines[last] ?? ''}\n${noNewlineMarker}`;
  return lines;
}

function buildHunks(ops: readonly DiffOp[], context: number): string[] {
  const changed: number[] = [];
  ops.forEach((op, index) => {
    if (op.kind !== 'equal') changed.push(index);
  });
  if (changed.length === 0) return [];
  const ranges: Array<[number, number]> = [];
  for (const index of changed) {
    const start = Math.max(0, index - context);
    const end = Math.min(ops.length - 1, index + context);
    const last = ranges[ranges.length - 1];
    if (last !== undefined && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
  }
  // Line numbers of each op on both sides.
  const fromLine: number[] = [];
  const toLine: number[] = [];
  let a = 1;
  let b = 1;
  for (const op of ops) {
    fromLine.push(a);
    toLine.push(b);
    if (op.kind !== 'insert') a += 1;
    if (op.kind !== 'delete') b += 1;
  }
  const out: string[] = [];
  for (const [start, end] of ranges) {
    const slice = ops.slice(start, end + 1);
    const fromCount = slice.filter((op) => op.kind !== 'insert').length;
    const toCount = slice.filter((op) => op.kind !== 'delete').length;
    const fromStart = fromCount === 0 ? (fromLine[start] ?? 1) - 1 : (fromLine[start] ?? 1);
    const toStart = toCount === 0 ? (toLine[start] ?? 1) - 1 : (toLine[start] ?? 1);
    out.push(`@@ -${range(fromStart, fromCount)} +${range(toStart, toCount)} @@`);
    for (const op of slice) out.push(`${op.kind === 'equal' ? ' ' : op.kind === 'delete' ? '-' : '+'}${op.line}`);
  }
  return out;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** Re-applies a unified diff to `before` (used by tests to check that a diff is exact). */
export function applyUnifiedDiff(before: string, diff: string): string {
  const source = splitLines(before).lines;
  const lines = diff.split('\n');
  const result: string[] = [];
  let cursor = 0;
  let finalNewline = before === '' || before.endsWith('\n');
  let index = 0;
  while (index < lines.length && !lines[index]?.startsWith('@@')) index += 1;
  while (index < lines.length) {
    const header = lines[index] ?? '';
    const match = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(header);
    if (match === null) break;
    const fromStart = Number(match[1]);
    const fromCount = match[2] === undefined ? 1 : Number(match[2]);
    const hunkStart = fromCount === 0 ? fromStart : fromStart - 1;
    while (cursor < hunkStart) result.push(source[cursor++] ?? '');
    index += 1;
    while (index < lines.length && !(lines[index] ?? '').startsWith('@@')) {
      const line = lines[index] ?? '';
      const next = lines[index + 1];
      const lastOfSide = next === noNewlineMarker;
      if (line.startsWith(' ')) {
        result.push(line.slice(1));
        cursor += 1;
        if (lastOfSide) finalNewline = false;
      } else if (line.startsWith('-')) {
        cursor += 1;
        if (lastOfSide) finalNewline = true;
      } else if (line.startsWith('+')) {
        result.push(line.slice(1));
        if (lastOfSide) finalNewline = false;
      }
      index += lastOfSide ? 2 : 1;
    }
  }
  while (cursor < source.length) result.push(source[cursor++] ?? '');
  if (result.length === 0) return '';
  return result.join('\n') + (finalNewline ? '\n' : '');
}
