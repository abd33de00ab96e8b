/**
 * `kharden audit` as a user runs it: the built CLI in its own process, on the bundled demo and on bad input.
 * What it prints (text and JSON), its exit codes, its colour decisions and what `-o` writes.
 * The node trees are in audit-cli-trees.test.ts.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Status } from '../../src/core/status.ts';
import { ansiEscape, assertBuilt, auditReportSchema, kharden, type ParsedReport, type ProcessRun, stackFrame } from './audit-cli-process.ts';


const summaryLine = /^PASS (\d+), FAIL (\d+), WARN (\d+), N\/A (\d+), UNKNOWN (\d+)$/m;

function summaryOf(text: string): Record<Status, number> {
  const match = summaryLine.exec(text);
  if (match === null) throw new Error(`no summary line in:\n${text.slice(-500)}`);
  const [, pass, fail, warn, na, unknown] = match.map(Number);
  return { PASS: pass ?? -1, FAIL: fail ?? -1, WARN: warn ?? -1, 'N/A': na ?? -1, UNKNOWN: unknown ?? -1 };
}

/** Counts the `[STATUS] id title` lines of a text report. */
function countStatusLines(text: string): Record<Status, number> {
  const counts: Record<Status, number> = { PASS: 0, FAIL: 0, WARN: 0, 'N/A': 0, UNKNOWN: 0 };
  for (const line of text.split('\n')) {
    const match = /^\[(PASS|FAIL|WARN|N\/A|UNKNOWN)\] /.exec(line);
    if (match !== null) counts[match[1] as Status]++;
  }
  return counts;
}

function expectCleanFailure(run: ProcessRun, code: number): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toMatch(stackFrame);
  expect(run.stderr).not.toContain('internal error');
}

let work: string;
let demoText: ProcessRun;
let demoJson: ProcessRun;
let demoReport: ParsedReport;

