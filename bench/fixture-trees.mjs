// The real k3s node trees of test/fixtures/node-trees.ts, for benchmarks (plain node, no vitest).
// test/ is not part of `npm run build`, so tsconfig.bench.json compiles src/ and the tree builder into
// .bench-dist/ (gitignored; about a second with the native tsc). The builder reads its journald files
// next to itself, so they are copied beside the compiled file.
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Compiles the tree builder and returns its module (`buildNodeTree(kind, { root })`). */
export async function loadNodeTrees() {
  execFileSync(path.join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', path.join(repoRoot, 'tsconfig.bench.json')], { cwd: repoRoot, stdio: 'inherit' });
  cpSync(path.join(repoRoot, 'test/fixtures/journals'), path.join(repoRoot, '.bench-dist/test/fixtures/journals'), { recursive: true });
  return import(path.join(repoRoot, '.bench-dist/test/fixtures/node-trees.js'));
}
