#!/usr/bin/env node
// `npm run bench`: builds dist/, then runs every benchmark in bench/, one after the other (they measure
// time: never two at once). Each prints its own figures; docs/performance.md says where they are recorded.
//   npm run bench                      all of them
//   npm run bench -- node-audit pss    only those whose file name contains one of the words
//   npm run bench -- node-audit --runs 5 --profile    from the first option on, arguments go to each .bench.mjs
// Benchmarks are `bench/*.bench.mjs` (plain node) and `bench/*.vitest.config.ts` (programs that need vitest,
// e.g. the cluster benchmark's real API server).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith('-'));
const words = firstOption === -1 ? args : args.slice(0, firstOption);
const passThrough = firstOption === -1 ? [] : args.slice(firstOption);

const files = readdirSync(path.join(root, 'bench')).sort();
const benchmarks = [
  ...files.filter((name) => name.endsWith('.bench.mjs')).map((name) => ({ name, command: [process.execPath, [path.join('bench', name), ...passThrough]] })),
  ...files
    .filter((name) => name.endsWith('.vitest.config.ts'))
    .map((name) => ({ name, command: [path.join(root, 'node_modules', '.bin', 'vitest'), ['run', '--config', path.join('bench', name)]] })),
].filter((benchmark) => words.length === 0 || words.some((word) => benchmark.name.includes(word)));

if (benchmarks.length === 0) {
  console.error(`no benchmark matches ${words.join(', ')}; there are: ${files.filter((name) => name.endsWith('.bench.mjs') || name.endsWith('.vitest.config.ts')).join(', ')}`);
  process.exit(2);
}

console.log('building dist/ (npm run build)');
const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const outcomes = [];
for (const { name, command } of benchmarks) {
  console.log(`\n===== ${name} =====`);
  const start = process.hrtime.bigint();
  const child = spawnSync(command[0], command[1], { cwd: root, stdio: 'inherit' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  outcomes.push({ name, status: child.status ?? (child.signal === null ? 1 : 128), seconds });
}

console.log('\n===== summary =====');
for (const { name, status, seconds } of outcomes) console.log(`${status === 0 ? 'ok    ' : `exit ${status}`}  ${name} (${seconds.toFixed(0)} s)`);
console.log('a non-zero exit means a goal was missed or the benchmark failed: see its output above');
process.exitCode = outcomes.some((outcome) => outcome.status !== 0) ? 1 : 0;