beforeAll(async () => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'kharden-audit-cli-'));
  [demoText, demoJson] = await Promise.all([kharden(['audit', '--demo']), kharden(['audit', '--demo', '-f', 'json'])]);
  demoReport = auditReportSchema.parse(JSON.parse(demoJson.stdout));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('kharden audit --demo', () => {
  it('prints the default server audit as text, grouped by section, with a summary line, and exits 1 because controls fail', () => {
    expect(demoText.code, demoText.stderr).toBe(1);
    expect(demoText.stderr).toBe('');
    const text = demoText.stdout;
    expect(text).toMatch(/^kharden \S+ — CIS Kubernetes Benchmark v2\.0 for k3s \(k3s-cis-2\.0\)$/m);
    expect(text).toContain('node edge-1: server, k3s v1.34.1+k3s1, datastore sqlite; running state');
    expect(text).toContain('facts from demo');
    // Sections in benchmark order, the host group last.
    const sections = [...text.matchAll(/^\[INFO\] (\S+) /gm)].map((match) => match[1]);
    expect(sections).toEqual(['1.1', '1.2', '1.3', '1.4', '2', '3.1', '3.2', '4.1', '4.2', '4.3', '5.1', '5.2', '5.3', '5.4', '5.5', '5.6', 'host']);
    // One line per control, and the summary line counts exactly those lines.
    const summary = summaryOf(text);
    expect(countStatusLines(text)).toEqual(summary);
    expect(summary.FAIL).toBeGreaterThan(0);
    expect(text).toMatch(/^\[FAIL\] 1\.2\.16 Ensure that the --audit-log-path argument is set$/m);
    // A failing control shows what was seen, where, and how to fix it.
    const failing = text.slice(text.indexOf('[FAIL] 1.2.16'));
    expect(failing).toMatch(/^ {8}seen: kube-apiserver --audit-log-path = not set \(/m);
    expect(failing).toMatch(/^ {8}fix: /m);
    // Section 5 on the bundled cluster of the same server: judged, with what a default k3s really has.
    expect(text).toContain('facts from demo (bundled sample of a default k3s server and its cluster)');
    expect(text).toMatch(/^\[PASS\] 5\.1\.1 /m);
    expect(text).toMatch(/^\[WARN\] 5\.3\.2 /m);
    expect(text).toMatch(/^ {8}seen: Namespace kube-system NetworkPolicies = "0" \(object Namespace kube-system\)$/m);
    expect(text).not.toMatch(/^\[UNKNOWN\] 5\./m);
    expect(text).not.toContain('needs the cluster');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('prints a valid AuditReport with -f json, with the same verdicts as the text', () => {
    expect(demoJson.code, demoJson.stderr).toBe(1);
    expect(demoJson.stderr).toBe('');
    const report = demoReport;
    expect(report.benchmark).toMatchObject({ id: 'k3s-cis-2.0', selectedBy: 'k3s-version' });
    expect(report.nodes).toEqual([expect.objectContaining({ name: 'edge-1', role: 'server', k3sVersion: 'v1.34.1+k3s1', datastore: 'sqlite', state: 'running' })]);
    expect(report.nodes[0]?.origin).toMatch(/^demo/);
    const findings = report.sections.flatMap((section) => section.findings);
    for (const section of report.sections) for (const finding of section.findings) expect(finding.section).toBe(section.id);
    // The summary counts the findings, and equals the text report's summary line.
    const counted: Record<Status, number> = { PASS: 0, FAIL: 0, WARN: 0, 'N/A': 0, UNKNOWN: 0 };
    for (const finding of findings) counted[finding.status]++;
    expect(report.summary).toEqual(counted);
    expect(report.summary).toEqual(summaryOf(demoText.stdout));
    // Ids are unique, and every PASS and FAIL is backed by evidence.
    expect(new Set(findings.map((finding) => finding.id)).size).toBe(findings.length);
    for (const finding of findings) if (finding.status === 'PASS' || finding.status === 'FAIL') expect(finding.evidence.length, finding.id).toBeGreaterThan(0);
    expect(findings.find((finding) => finding.id === '2.1')).toMatchObject({ status: 'N/A', reason: expect.stringContaining('SQLite') });
    expect(report.nodes[0]?.origin).toBe('demo (bundled sample of a default k3s server and its cluster)');
    expect(findings.find((finding) => finding.id === '5.1.6')).toMatchObject({
      status: 'PASS',
      evidence: expect.arrayContaining([expect.objectContaining({ subject: expect.stringContaining('Deployment kube-system/coredns (1 pod) mounts the token of ServiceAccount coredns (allowed by the benchmark') })]),
    });
  });

  it('exits with the code --exit-code gives when a control fails, and the report is unchanged', async () => {
    const [zero, seven] = await Promise.all([kharden(['audit', '--demo', '--exit-code', '0']), kharden(['audit', '--demo', '--exit-code', '7'])]);
    expect(zero.code).toBe(0);
    expect(seven.code).toBe(7);
    expect(zero.stdout).toBe(demoText.stdout);
    expect(seven.stdout).toBe(demoText.stdout);
  });

  it.each([['x'], ['256'], ['-1'], ['1.5']])('refuses --exit-code %s (exit 2)', async (value) => {
    const run = await kharden(['audit', '--demo', '--exit-code', value]);
    expectCleanFailure(run, 2);
    expect(run.stderr).toContain('--exit-code');
  });

  it('exits 0 when nothing fails, even with --exit-code', async () => {
    const run = await kharden(['audit', '--demo', '--check', '1.2.15', '--exit-code', '7']);
    expect(run.code, run.stderr).toBe(0);
    expect(summaryOf(run.stdout)).toEqual({ PASS: 1, FAIL: 0, WARN: 0, 'N/A': 0, UNKNOWN: 0 });
  });

  it('uses another benchmark with --benchmark and says so', async () => {
    const run = await kharden(['audit', '--demo', '--benchmark', 'k3s-cis-1.9', '-f', 'json']);
    const report = auditReportSchema.parse(JSON.parse(run.stdout));
    expect(report.benchmark).toMatchObject({ id: 'k3s-cis-1.9', selectedBy: 'flag' });
    // 1.1.20 (certificate file permissions) is 600 in kube-bench's k3s-cis-1.9: k3s creates them 644.
    expect(report.sections.flatMap((section) => section.findings).find((finding) => finding.id === '1.1.20')?.status).toBe('FAIL');
  });
});

describe('-o FILE', () => {
  it('writes the text report to the file, nothing to stdout, no colour even when forced, no temporary file left', async () => {
    const dir = join(work, 'text');
    mkdirSync(dir);
    const file = join(dir, 'report.txt');
    const run = await kharden(['audit', '--demo', '-o', file], { env: { FORCE_COLOR: '1' } });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('');
    const written = readFileSync(file, 'utf8');
    expect(written).toBe(demoText.stdout);
    expect(written).not.toMatch(ansiEscape);
    expect(readdirSync(dir)).toEqual(['report.txt']);
  });

  it('replaces an existing report as a whole with the JSON report', async () => {
    const dir = join(work, 'json');
    mkdirSync(dir);
    const file = join(dir, 'report.json');
    writeFileSync(file, 'an older, longer report '.repeat(10_000));
    const run = await kharden(['audit', '--demo', '-f', 'json', '-o', file]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toBe('');
    const report = auditReportSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(report.sections).toEqual(demoReport.sections);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('refuses a path it cannot write, names it, leaves nothing behind and no stack trace', async () => {
    const dir = join(work, 'unwritable');
    mkdirSync(join(dir, 'report.txt'), { recursive: true }); // a directory where the file should go
    const run = await kharden(['audit', '--demo', '-o', join(dir, 'report.txt')]);
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(join(dir, 'report.txt'));
    expect(run.stderr).not.toMatch(stackFrame);
    expect(readdirSync(dir)).toEqual(['report.txt']);

    const missing = await kharden(['audit', '--demo', '-o', join(work, 'no-such-dir', 'report.txt')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(join(work, 'no-such-dir', 'report.txt'));
    expect(missing.stderr).not.toMatch(stackFrame);
    expect(existsSync(join(work, 'no-such-dir'))).toBe(false);
  });
});

describe('colour', () => {
  it('colours the text report when FORCE_COLOR=1', async () => {
    const run = await kharden(['audit', '--demo'], { env: { FORCE_COLOR: '1' } });
    expect(run.stdout).toMatch(ansiEscape);
    // Colour changes the look, not the content.
    expect(run.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toBe(demoText.stdout);
  });

  it.each([
    ['NO_COLOR=1', ['audit', '--demo'], { FORCE_COLOR: '1', NO_COLOR: '1' }],
    ['--no-color', ['audit', '--demo', '--no-color'], { FORCE_COLOR: '1' }],
    ['-f json', ['audit', '--demo', '-f', 'json'], { FORCE_COLOR: '1' }],
    ['a pipe (not a terminal)', ['audit', '--demo'], {}],
    ['TERM=dumb', ['audit', '--demo'], { TERM: 'dumb' }],
  ])('never colours with %s', async (_label, args, env) => {
    const run = await kharden(args, { env });
    expect(run.stdout.length).toBeGreaterThan(1000);
    expect(run.stdout).not.toMatch(ansiEscape);
    expect(run.stderr).not.toMatch(ansiEscape);
  });
});

describe('bad input: a clear message naming the file, exit 2, no stack trace', () => {
  const snapshot = (name: string, content: string): string => {
    const file = join(work, name);
    writeFileSync(file, content);
    return file;
  };

  it.each([
    ['a truncated snapshot', () => snapshot('truncated.json', readFileSync(new URL('../../samples/demo-node.json', import.meta.url), 'utf8').slice(0, 400)), /not a kharden node snapshot: not valid JSON/],
    ['an empty file', () => snapshot('empty.json', ''), /not valid JSON/],
    ['a Pod', () => snapshot('pod.json', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } })), /it is a Pod, expected kind NodeFacts/],
    ['a JSON array', () => snapshot('array.json', '[]'), /NodeFacts/],
    ['YAML', () => snapshot('node.yaml', 'apiVersion: kharden.dev/v1\nkind: NodeFacts\n'), /not valid JSON/],
    ['a NodeFacts of another schema', () => snapshot('other.json', JSON.stringify({ apiVersion: 'kharden.dev/v1', kind: 'NodeFacts', files: 'none' })), /is not a valid kharden node snapshot at /],
    ['a missing file', () => join(work, 'does-not-exist.json'), /no such file/],
  ])('refuses %s', async (_label, file, message) => {
    const path = file();
    const run = await kharden(['audit', '--snapshot', path]);
    expectCleanFailure(run, 2);
    expect(run.stderr).toContain(path);
    expect(run.stderr).toMatch(message);
  });

  it.each([
    ['an unknown flag', ['audit', '--demo', '--bogus'], /unknown option '--bogus'/],
    ['an unknown format', ['audit', '--demo', '-f', 'xml'], /xml/],
    ['an unknown benchmark', ['audit', '--demo', '--benchmark', 'cis-9'], /unknown benchmark "cis-9".*k3s-cis-2\.1/],
    ['an unknown target', ['audit', '--demo', '--targets', 'workers,db'], /--targets/],
    ['an unknown control in --check', ['audit', '--demo', '--check', '1.2.99'], /--check 1\.2\.99: no such control or group in k3s-cis-2\.0/],
    ['an unknown control in --skip', ['audit', '--demo', '--skip', '9'], /--skip 9: no such control or group/],
    ['--demo with --root', ['audit', '--demo', '--root', '/'], /--demo and --root/],
    ['an unknown command', ['audti', '--demo'], /unknown command 'audti'/],
  ])('refuses %s (exit 2)', async (_label, args, message) => {
    const run = await kharden(args);
    expectCleanFailure(run, 2);
    expect(run.stderr).toMatch(message);
  });

  it('refuses a snapshot given with --root', async () => {
    const run = await kharden(['audit', '--snapshot', 'samples/demo-node.json', '--root', work]);
    expectCleanFailure(run, 2);
  });
});

describe('nothing to audit: exit 3', () => {
  const k3sHere = ['/usr/local/bin/k3s', '/var/lib/rancher/k3s', '/etc/rancher/k3s'].some((path) => existsSync(path));

  it.skipIf(k3sHere)('says plainly that k3s is not installed on this machine and points to --demo', async () => {
    const run = await kharden(['audit']);
    expectCleanFailure(run, 3);
    expect(run.stderr).toContain('k3s is not installed on this machine');
    expect(run.stderr).toContain('kharden audit --demo');
  });

  it.skipIf(k3sHere)('--demo-if-no-k3s (the README\'s first command) audits the bundled sample instead, and says so first', async () => {
    const run = await kharden(['audit', '--demo-if-no-k3s', '--no-color']);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines.findIndex((line) => line.startsWith('warning: k3s is not installed on this machine'))).toBeGreaterThan(0);
    expect(lines.findIndex((line) => line.startsWith('warning: k3s is not installed'))).toBeLessThan(lines.findIndex((line) => line.startsWith('[INFO]')));
    expect(run.stdout).toContain('facts from demo (bundled sample of a default k3s server and its cluster)');
    expect(run.stdout).toMatch(/^PASS \d+, FAIL \d+, WARN \d+, N\/A \d+, UNKNOWN 0$/m);
  });

  it('says that there is no k3s under an empty --root', async () => {
    const empty = join(work, 'empty-root');
    mkdirSync(empty);
    const run = await kharden(['audit', '--root', empty]);
    expectCleanFailure(run, 3);
    expect(run.stderr).toContain(`no k3s found under ${empty}`);
  });
});
