import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../core/audit-report.ts';
import type { Finding } from '../core/finding.ts';
import { renderAuditText } from './audit-text.ts';

const plain = { green: id, red: id, yellow: id, blue: id, magenta: id, dim: id, bold: id };
function id(text: string): string {
  return text;
}

function finding(id: string, status: Finding['status'], reason: string, extra: Partial<Finding> = {}): Finding {
  return { id, title: `title ${id}`, section: id.split('.').slice(0, 2).join('.'), target: 'master', type: 'automated', scored: true, remediation: `fix ${id}`, status, reason, evidence: [], ...extra };
}

function report(findings: Finding[]): AuditReport {
  return {
    apiVersion: 'kharden.dev/v1',
    kind: 'AuditReport',
    generatedAt: '2026-01-01T00:00:00Z',
    kharden: '0.0.0',
    benchmark: { id: 'k3s-cis-2.0', title: 'CIS', selectedBy: 'k3s-version' },
    nodes: [{ name: 'n1', role: 'server', k3sVersion: 'v1.34.1+k3s1', datastore: 'sqlite', state: 'running', origin: 'live' }],
    notices: [{ level: 'warning', message: 'config changed since k3s started' }],
    sections: [{ id: '1.2', title: 'API Server', findings }],
    summary: { PASS: 1, FAIL: 1, WARN: 0, 'N/A': 0, UNKNOWN: 0 },
  };
}

describe('renderAuditText', () => {
  it('shows the evidence and fix of a failing control and a summary line', () => {
    const text = renderAuditText(
      report([
        finding('1.2.1', 'PASS', 'ok'),
        finding('1.2.2', 'FAIL', 'anonymous auth is on', {
          expected: '--anonymous-auth=false',
          evidence: [{ subject: 'kube-apiserver --anonymous-auth', value: 'true', source: { kind: 'config-file', path: '/etc/rancher/k3s/config.yaml', line: 4 } }],
        }),
      ]),
      { colors: plain, verbose: false, remediations: true },
    );
    expect(text).toContain('[FAIL] 1.2.2 title 1.2.2');
    expect(text).toContain('seen: kube-apiserver --anonymous-auth = "true" (config /etc/rancher/k3s/config.yaml:4)');
    expect(text).toContain('fix: fix 1.2.2');
    expect(text).toContain('warning: config changed since k3s started');
    expect(text).toMatch(/^PASS 1, FAIL 1, WARN 0, N\/A 0, UNKNOWN 0$/m);
    expect(text).not.toContain('fix: fix 1.2.1');
  });

  it('says a reason shared by a whole section once', () => {
    const text = renderAuditText(report([finding('5.1.1', 'UNKNOWN', 'needs the cluster'), finding('5.1.2', 'UNKNOWN', 'needs the cluster')]), {
      colors: plain,
      verbose: false,
      remediations: true,
    });
    expect(text.match(/needs the cluster/g)).toHaveLength(1);
    expect(text).toContain('[UNKNOWN] 5.1.2 title 5.1.2');
  });
});
