/**
 * `kharden collect` and `kharden audit` as real processes on the four real k3s node trees
 * (test/fixtures/node-trees.ts): a snapshot audits exactly like the tree it came from, running vs
 * configured, roles, filters, and no secret of the tree in any output. Every control's expected status is
 * checked in test/e2e/node-audit.test.ts; here it is the CLI around it that is under test.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Status } from '../../src/core/status.ts';
import { nodeFactsSchema } from '../../src/facts/node-facts.ts';
import { buildNodeTree, type NodeTree, type NodeTreeKind } from '../fixtures/node-trees.ts';
import { ansiEscape, assertBuilt, auditReportSchema, kharden, type ParsedReport, type ProcessRun, stackFrame } from './audit-cli-process.ts';

const kinds: NodeTreeKind[] = ['default-server', 'hardened-server', 'default-agent', 'hardened-agent'];

/** Secret values the trees hold (join tokens, the secrets-encryption key, private keys, the node password file). */
const secrets = [
  'K10fixture0000000000000000000000000000000000000000000000000000::server:fixturetoken',
  'fixturetoken',
  'c2VjcmV0LWtleS1tYXRlcmlhbC0zMi1ieXRlcy0wMDA=',
  'fixture-not-a-real-key',
  'PRIVATE KEY',
  'b0c0e0d0a0f0',
];

interface TreeRuns {
  tree: NodeTree;
  snapshotFile: string;
  collect: ProcessRun;
  collectStdout: ProcessRun;
  fromSnapshot: ProcessRun;
  fromRoot: ProcessRun;
  configured: ProcessRun;
  verboseText: ProcessRun;
}

const runs = new Map<NodeTreeKind, TreeRuns>();
const extraTrees: NodeTree[] = [];

function runsOf(kind: NodeTreeKind): TreeRuns {
  const found = runs.get(kind);
  if (found === undefined) throw new Error(`no runs for ${kind}`);
  return found;
}

function report(run: ProcessRun): ParsedReport {
  expect(run.stderr).toBe('');
  return auditReportSchema.parse(JSON.parse(run.stdout));
}

const findings = (parsed: ParsedReport) => parsed.sections.flatMap((section) => section.findings);
const statusById = (parsed: ParsedReport): Record<string, Status> => Object.fromEntries(findings(parsed).map((finding) => [finding.id, finding.status]));

async function collectAndAudit(kind: NodeTreeKind): Promise<TreeRuns> {
  const tree = buildNodeTree(kind);
  // The snapshot lives outside the tree: the tree is the node, the snapshot is what an operator carries away.
  const snapshotFile = `${tree.root}.snapshot.json`;
  const collect = await kharden(['collect', '--root', tree.root, '-o', snapshotFile]);
  const [collectStdout, fromSnapshot, fromRoot, configured, verboseText] = await Promise.all([
    kharden(['collect', '--root', tree.root]),
    kharden(['audit', '--snapshot', snapshotFile, '-f', 'json']),
    kharden(['audit', '--root', tree.root, '-f', 'json']),
    kharden(['audit', '--root', tree.root, '--configured', '-f', 'json']),
    kharden(['audit', '--root', tree.root, '--verbose', '--no-color']),
  ]);
  return { tree, snapshotFile, collect, collectStdout, fromSnapshot, fromRoot, configured, verboseText };
}

beforeAll(async () => {
  assertBuilt();
  // Two trees at a time: the machine has two cores.
  for (const pair of [kinds.slice(0, 2), kinds.slice(2)]) {
    const done = await Promise.all(pair.map(collectAndAudit));
    for (const item of done) runs.set(item.tree.kind, item);
  }
});
afterAll(() => {
  for (const item of runs.values()) {
    item.tree.remove();
    rmSync(item.snapshotFile, { force: true });
  }
  for (const tree of extraTrees) tree.remove();
});

