#!/usr/bin/env node
// NetworkPolicy analysis at scale (docs/netpol.md records the figures). Run after `npm run build`:
//   node bench/netpol.bench.mjs            (add --naive-sources N to change the naive sample, default 40)
// Synthetic cluster (bench/netpol-cluster.mjs): 10,000 pods, 500 namespaces, 2,000 NetworkPolicies.
// 1. In-process, one run: load (validation, defaulting, inventory), the class matrix, the namespace and
//    workload matrices (each includes the k3s comparison), 200 explains; the naive pod-by-pod evaluator
//    on a sample of source pods against every destination, checked cell by cell against the class
//    matrix, and extrapolated to all 10^8 pairs.
// 2. Whole process: `kharden netpol matrix --by namespace` and `kharden netpol explain` on a cluster
//    snapshot and on YAML manifests of the same cluster (wall time and peak RSS by /usr/bin/time).
// Goals: namespace and class matrix within 3 s and 1 GB whole-process; one explain within 100 ms after loading.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { syntheticCluster } from './netpol-cluster.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const load = (module) => import(path.join(root, 'dist/netpol', module));
const { analyzeObjects } = await load('analysis.js');
const { buildClassMatrix } = await load('class-matrix.js');
const { buildMatrixView } = await load('matrix-view.js');
const { explainFlow } = await load('flow-evaluation.js');
const { pairAllowance } = await load('pair-evaluation.js');
const { portSetKey } = await load('port-set.js');

const argument = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
};
const naiveSources = argument('--naive-sources', 40);

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const mib = (bytes) => `${Math.round(bytes / 1024 / 1024)} MiB`;
function time(label, work) {
  const start = process.hrtime.bigint();
  const result = work();
  const elapsed = seconds(start);
  console.log(`${label.padEnd(44)} ${elapsed.toFixed(3)} s   (heap ${mib(process.memoryUsage().heapUsed)}, rss ${mib(process.memoryUsage().rss)})`);
  return { result, elapsed };
}

const objects = syntheticCluster();
const sourced = objects.map((object, index) => ({ object, origin: { kind: 'file', path: 'synthetic.yaml', document: index, line: 1 } }));
const counts = { pods: objects.filter((o) => o.kind === 'Pod').length, namespaces: objects.filter((o) => o.kind === 'Namespace').length, policies: objects.filter((o) => o.kind === 'NetworkPolicy').length };
console.log(`synthetic cluster: ${counts.pods} pods, ${counts.namespaces} namespaces, ${counts.policies} NetworkPolicies`);
console.log(`node ${process.version}, ${process.platform}/${process.arch}\n`);

