#!/usr/bin/env node
// Node audit speed and memory, whole process (docs/performance.md records the figures). Run after
// `npm run build` (`npm run bench` builds first):
//   node bench/node-audit.bench.mjs [--runs N] [--profile]
// On the four real k3s node trees (test/fixtures/node-trees.ts, compiled by bench/fixture-trees.mjs):
// 1. `kharden audit --snapshot node.json`: goal at most 0.25 s wall and 100 MB peak RSS.
// 2. `kharden audit --root TREE` (collect, journald included, + audit: what a live audit does): goal 0.5 s.
// Each command runs N times (default 9) after one warm-up; the median is the figure, min and max show the
// noise (other processes share the machine). Peak RSS comes from GNU time (`/usr/bin/time -v`).
// --profile: one `audit --snapshot` under `node --cpu-prof`, self time by package or dist/ folder, and what
// importing each runtime dependency costs on its own. Exit code 1 when a goal is missed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { loadNodeTrees, repoRoot } from './fixture-trees.mjs';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : process.argv[index + 1];
};
const runs = Number(argument('--runs', '9'));
if (!Number.isInteger(runs) || runs < 1) {
  console.error('--runs takes a whole number of runs, at least 1');
  process.exit(2);
}
const profile = process.argv.includes('--profile');
const cli = path.join(repoRoot, 'bin/kharden.js');
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

if (!existsSync(path.join(repoRoot, 'dist/cli/main.js'))) {
  console.error('dist/ is missing: run `npm run build` first (npm run bench does)');
  process.exit(2);
}

const { buildNodeTree } = await loadNodeTrees();
const work = mkdtempSync(path.join(tmpdir(), 'kharden-node-audit-bench-'));
const kinds = ['default-server', 'hardened-server', 'default-agent', 'hardened-agent'];
const trees = Object.fromEntries(kinds.map((kind) => [kind, buildNodeTree(kind, { root: path.join(work, kind) }).root]));
const snapshots = {};
for (const kind of kinds) {
  snapshots[kind] = path.join(work, `${kind}.json`);
  execFileSync(process.execPath, [cli, 'collect', '--root', trees[kind], '-o', snapshots[kind]]);
}
const output = path.join(work, 'report.out');