describe.each(kinds)('the %s tree', (kind) => {
  it('collect --root TREE -o FILE writes a valid NodeFacts snapshot and nothing to stdout', () => {
    const { collect, snapshotFile, collectStdout } = runsOf(kind);
    expect(collect.code, collect.stderr).toBe(0);
    expect(collect.stdout).toBe('');
    expect(collect.stderr).toBe('');
    const facts = nodeFactsSchema.parse(JSON.parse(readFileSync(snapshotFile, 'utf8')));
    expect(facts.kind).toBe('NodeFacts');
    expect(facts.k3s.installed).toBe(true);
    // Without -o the same snapshot goes to stdout (only the collection time may differ).
    expect(collectStdout.code, collectStdout.stderr).toBe(0);
    const toStdout = nodeFactsSchema.parse(JSON.parse(collectStdout.stdout));
    expect(toStdout.k3s).toEqual(facts.k3s);
    expect(toStdout.files).toEqual(facts.files);
  });

  it('audit --snapshot gives exactly the findings of audit --root on the tree', () => {
    const { fromSnapshot, fromRoot, snapshotFile, tree } = runsOf(kind);
    const snapshotReport = report(fromSnapshot);
    const rootReport = report(fromRoot);
    expect(statusById(snapshotReport)).toEqual(statusById(rootReport));
    expect(snapshotReport.sections).toEqual(rootReport.sections);
    expect(snapshotReport.summary).toEqual(rootReport.summary);
    expect(snapshotReport.benchmark).toEqual(rootReport.benchmark);
    expect(snapshotReport.nodes[0]?.origin).toBe(`snapshot ${snapshotFile}`);
    expect(rootReport.nodes[0]?.origin).toBe(`--root ${tree.root}`);
    expect(fromSnapshot.code).toBe(fromRoot.code);
  });

  it('exits 1 exactly when a control fails: the default trees fail, the hardened ones do not', () => {
    const { fromRoot } = runsOf(kind);
    const parsed = report(fromRoot);
    const hardened = kind.startsWith('hardened');
    expect(parsed.summary.FAIL > 0).toBe(!hardened);
    expect(fromRoot.code).toBe(hardened ? 0 : 1);
  });

  it('judges the same state running and --configured when nothing changed since k3s started', () => {
    const { fromRoot, configured } = runsOf(kind);
    const running = report(fromRoot);
    const next = report(configured);
    expect(running.nodes[0]?.state).toBe('running');
    expect(next.nodes[0]?.state).toBe('configured');
    expect(statusById(next)).toEqual(statusById(running));
    expect([...running.notices, ...next.notices].map((notice) => notice.message).join('\n')).not.toContain('the configuration changed after k3s started');
  });

  it('audits an agent for the node and host targets only; a server for every target', () => {
    const parsed = report(runsOf(kind).fromRoot);
    const targets = new Set(findings(parsed).map((finding) => finding.target));
    if (kind.endsWith('agent')) {
      expect(parsed.nodes[0]?.role).toBe('agent');
      expect(parsed.sections.map((section) => section.id)).toEqual(['4.1', '4.2', '4.3', 'host']);
      expect([...targets].sort()).toEqual(['host', 'node']);
      expect(parsed.notices.map((notice) => notice.message)).toContainEqual(expect.stringContaining('agent node: master, etcd, controlplane controls apply to k3s servers'));
    } else {
      expect(parsed.nodes[0]?.role).toBe('server');
      expect([...targets].sort()).toEqual(['controlplane', 'etcd', 'host', 'master', 'node', 'policies']);
    }
  });

  it('lets no secret value of the tree reach the snapshot, the JSON report or the verbose text report', () => {
    const { tree, snapshotFile, collectStdout, fromRoot, fromSnapshot, verboseText } = runsOf(kind);
    // The tree does hold secrets, so the test is not vacuous.
    const treeText = filesUnder(tree.root)
      .map((file) => readFileSync(file, 'latin1'))
      .join('\n');
    expect(secrets.filter((secret) => treeText.includes(secret)).length).toBeGreaterThanOrEqual(2);
    expect(verboseText.code).toBe(fromRoot.code);
    const outputs = { snapshot: readFileSync(snapshotFile, 'utf8'), 'collect stdout': collectStdout.stdout, 'audit --root -f json': fromRoot.stdout, 'audit --snapshot -f json': fromSnapshot.stdout, 'audit --verbose': verboseText.stdout };
    for (const [name, output] of Object.entries(outputs)) {
      expect(output.length, name).toBeGreaterThan(1000);
      for (const secret of secrets) expect(output.includes(secret), `${secret} in ${name}`).toBe(false);
    }
  });
});

function filesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path));
    else if (entry.isFile() && statSync(path).size < 4_000_000) files.push(path);
  }
  return files;
}

describe('masking', () => {
  it('keeps that a join token was set, as ********', () => {
    const facts = readFileSync(runsOf('default-agent').snapshotFile, 'utf8');
    expect(facts).toContain('K3S_TOKEN');
    expect(facts).toContain('********');
  });
});

describe('a configuration changed after k3s started (drift)', () => {
  it('server: the running audit judges what k3s started with and warns; --configured judges the new file', async () => {
    const tree = buildNodeTree('hardened-server');
    extraTrees.push(tree);
    tree.write('/etc/rancher/k3s/config.yaml.d/95-debug.yaml', "kube-apiserver-arg+:\n  - 'profiling=true'\n");
    const [running, configured, runningText] = await Promise.all([
      kharden(['audit', '--root', tree.root, '-f', 'json']),
      kharden(['audit', '--root', tree.root, '--configured', '-f', 'json']),
      kharden(['audit', '--root', tree.root, '--check', '1.2.15', '--no-color']),
    ]);
    const now = report(running);
    const next = report(configured);
    expect(statusById(now)['1.2.15']).toBe('PASS');
    expect(statusById(next)['1.2.15']).toBe('FAIL');
    expect(findings(next).find((finding) => finding.id === '1.2.15')?.evidence[0]?.source).toMatchObject({ kind: 'config-file', path: '/etc/rancher/k3s/config.yaml.d/95-debug.yaml', line: 2 });
    // Only that control changed.
    const changed = Object.entries(statusById(now)).filter(([id, status]) => statusById(next)[id] !== status);
    expect(changed).toEqual([['1.2.15', 'PASS']]);
    expect(running.code).toBe(0);
    expect(configured.code).toBe(1);
    expect(runningText.stdout).toMatch(/^warning: kube-apiserver --profiling: running false, configured true: the configuration changed after k3s started; restart k3s/m);
  });

  it('agent: a changed kubelet-arg fails only in the configured state', async () => {
    const tree = buildNodeTree('hardened-agent');
    extraTrees.push(tree);
    const config = readFileSync(join(tree.root, 'etc/rancher/k3s/config.yaml'), 'utf8');
    tree.write('/etc/rancher/k3s/config.yaml', config.replace('streaming-connection-idle-timeout=5m', 'streaming-connection-idle-timeout=0'));
    const [running, configured] = await Promise.all([kharden(['audit', '--root', tree.root, '-f', 'json']), kharden(['audit', '--root', tree.root, '--configured', '-f', 'json'])]);
    const now = report(running);
    const next = report(configured);
    const changed = Object.entries(statusById(next)).filter(([id, status]) => statusById(now)[id] !== status);
    expect(changed).toEqual([['4.2.5', 'FAIL']]);
    expect(now.notices.map((notice) => notice.message)).toContainEqual(expect.stringContaining('kubelet --streaming-connection-idle-timeout: running 5m, configured 0'));
    expect(running.code).toBe(0);
    expect(configured.code).toBe(1);
  });
});

