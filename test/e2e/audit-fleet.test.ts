import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, kharden, repoRoot, stackFrame } from './audit-cli-process.ts';

/** A fleet of two nodes: the demo server as collected, and the same server hardened at boot (sysctl file). */
let dir: string;
let fleetDir: string;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'kharden-fleet-'));
  fleetDir = join(dir, 'fleet');
  mkdirSync(fleetDir);
  const demo = JSON.parse(readFileSync(join(repoRoot, 'samples/demo-node.json'), 'utf8')) as { hostname: string | null };
  writeFileSync(join(fleetDir, 'a-edge-1.json'), JSON.stringify(demo));
  writeFileSync(join(fleetDir, 'b-edge-2.json'), JSON.stringify({ ...demo, hostname: 'edge-2' }));
  writeFileSync(join(fleetDir, 'notes.txt'), 'not a snapshot');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kharden audit with several node snapshots (a fleet)', () => {
  it('audits every snapshot of a directory and shows one line per node and the controls that need attention', async () => {
    const run = await kharden(['audit', '--snapshot', fleetDir, '--no-color']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('fleet audit of 2 nodes');
    expect(run.stdout).toMatch(/^edge-1\s+server\s+v1\.34\.1\+k3s1\s+k3s-cis-2\.0/m);
    expect(run.stdout).toMatch(/^edge-2\s+server/m);
    expect(run.stdout).toMatch(/^\[FAIL\] 1\.2\.16 .* — all 2 nodes$/m);
    expect(run.stdout).toMatch(/^PASS \d+, FAIL \d+, WARN \d+, N\/A \d+, UNKNOWN \d+$/m);
  });

  it('gives every node its own report in JSON', async () => {
    const run = await kharden(['audit', '--snapshot', join(fleetDir, 'a-edge-1.json'), '--snapshot', join(fleetDir, 'b-edge-2.json'), '-f', 'json']);
    const fleet = JSON.parse(run.stdout) as { kind: string; nodes: { name: string; file: string }[]; reports: { kind: string; summary: { FAIL: number } }[]; summary: { FAIL: number } };
    expect(fleet.kind).toBe('FleetAuditReport');
    expect(fleet.nodes.map((node) => node.name)).toEqual(['edge-1', 'edge-2']);
    expect(fleet.reports.map((report) => report.kind)).toEqual(['AuditReport', 'AuditReport']);
    expect(fleet.summary.FAIL).toBe(fleet.reports.reduce((sum, report) => sum + report.summary.FAIL, 0));
  });

  it('refuses to mix a fleet with cluster input (exit 2, no stack trace)', async () => {
    const run = await kharden(['audit', '--snapshot', fleetDir, '--manifests', join(repoRoot, 'test/corpus')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('node snapshots only');
    expect(run.stderr).not.toMatch(stackFrame);
  });

  it('names the file of a directory that is not a snapshot (exit 2)', async () => {
    const mixed = join(dir, 'mixed');
    mkdirSync(mixed);
    writeFileSync(join(mixed, 'a.json'), readFileSync(join(fleetDir, 'a-edge-1.json')));
    writeFileSync(join(mixed, 'b.json'), '{"apiVersion": "kharden.dev/v1", "kind": "NodeF');
    const run = await kharden(['audit', '--snapshot', mixed]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(join(mixed, 'b.json'));
    expect(run.stderr).toContain('not valid JSON');
    expect(run.stderr).not.toMatch(stackFrame);
  });

  it('says so when a directory holds no snapshot', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const run = await kharden(['audit', '--snapshot', empty]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`no snapshots (*.json) in ${empty}`);
  });
});