/** One whole-process run: wall time from spawn to exit, and the peak RSS GNU time reports. */
function runOnce(command) {
  const [program, ...args] = command;
  const argv = gnuTime === null ? [program, args] : [gnuTime, ['-v', program, ...args]];
  const start = process.hrtime.bigint();
  const child = spawnSync(argv[0], argv[1], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stderr = child.stderr.toString();
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  const exit = gnuTime === null ? child.status : Number(/Exit status: (\d+)/.exec(stderr)?.[1] ?? child.status);
  if (exit !== 0 && exit !== 1) throw new Error(`${command.join(' ')} exited ${exit}:\n${stderr}`);
  return { seconds, cpu: user === null || system === null ? null : Number(user[1]) + Number(system[1]), rssMB: rss === null ? null : Number(rss[1]) / 1024 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const results = [];
function measure(label, command, goal = {}) {
  runOnce(command); // warm-up: page cache, not counted
  const samples = Array.from({ length: runs }, () => runOnce(command));
  const seconds = samples.map((sample) => sample.seconds);
  const rss = samples.map((sample) => sample.rssMB).filter((value) => value !== null);
  const cpu = samples.map((sample) => sample.cpu).filter((value) => value !== null);
  const result = {
    label,
    median: median(seconds),
    min: Math.min(...seconds),
    max: Math.max(...seconds),
    cpuMedian: cpu.length === 0 ? null : median(cpu),
    rssMedian: rss.length === 0 ? null : median(rss),
    rssMax: rss.length === 0 ? null : Math.max(...rss),
    goal,
  };
  result.met = (goal.seconds === undefined || result.median <= goal.seconds) && (goal.rssMB === undefined || result.rssMedian === null || result.rssMedian <= goal.rssMB);
  results.push(result);
  const goalText = goal.seconds === undefined ? '' : `  goal ≤ ${goal.seconds} s${goal.rssMB === undefined ? '' : `, ≤ ${goal.rssMB} MB`}: ${result.met ? 'met' : 'MISSED'}`;
  const rssText = result.rssMedian === null ? 'RSS n/a' : `RSS ${result.rssMedian.toFixed(0)} MB (max ${result.rssMax.toFixed(0)})`;
  const cpuText = result.cpuMedian === null ? '' : `  cpu ${result.cpuMedian.toFixed(2)} s`;
  console.log(`${label.padEnd(46)} ${result.median.toFixed(3)} s (min ${result.min.toFixed(3)}, max ${result.max.toFixed(3)})${cpuText}  ${rssText}${goalText}`);
  return result;
}

const node = process.execPath;
const kharden = (...args) => [node, cli, ...args];
const snapshotGoal = { seconds: 0.25, rssMB: 100 };
const liveGoal = { seconds: 0.5, rssMB: 100 };

console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB; load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
console.log(`${runs} runs each after a warm-up; median (min, max) wall time from spawn to exit; peak RSS by ${gnuTime ?? 'nothing (no /usr/bin/time)'}\n`);

console.log('-- floor');
measure('node -e 0 (Node.js itself)', [node, '-e', '0']);
measure('kharden --version (load the CLI, no work)', kharden('--version'));

console.log('\n-- audit a snapshot (goal 0.25 s, 100 MB)');
measure('audit --snapshot default-server.json', kharden('audit', '--snapshot', snapshots['default-server'], '-o', output), snapshotGoal);
measure('audit --snapshot default-server.json -f json', kharden('audit', '--snapshot', snapshots['default-server'], '-f', 'json', '-o', output), snapshotGoal);
measure('audit --snapshot hardened-server.json', kharden('audit', '--snapshot', snapshots['hardened-server'], '-o', output), snapshotGoal);
measure('audit --snapshot default-agent.json', kharden('audit', '--snapshot', snapshots['default-agent'], '-o', output), snapshotGoal);
measure('audit --demo', kharden('audit', '--demo', '-o', output), snapshotGoal);

console.log('\n-- collect + audit on a node tree, as a live audit (goal 0.5 s)');
for (const kind of kinds) measure(`audit --root ${kind}`, kharden('audit', '--root', trees[kind], '-o', output), liveGoal);
measure('collect --root default-server -o node.json', kharden('collect', '--root', trees['default-server'], '-o', path.join(work, 'again.json')), liveGoal);

if (profile) profileSnapshotAudit();

console.log(`\nload average after: ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
rmSync(work, { recursive: true, force: true });
const missed = results.filter((result) => !result.met);
if (missed.length > 0) {
  console.log(`\nMISSED: ${missed.map((result) => result.label).join('; ')} (run with --profile to see where the time goes)`);
  process.exitCode = 1;
}

/** Where `audit --snapshot` spends its time: self time by package / dist folder, and each dependency's import cost. */
function profileSnapshotAudit() {
  console.log('\n-- profile: audit --snapshot default-server.json (node --cpu-prof)');
  const dir = mkdtempSync(path.join(tmpdir(), 'kharden-cpu-prof-'));
  spawnSync(node, ['--cpu-prof', `--cpu-prof-dir=${dir}`, cli, 'audit', '--snapshot', snapshots['default-server'], '-o', output], { stdio: 'ignore' });
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  const cpuProfile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const nodes = new Map(cpuProfile.nodes.map((item) => [item.id, item]));
  const selfTime = new Map();
  cpuProfile.samples.forEach((id, index) => selfTime.set(id, (selfTime.get(id) ?? 0) + (cpuProfile.timeDeltas[index] ?? 0)));
  const byPlace = new Map();
  for (const [id, micros] of selfTime) {
    const place = placeOf(nodes.get(id).callFrame);
    byPlace.set(place, (byPlace.get(place) ?? 0) + micros);
  }
  const total = [...byPlace.values()].reduce((sum, value) => sum + value, 0);
  console.log(`sampled ${(total / 1000).toFixed(0)} ms; self time by place (node:internal/modules/* is module loading):`);
  for (const [place, micros] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${(micros / 1000).toFixed(1).padStart(7)} ms  ${place}`);
  console.log(`profile kept at ${path.join(dir, file)} (open in Chrome DevTools > Performance)`);

  console.log('import cost of each runtime dependency alone (median of 7 pairs: the import minus `node -e 0` run just before it):');
  const dependencies = Object.keys(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).dependencies);
  const wall = (command) => {
    const start = process.hrtime.bigint();
    spawnSync(command[0], command.slice(1), { cwd: repoRoot, stdio: 'ignore' });
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  for (const dependency of dependencies) {
    const command = [node, '--input-type=module', '-e', `await import(${JSON.stringify(dependency)})`];
    const differences = Array.from({ length: 7 }, () => {
      const floor = wall([node, '-e', '0']);
      return wall(command) - floor;
    });
    const rss = runOnceIn(command).rssMB;
    console.log(`  ${dependency.padEnd(26)} +${(median(differences) * 1000).toFixed(0).padStart(4)} ms, peak RSS ${rss === null ? 'n/a' : `${rss.toFixed(0)} MB`}`);
  }
}

function runOnceIn(command) {
  if (gnuTime === null) return { rssMB: null };
  const child = spawnSync(gnuTime, ['-v', ...command], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr.toString());
  return { rssMB: rss === null ? null : Number(rss[1]) / 1024 };
}

function placeOf(frame) {
  const url = frame.url ?? '';
  if (url === '') return `(${frame.functionName || 'native'})`;
  if (url.startsWith('node:')) return url.replace(/^node:internal\/(modules\/[a-z]+).*/, 'node:internal/$1');
  const relative = url.replace(/^file:\/\//, '').replace(`${repoRoot}/`, '');
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(relative);
  if (module !== null) return `node_modules/${module[1]}`;
  const dist = /^dist\/([^/]+)/.exec(relative);
  return dist === null ? relative : `dist/${dist[1]}`;
}
