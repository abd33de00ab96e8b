/**
 * `kharden collect` as a user runs it: the built CLI in its own process. The snapshots of the four node
 * trees and their audits are in audit-cli-trees.test.ts; here: what collect refuses, what it writes and
 * what it does not, and a node whose config.yaml does not parse.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFactsSchema } from '../../src/facts/node-facts.ts';
import { buildNodeTree, type NodeTree } from '../fixtures/node-trees.ts';
import { ansiEscape, assertBuilt, auditReportSchema, kharden, type ProcessRun, stackFrame } from './audit-cli-process.ts';

let work: string;
let agent: NodeTree;

beforeAll(() => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'kharden-collect-cli-'));
  agent = buildNodeTree('default-agent');
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  agent.remove();
});

function expectCleanFailure(run: ProcessRun, code: number): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^kharden: |^error: /);
  expect(run.stderr).not.toMatch(stackFrame);
  expect(run.stderr).not.toContain('internal error');
}

describe('kharden collect', () => {
  it('writes the snapshot with -o atomically, readable by the owner only, and prints nothing', async () => {
    const dir = join(work, 'out');
    mkdirSync(dir);
    const file = join(dir, 'node.json');
    writeFileSync(file, '{"an older snapshot": true}\n');
    const run = await kharden(['collect', '--root', agent.root, '-o', file], { env: { FORCE_COLOR: '1' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(ansiEscape);
    const facts = nodeFactsSchema.parse(JSON.parse(text));
    expect(facts).toMatchObject({ apiVersion: 'kharden.dev/v1', kind: 'NodeFacts' });
    expect(facts.k3s.role?.value).toBe('agent');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['node.json']);
  });

  it('writes the snapshot to stdout without -o, uncoloured even when colour is forced', async () => {
    const run = await kharden(['collect', '--root', agent.root], { env: { FORCE_COLOR: '1' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(ansiEscape);
    expect(nodeFactsSchema.parse(JSON.parse(run.stdout)).kind).toBe('NodeFacts');
  });

  it('says there is no k3s under an empty --root (exit 3) and writes nothing, not even over an old snapshot', async () => {
    const empty = join(work, 'empty-root');
    mkdirSync(empty);
    const file = join(work, 'kept.json');
    writeFileSync(file, 'the previous snapshot\n');
    const run = await kharden(['collect', '--root', empty, '-o', file]);
    expectCleanFailure(run, 3);
    expect(run.stderr).toContain(`no k3s found under ${empty}`);
    expect(readFileSync(file, 'utf8')).toBe('the previous snapshot\n');
    expect(readdirSync(work).filter((name) => name.includes('kept.json'))).toEqual(['kept.json']);
  });

  const k3sHere = ['/usr/local/bin/k3s', '/var/lib/rancher/k3s', '/etc/rancher/k3s'].some((path) => existsSync(path));
  it.skipIf(k3sHere)('says that k3s is not installed on this machine (exit 3)', async () => {
    const file = join(work, 'live.json');
    const run = await kharden(['collect', '-o', file]);
    expectCleanFailure(run, 3);
    expect(run.stderr).toContain('k3s is not installed on this machine');
    expect(existsSync(file)).toBe(false);
  });

  it.each([
    ['an unknown flag', ['collect', '--bogus'], /unknown option '--bogus'/],
    ['a format it does not write', ['collect', '--root', '/nonexistent', '-f', 'yaml'], /yaml/],
    ['--root with --cluster', ['collect', '--root', '/nonexistent', '--cluster'], /--root and --cluster cannot be used together/],
  ])('refuses %s (exit 2)', async (_label, args, message) => {
    const run = await kharden(args);
    expectCleanFailure(run, 2);
    expect(run.stderr).toMatch(message);
  });

  it('names the output file it cannot write, without a stack trace', async () => {
    const target = join(work, 'missing-dir', 'node.json');
    const run = await kharden(['collect', '--root', agent.root, '-o', target]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(target);
    expect(run.stderr).not.toMatch(stackFrame);
  });
});

describe('a node whose config.yaml does not parse', () => {
  let tree: NodeTree;
  beforeAll(() => {
    tree = buildNodeTree('default-server');
    tree.write('/etc/rancher/k3s/config.yaml', 'write-kubeconfig-mode: "0600"\nkube-apiserver-arg:\n  - profiling=false\n  bad: [\n');
  });
  afterAll(() => tree.remove());

  it('is still collected, and the audit names the file and line and still runs', async () => {
    const file = join(work, 'broken.json');
    const collect = await kharden(['collect', '--root', tree.root, '-o', file]);
    expect(collect.code, collect.stderr).toBe(0);
    const [json, text] = await Promise.all([kharden(['audit', '--snapshot', file, '-f', 'json']), kharden(['audit', '--snapshot', file, '--no-color'])]);
    const report = auditReportSchema.parse(JSON.parse(json.stdout));
    expect(report.notices.find((notice) => notice.level === 'error')?.message).toMatch(/^\/etc\/rancher\/k3s\/config\.yaml:\d+: /);
    expect(text.stdout).toMatch(/^error: \/etc\/rancher\/k3s\/config\.yaml:\d+: /m);
    expect(report.sections.flatMap((section) => section.findings).length).toBeGreaterThan(100);
    // The default server still fails controls: exit 1, not an input error.
    expect(json.code).toBe(1);
    expect(text.stderr).toBe('');
  });
});
