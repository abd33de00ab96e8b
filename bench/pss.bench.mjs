#!/usr/bin/env node
// Pod Security evaluation speed (docs/pss.md records the figures). Run after `npm run build`:
//   node bench/pss.bench.mjs
// 1. In-process: evaluatePod() on already-validated pods (the API the CIS section 5.2 controls use),
//    and parsePod() + evaluatePod() (validation included). Goal: at least 100,000 pod specs per second.
// 2. Whole process: `kharden pss` on a 10,000-object manifest file (YAML parse, validation, namespace
//    policy, evaluation, patches, JSON and text reports). Goal: within 2 s.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { evaluatePod, evaluateWorkload, parsePod } = await import(path.join(root, 'dist/pss/index.js'));

// The pods: every upstream fixture and every workload template of the corpus.
const rawPods = [];
const fixtures = path.join(root, 'test/conformance/pss');
for (const level of ['baseline', 'restricted']) {
  for (const version of readdirSync(path.join(fixtures, level))) {
    for (const outcome of ['pass', 'fail']) {
      const dir = path.join(fixtures, level, version, outcome);
      for (const file of readdirSync(dir)) rawPods.push(parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'))[0].toJS());
    }
  }
}
const corpus = [];
for (const file of readdirSync(path.join(root, 'test/corpus')).filter((name) => name.endsWith('.yaml'))) {
  for (const document of parseAllDocuments(readFileSync(path.join(root, 'test/corpus', file), 'utf8'))) {
    const value = document.toJS();
    if (value !== null) corpus.push(value);
  }
}
const pods = rawPods.map((raw) => {
  const parsed = parsePod(raw);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.pod;
});

function measure(label, count, work) {
  work(Math.min(count, 20_000)); // warm up
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  work(count);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = count / seconds;
  console.log(
    `${label}: ${count} in ${seconds.toFixed(3)} s = ${Math.round(rate).toLocaleString('en-US')} pods/s wall, ${Math.round(count / cpuSeconds).toLocaleString('en-US')} pods/s per CPU second`,
  );
  return rate;
}

const N = 500_000;
const results = {};
results.restricted = measure('evaluatePod restricted:latest (validated pods)', N, (count) => {
  let rejected = 0;
  for (let i = 0; i < count; i++) if (!evaluatePod(pods[i % pods.length], 'restricted').allowed) rejected++;
  return rejected;
});
results.baseline = measure('evaluatePod baseline:v1.29 (validated pods)', N, (count) => {
  for (let i = 0; i < count; i++) evaluatePod(pods[i % pods.length], 'baseline', 29);
});
results.withValidation = measure('parsePod + evaluatePod restricted:latest (untrusted input)', 200_000, (count) => {
  for (let i = 0; i < count; i++) {
    const parsed = parsePod(rawPods[i % rawPods.length]);
    if (parsed.ok) evaluatePod(parsed.pod, 'restricted');
  }
});
results.workloads = measure('evaluateWorkload restricted (corpus objects incl. templates)', 200_000, (count) => {
  for (let i = 0; i < count; i++) evaluateWorkload(corpus[i % corpus.length], 'restricted');
});

// A 10,000-object manifest file: the corpus, many times over, across 20 labelled namespaces.
const dir = mkdtempSync(path.join(tmpdir(), 'kharden-pss-bench-'));
const file = path.join(dir, 'workloads.yaml');
const documents = [];
for (let n = 0; n < 20; n++) {
  const level = ['restricted', 'baseline', 'privileged'][n % 3];
  documents.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}`, labels: { 'pod-security.kubernetes.io/enforce': level } } });
}
let index = 0;
while (documents.length < 10_000) {
  const object = structuredClone(corpus[index % corpus.length]);
  object.metadata = { ...object.metadata, name: `${object.metadata?.name ?? 'x'}-${index}`, namespace: `team-${index % 20}` };
  documents.push(object);
  index++;
}
writeFileSync(file, documents.map((document) => stringify(document)).join('---\n'));
const bytes = readFileSync(file).length;
console.log(`manifest: ${documents.length} objects, ${(bytes / 1e6).toFixed(1)} MB`);

const cli = path.join(root, 'bin/kharden.js');
const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
/** Wall time of the whole process and, where /usr/bin/time exists, its CPU time (user + system): on a busy machine the CPU time is the steadier figure. */
function timeCli(args) {
  const runs = [];
  for (let run = 0; run < 5; run++) {
    const command = timeBinary === null ? [process.execPath, [cli, 'pss', ...args]] : [timeBinary, ['-f', 'TIME %e %U %S', process.execPath, cli, 'pss', ...args]];
    const start = process.hrtime.bigint();
    const child = spawnSync(command[0], command[1], { stdio: ['ignore', 'ignore', 'pipe'] });
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    const match = /TIME ([\d.]+) ([\d.]+) ([\d.]+)/.exec(child.stderr.toString());
    runs.push({ wall, cpu: match === null ? Number.NaN : Number(match[2]) + Number(match[3]) });
    if (child.status !== 0 && child.status !== 1) throw new Error(`kharden pss exited ${child.status}: ${child.stderr}`);
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { wall: median(runs.map((run) => run.wall)), minWall: Math.min(...runs.map((run) => run.wall)), cpu: median(runs.map((run) => run.cpu)) };
}
const cliResults = {};
for (const [label, args] of [
  ['kharden pss FILE -f json (namespace labels)', [file, '-f', 'json', '-o', path.join(dir, 'out.json')]],
  ['kharden pss FILE (text)', [file, '--no-color', '-o', path.join(dir, 'out.txt')]],
  ['kharden pss FILE --enforce restricted (text with patches)', [file, '--enforce', 'restricted', '--no-color', '-o', path.join(dir, 'out-enforce.txt')]],
]) {
  const { wall, minWall, cpu } = timeCli(args);
  cliResults[label] = wall;
  console.log(`${label}: median ${wall.toFixed(2)} s wall (best ${minWall.toFixed(2)} s), ${cpu.toFixed(2)} s CPU, 5 runs`);
}
console.log(`load average during the run: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
const version = execFileSync(process.execPath, ['--version']).toString().trim();
console.log(`node ${version}, ${(await import('node:os')).cpus().length} CPUs (${(await import('node:os')).cpus()[0]?.model ?? 'unknown'})`);
rmSync(dir, { recursive: true, force: true });

// The goals (docs/pss.md): a missed goal exits non-zero, as `npm run bench` expects.
const jsonWall = cliResults['kharden pss FILE -f json (namespace labels)'];
const goals = [
  [`in-process evaluation >= 100,000 pods/s (${Math.round(results.restricted).toLocaleString('en-US')})`, results.restricted >= 100_000],
  [`kharden pss on 10,000 objects <= 2 s whole process (${jsonWall.toFixed(2)} s median)`, jsonWall <= 2],
];
for (const [goal, met] of goals) console.log(`${met ? 'goal met' : 'GOAL MISSED'}: ${goal}`);
if (goals.some(([, met]) => !met)) process.exitCode = 1;
