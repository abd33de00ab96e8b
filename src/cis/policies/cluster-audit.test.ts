import { describe, expect, it } from 'vitest';
import { auditCluster } from './cluster-audit.ts';
import { namespace, node, testCluster } from './test-cluster.fixture.ts';

const facts = testCluster([
  namespace('default'),
  node('server-1', ['server', '--cluster-init', '--kube-apiserver-arg', 'anonymous-auth=true', '--kube-apiserver-arg', 'profiling=false', '--token', '********']),
  node('agent-1', ['agent', '--server', 'https://server-1:6443', '--token', '********', '--kubelet-arg', 'read-only-port=10255']),
  node('old-agent', ['agent', '--token', '********', '--kubelet-arg', 'read-only-port=10255'], 'v1.30.6+k3s1'),
  node('plain', null),
]).facts;

describe('auditCluster', () => {
  const report = auditCluster(facts, { generatedAt: new Date('2026-01-01T00:00:00Z') });
  const all = report.sections.flatMap((section) => section.findings);
  const find = (id: string, subject?: string) => all.find((finding) => finding.id === id && finding.subject === subject);

  it('judges every k3s node from its node-args annotation, with the annotation as evidence', () => {
    expect(report.nodes.map((audited) => [audited.name, audited.role, audited.origin])).toEqual([
      ['server-1', 'server', 'k3s.io/node-args annotation of Node server-1'],
      ['agent-1', 'agent', 'k3s.io/node-args annotation of Node agent-1'],
      ['old-agent', 'agent', 'k3s.io/node-args annotation of Node old-agent'],
    ]);
    // Before 1.32 the kubelet takes its settings as flags: the annotation shows them all.
    expect(find('4.2.4', 'old-agent')).toMatchObject({ status: 'FAIL', evidence: [expect.objectContaining({ value: '10255', source: expect.objectContaining({ kind: 'node-args-annotation' }) })] });
    const anonymous = find('1.2.1', 'server-1');
    expect(anonymous?.status).toBe('FAIL');
    expect(anonymous?.evidence[0]?.source).toMatchObject({ kind: 'node-args-annotation', path: '/api/v1/nodes/server-1', detail: expect.stringMatching(/^--kube-apiserver-arg/) });
    expect(anonymous?.evidence[0]?.value).toBe('true');
    const profiling = find('1.2.15', 'server-1');
    expect(profiling?.status).toBe('PASS');
    // k3s 1.33 kubelets read drop-in files the API does not show: 4.2 needs the node, and a notice says so.
    expect(find('4.2.4', 'agent-1')).toBeUndefined();
    expect(report.notices).toContainEqual({ level: 'info', message: expect.stringMatching(/^Node agent-1: kubelet controls \(4\.2\) not judged from the annotation/) });
    expect(find('4.3.1', 'agent-1')?.status).toBe('PASS');
  });

  it('keeps section 5 and lists only the argument groups for nodes', () => {
    expect(report.sections.map((section) => section.id)).toEqual(['1.2', '1.3', '1.4', '3.2', '4.2', '4.3', '5.1', '5.2', '5.3', '5.4', '5.5', '5.6']);
    expect(all.filter((finding) => finding.subject === 'agent-1').every((finding) => finding.section.startsWith('4.'))).toBe(true);
    expect(report.notices).toContainEqual({ level: 'info', message: expect.stringMatching(/^Node plain not audited: Node plain has no k3s\.io\/node-args annotation/) });
  });

  it('counts node and cluster findings in the summary', () => {
    const total = Object.values(report.summary).reduce((sum, count) => sum + count, 0);
    expect(total).toBe(all.length);
  });
});
