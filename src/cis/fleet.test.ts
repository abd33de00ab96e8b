import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../core/audit-report.ts';
import type { Finding } from '../core/finding.ts';
import { emptyCounts } from '../core/status.ts';
import { fleetReport } from './fleet.ts';

function finding(id: string, status: Finding['status'], reason = `${id} ${status}`, title = `title ${id}`): Finding {
  return { id, title, section: '1.2', target: 'master', type: 'automated', scored: true, remediation: '', status, reason, evidence: [] };
}

function report(name: string, findings: Finding[], benchmark = 'k3s-cis-2.0'): AuditReport {
  const summary = emptyCounts();
  for (const entry of findings) summary[entry.status] += 1;
  return {
    apiVersion: 'kharden.dev/v1',
    kind: 'AuditReport',
    generatedAt: '2026-01-01T00:00:00Z',
    kharden: '0.0.0',
    benchmark: { id: benchmark, title: benchmark, selectedBy: 'k3s-version' },
    nodes: [{ name, role: 'server', k3sVersion: 'v1.34.1+k3s1', datastore: 'sqlite', state: 'running', origin: 'snapshot' }],
    notices: [],
    sections: [{ id: '1.2', title: 'API Server', findings }],
    summary,
  };
}

describe('fleetReport', () => {
  const fleet = fleetReport(
    [
      { file: 'a.json', report: report('a', [finding('1.2.1', 'PASS'), finding('1.2.2', 'WARN'), finding('1.2.10', 'FAIL')]) },
      { file: 'b.json', report: report('b', [finding('1.2.1', 'FAIL'), finding('1.2.2', 'UNKNOWN'), finding('1.2.10', 'PASS')]) },
    ],
    new Date('2026-01-02T00:00:00Z'),
  );

  it('adds the nodes up', () => {
    expect(fleet.nodes.map((node) => [node.name, node.file, node.summary.FAIL])).toEqual([
      ['a', 'a.json', 1],
      ['b', 'b.json', 1],
    ]);
    expect(fleet.summary).toEqual({ PASS: 2, FAIL: 2, WARN: 1, 'N/A': 0, UNKNOWN: 1 });
  });

  it('lists the controls that need attention, worst status first, then in id order, with the nodes concerned', () => {
    expect(fleet.controls.map((control) => [control.id, control.status, control.nodes.map((node) => `${node.name}:${node.status}`), control.auditedOn])).toEqual([
      ['1.2.1', 'FAIL', ['b:FAIL'], 2],
      ['1.2.10', 'FAIL', ['a:FAIL'], 2],
      ['1.2.2', 'UNKNOWN', ['a:WARN', 'b:UNKNOWN'], 2],
    ]);
  });

  it('keeps an id worded differently by another benchmark apart', () => {
    const mixed = fleetReport([
      { file: 'a.json', report: report('a', [finding('4.1.7', 'FAIL', 'mode 644', 'permissions 600')], 'k3s-cis-2.0') },
      { file: 'b.json', report: report('b', [finding('4.1.7', 'FAIL', 'mode 664', 'permissions 644')], 'k3s-cis-2.1') },
    ]);
    expect(mixed.controls.map((control) => [control.id, control.title, control.auditedOn])).toEqual([
      ['4.1.7', 'permissions 600', 1],
      ['4.1.7', 'permissions 644', 1],
    ]);
  });
});