console.log('in-process');
const { result: analysis, elapsed: loadTime } = time('load (validate, default, inventory)', () => analyzeObjects(sourced));
if (analysis.problems.length > 0) throw new Error(`unexpected problems: ${analysis.problems[0].message}`);
const { result: classes, elapsed: classTime } = time('class matrix (spec)', () => buildClassMatrix(analysis, 'spec'));
console.log(`  ${classes.classes.length} classes for ${analysis.inventory.endpoints.length} pods; ${classes.allowances.sure.length} distinct cell values`);
time('class matrix (kube-router)', () => buildClassMatrix(analysis, 'kube-router'));
const { result: byNamespace, elapsed: namespaceTime } = time('namespace matrix (+ k3s comparison)', () => buildMatrixView(analysis, { by: 'namespace' }));
time('workload matrix (+ k3s comparison)', () => buildMatrixView(analysis, { by: 'workload' }));
time('namespace matrix, 3 ports (+ k3s comparison)', () =>
  buildMatrixView(analysis, { by: 'namespace', probes: [{ port: 5432, protocol: 'TCP' }, { port: 9000, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }),
);
let differs = 0;
for (let row = 0; row < byNamespace.labels.length; row++) for (let column = 0; column < byNamespace.labels.length; column++) if (byNamespace.cell(row, column).k3sDiffers) differs++;
console.log(`  namespace cells where k3s answers differently: ${differs}`);

// Explain: 200 random flows after loading (a deterministic sequence).
const endpoints = analysis.inventory.endpoints;
let seed = 12345;
const random = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const explainTimes = [];
for (let i = 0; i < 200; i++) {
  const from = endpoints[random(endpoints.length)];
  const to = endpoints[random(endpoints.length)];
  const start = process.hrtime.bigint();
  explainFlow(analysis, { from, to, port: [5432, 9000, 8080, 53][i % 4], protocol: i % 4 === 3 ? 'UDP' : 'TCP' });
  explainTimes.push(seconds(start) * 1000);
}
explainTimes.sort((a, b) => a - b);
const quantile = (q) => explainTimes[Math.min(explainTimes.length - 1, Math.floor(q * explainTimes.length))];
console.log(`${'explain (200 flows)'.padEnd(44)} median ${quantile(0.5).toFixed(2)} ms, p95 ${quantile(0.95).toFixed(2)} ms, max ${explainTimes[explainTimes.length - 1].toFixed(2)} ms`);

// The naive evaluator on a sample, checked against the class matrix.
const sample = Array.from({ length: naiveSources }, (_, index) => endpoints[Math.floor((index * endpoints.length) / naiveSources)]);
let mismatches = 0;
const naiveStart = process.hrtime.bigint();
for (const from of sample) {
  for (const to of endpoints) {
    const naive = pairAllowance(analysis, 'spec', from, to);
    const fast = classes.allowance(from, to);
    if (portSetKey(naive.sure) !== portSetKey(fast.sure) || portSetKey(naive.possible) !== portSetKey(fast.possible)) mismatches++;
  }
}
const naiveTime = seconds(naiveStart);
const pairs = sample.length * endpoints.length;
const allPairs = endpoints.length * endpoints.length;
const naiveRate = pairs / naiveTime;
console.log(
  `${`naive pod-by-pod (${sample.length} sources x ${endpoints.length})`.padEnd(44)} ${naiveTime.toFixed(3)} s = ${Math.round(naiveRate).toLocaleString('en-US')} pairs/s (with the check)`,
);
console.log(`  extrapolated to all ${allPairs.toLocaleString('en-US')} pairs: ${(allPairs / naiveRate).toFixed(0)} s; class matrix ${classTime.toFixed(3)} s (x${Math.round(allPairs / naiveRate / classTime)})`);
console.log(`  class matrix vs naive on ${pairs.toLocaleString('en-US')} pairs: ${mismatches} mismatches`);
console.log(`  peak RSS so far ${mib(process.resourceUsage().maxRSS * 1024)}`);
if (mismatches > 0) process.exitCode = 1;

// Whole process.
console.log('\nwhole process (node bin/kharden.js, /usr/bin/time)');
const dir = mkdtempSync(path.join(tmpdir(), 'kharden-netpol-bench-'));
try {
  const snapshot = path.join(dir, 'cluster.json');
  writeFileSync(
    snapshot,
    JSON.stringify({
      apiVersion: 'kharden.dev/v1',
      kind: 'ClusterFacts',
      collectedAt: new Date().toISOString(),
      collector: { kharden: 'bench', mode: 'manifests' },
      server: null,
      files: ['synthetic.yaml'],
      access: [],
      objects: sourced,
      problems: [],
      notes: [],
    }),
  );
  const manifests = path.join(dir, 'cluster.yaml');
  writeFileSync(manifests, objects.map((object) => stringify(object)).join('---\n'));
  // Three runs each: the best and the median wall time, CPU time (user + sys, less sensitive to other
  // processes on the machine) and peak RSS.
  const run = (label, args) => {
    const runs = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, path.join(root, 'bin/kharden.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const last = result.stderr.trim().split('\n').pop() ?? '';
      const [wall, user, system, kilobytes] = last.split(' ').map(Number);
      if (result.status !== 0) throw new Error(`${label}: exit ${result.status}: ${result.stderr.slice(0, 500)}`);
      runs.push({ wall, cpu: user + system, rss: kilobytes * 1024 });
    }
    const sorted = (key) => runs.map((entry) => entry[key]).sort((a, b) => a - b);
    const wall = sorted('wall');
    const cpu = sorted('cpu');
    const rss = Math.max(...runs.map((entry) => entry.rss));
    console.log(`${label.padEnd(44)} wall best ${wall[0].toFixed(2)} s, median ${wall[1].toFixed(2)} s; cpu best ${cpu[0].toFixed(2)} s; peak RSS ${mib(rss)}`);
    return { wall: wall[0], cpu: cpu[0], rss };
  };
  const startup = run('kharden --version (startup alone)', ['--version']);
  const from = 'app-001/api-api1-0';
  const to = 'app-001/db-db1-0';
  const matrixSnapshot = run('matrix --by namespace, snapshot JSON', ['netpol', 'matrix', '--snapshot', snapshot, '--by', 'namespace', '-f', 'json', '-o', path.join(dir, 'm.json')]);
  const matrixText = run('matrix --by namespace -f text, snapshot JSON', ['netpol', 'matrix', '--snapshot', snapshot, '--by', 'namespace', '-o', path.join(dir, 'm.txt')]);
  run('matrix --by workload -f csv, snapshot JSON', ['netpol', 'matrix', '--snapshot', snapshot, '--by', 'workload', '-f', 'csv', '-o', path.join(dir, 'w.csv')]);
  const explainRun = run('explain, snapshot JSON', ['netpol', 'explain', from, to, '5432', '--snapshot', snapshot, '-o', path.join(dir, 'e.txt')]);
  const matrixYaml = run('matrix --by namespace, YAML manifests', ['netpol', 'matrix', path.join(dir, 'cluster.yaml'), '--by', 'namespace', '-f', 'json', '-o', path.join(dir, 'm2.json')]);
  console.log(
    `\ngoals: namespace + class matrix in-process ${(classTime + namespaceTime).toFixed(2)} s (load ${loadTime.toFixed(2)} s), whole process (JSON, snapshot) best ${matrixSnapshot.wall.toFixed(2)} s wall / ${matrixSnapshot.cpu.toFixed(2)} s cpu (text ${matrixText.wall.toFixed(2)} s; startup alone ${startup.wall.toFixed(2)} s), YAML ${matrixYaml.wall.toFixed(2)} s: goal 3 s; peak RSS ${mib(Math.max(matrixSnapshot.rss, matrixYaml.rss))}: goal 1 GB; explain after loading median ${quantile(0.5).toFixed(2)} ms, max ${explainTimes[explainTimes.length - 1].toFixed(2)} ms: goal 100 ms (whole process ${explainRun.wall.toFixed(2)} s)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