describe('filters on a snapshot: --targets, --check, --skip', () => {
  const audit = async (kind: NodeTreeKind, ...args: string[]): Promise<ParsedReport> => {
    const run = await kharden(['audit', '--snapshot', runsOf(kind).snapshotFile, '-f', 'json', ...args]);
    expect(run.code === 0 || run.code === 1, run.stderr).toBe(true);
    return report(run);
  };
  const ids = (parsed: ParsedReport) => findings(parsed).map((finding) => `${finding.id} ${finding.status}`);

  it('--targets node audits the kubelet sections only', async () => {
    const parsed = await audit('default-server', '--targets', 'node');
    expect(parsed.sections.map((section) => section.id)).toEqual(['4.1', '4.2', '4.3']);
    const all = statusById(report(runsOf('default-server').fromSnapshot));
    for (const finding of findings(parsed)) expect(finding.status, finding.id).toBe(all[finding.id]);
  });

  it('--targets takes a list or repeats', async () => {
    const [list, repeated] = await Promise.all([audit('default-server', '--targets', 'etcd,host'), audit('default-server', '--targets', 'etcd', '--targets', 'host')]);
    expect(list.sections.map((section) => section.id)).toEqual(['2', 'host']);
    expect(repeated.sections).toEqual(list.sections);
    // SQLite: every etcd control is N/A with that reason, never PASS.
    for (const finding of list.sections[0]?.findings ?? []) {
      expect(finding.status, finding.id).toBe('N/A');
      expect(finding.reason).toContain('SQLite');
    }
  });

  it('--check picks controls and groups, --skip leaves some out', async () => {
    const parsed = await audit('default-server', '--check', '1.2.15,4.2', '--skip', '4.2.1', '--skip', '4.2.2,4.2.3');
    expect(ids(parsed)).toEqual(['1.2.15 PASS', '4.2.4 PASS', '4.2.5 PASS', '4.2.6 PASS', '4.2.7 N/A', '4.2.8 PASS', '4.2.9 PASS', '4.2.10 PASS', '4.2.11 PASS', '4.2.12 WARN', '4.2.13 WARN', '4.2.14 WARN']);
    expect(parsed.summary).toEqual({ PASS: 8, FAIL: 0, WARN: 3, 'N/A': 1, UNKNOWN: 0 });
  });

  it('--check of a host control by its kharden id', async () => {
    const parsed = await audit('default-agent', '--check', 'host.kernel.vm.overcommit_memory');
    expect(ids(parsed)).toEqual(['host.kernel.vm.overcommit_memory FAIL']);
  });

  it('never passes a server control on an agent, even when asked for with --targets master', async () => {
    const parsed = await audit('hardened-agent', '--targets', 'master');
    expect(findings(parsed).length).toBeGreaterThan(10);
    for (const finding of findings(parsed)) {
      expect(finding.status, finding.id).toBe('N/A');
      expect(finding.reason).toContain('agent');
    }
  });

  it.each([
    ['--check', '1.2.99', /--check 1\.2\.99: no such control or group in k3s-cis-1\.11/],
    ['--skip', '7', /--skip 7: no such control or group in k3s-cis-1\.11/],
    ['--targets', 'master,kubelet', /unknown target "kubelet" in --targets/],
  ])('refuses an unknown id in %s %s (exit 2)', async (flag, value, message) => {
    const run = await kharden(['audit', '--snapshot', runsOf('hardened-agent').snapshotFile, flag, value]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(stackFrame);
  });

  it('applies the filter to text as to JSON, without colour when piped', async () => {
    const run = await kharden(['audit', '--snapshot', runsOf('hardened-server').snapshotFile, '--targets', 'etcd']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(ansiEscape);
    expect(run.stdout).toMatch(/^\[INFO\] 2 Etcd Node Configuration$/m);
    expect([...run.stdout.matchAll(/^\[(\S+)\] (2\.\d)/gm)].map((match) => `${match[2]} ${match[1]}`)).toEqual(['2.1 PASS', '2.2 PASS', '2.3 PASS', '2.4 PASS', '2.5 PASS', '2.6 PASS', '2.7 PASS']);
    expect(run.stdout).toMatch(/^PASS 7, FAIL 0, WARN 0, N\/A 0, UNKNOWN 0$/m);
  });
});
