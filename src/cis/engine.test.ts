import { describe, expect, it } from 'vitest';
import { isKhardenError } from '../core/errors.ts';
import type { Finding } from '../core/finding.ts';
import type { AuditReport } from '../core/audit-report.ts';
import { defineControl } from './control.ts';
import { nodeControls } from './controls/index.ts';
import { type AuditRequest, runAudit } from './engine.ts';
import { parseControlFilter } from './filter.ts';
import type { NodeAuditInput } from './node-input.ts';
import { policyControls } from './policies/index.ts';
import { testCluster } from './policies/test-cluster.fixture.ts';
import { createRegistry } from './registry.ts';
import { configDirKubeletFlags, defaultApiserverFlags, effectiveArgs, k3sKubeletDefaults, kubeletDropInPath, nodeFacts } from './test-node.fixture.ts';

const generatedAt = new Date('2026-11-27T00:00:00Z');

const serverRequest = (overrides: Parameters<typeof nodeFacts>[1] = {}, drift: Parameters<typeof effectiveArgs>[2] = []): AuditRequest => ({
  node: {
    facts: nodeFacts('server', { kubeletConfigFiles: [{ path: kubeletDropInPath, present: true, content: k3sKubeletDefaults() }], ...overrides }),
    args: effectiveArgs({ 'kube-apiserver': defaultApiserverFlags, kubelet: configDirKubeletFlags }, 'running', drift),
    origin: 'snapshot node.json',
  },
});
const agentRequest = (): AuditRequest => ({
  node: {
    facts: nodeFacts('agent', { kubeletConfigFiles: [{ path: kubeletDropInPath, present: true, content: k3sKubeletDefaults() }] }),
    args: effectiveArgs({ kubelet: configDirKubeletFlags }),
  },
});

const findings = (report: AuditReport): Finding[] => report.sections.flatMap((section) => section.findings);
const finding = (report: AuditReport, id: string): Finding | undefined => findings(report).find((candidate) => candidate.id === id);

describe('runAudit on a server', () => {
  const report = runAudit(serverRequest(), { generatedAt });

  it('picks the benchmark for the k3s version', () => {
    expect(report.benchmark).toEqual({ id: 'k3s-cis-1.12', title: 'CIS Kubernetes Benchmark v1.12 for k3s', selectedBy: 'k3s-version' });
  });

  it('evaluates every control of the benchmark, grouped by section, host group last', () => {
    expect(report.sections.map((section) => section.id)).toEqual(['1.1', '1.2', '1.3', '1.4', '2', '3.1', '3.2', '4.1', '4.2', '4.3', '5.1', '5.2', '5.3', '5.4', '5.5', '5.6', 'host']);
    expect(findings(report)).toHaveLength(131 + 7);
    expect(report.sections.find((section) => section.id === '1.2')?.title).toBe('API Server');
  });

  it('counts every status in the summary', () => {
    const total = Object.values(report.summary).reduce((sum, count) => sum + count, 0);
    expect(total).toBe(findings(report).length);
    expect(report.summary.FAIL).toBe(findings(report).filter((item) => item.status === 'FAIL').length);
  });

  it('marks section 2 and the API server etcd flags N/A on SQLite, with the reason', () => {
    for (const id of ['2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '1.1.11', '1.2.23', '1.2.26']) {
      const item = finding(report, id);
      expect(item?.status, id).toBe('N/A');
      expect(item?.reason, id).toContain('embedded etcd is not used: datastore is SQLite');
    }
  });

  it('leaves section 5 UNKNOWN until the cluster is given, never PASS', () => {
    const policies = findings(report).filter((item) => item.target === 'policies');
    expect(policies.length).toBeGreaterThan(30);
    for (const item of policies) {
      expect(item.status).toBe('UNKNOWN');
      expect(item.reason).toMatch(/^needs the cluster/);
    }
  });

  it('describes the audited node', () => {
    expect(report.nodes).toEqual([{ name: 'server-0', role: 'server', k3sVersion: 'v1.33.1+k3s1', datastore: 'sqlite', state: 'running', origin: 'snapshot node.json' }]);
    expect(report).toMatchObject({ apiVersion: 'kharden.dev/v1', kind: 'AuditReport', generatedAt: '2026-11-27T00:00:00.000Z' });
  });

  it('copies the catalog entry onto each finding', () => {
    expect(finding(report, '1.2.1')).toMatchObject({
      title: 'Ensure that the --anonymous-auth argument is set to false',
      section: '1.2',
      target: 'master',
      type: 'automated',
      scored: true,
      status: 'PASS',
      expected: '--anonymous-auth=false',
    });
    expect(finding(report, '1.2.1')?.remediation).toContain('kube-apiserver-arg');
  });
});

describe('runAudit targets by role', () => {
  it('gives an agent section 4 and the host group only, and says why', () => {
    const report = runAudit(agentRequest(), { generatedAt });
    expect(new Set(findings(report).map((item) => item.target))).toEqual(new Set(['node', 'host']));
    expect(report.notices.map((notice) => notice.message)).toContainEqual(expect.stringContaining('agent node: master, etcd, controlplane controls apply to k3s servers'));
    expect(report.nodes[0]).toMatchObject({ role: 'agent', datastore: null });
  });

  it('answers server targets asked for on an agent with N/A', () => {
    const report = runAudit(agentRequest(), { generatedAt, filter: parseControlFilter({ targets: 'master' }) });
    expect(findings(report).every((item) => item.status === 'N/A' && item.reason.includes('k3s agent'))).toBe(true);
  });

  it('is UNKNOWN for server controls when the role is not known', () => {
    const request: AuditRequest = { node: { facts: nodeFacts(null), args: effectiveArgs({}) } };
    const report = runAudit(request, { generatedAt, filter: parseControlFilter({ check: '1.2.1' }) });
    expect(finding(report, '1.2.1')).toMatchObject({ status: 'UNKNOWN' });
  });

  it('audits section 5 with the cluster, and nothing else without a node', () => {
    const report = runAudit({ cluster: testCluster([]) }, { generatedAt });
    expect(report.benchmark.id).toBe('k3s-cis-1.12');
    expect(new Set(findings(report).map((item) => item.target))).toEqual(new Set(['policies']));
    expect(findings(report).some((item) => item.reason.startsWith('needs the cluster'))).toBe(false);
    expect(report.nodes).toEqual([]);
  });
});

describe('runAudit options and notices', () => {
  it('turns an unmet Manual control into WARN where the benchmark has no audit for it', () => {
    const manual = runAudit(serverRequest(), { generatedAt, benchmark: 'k3s-cis-2.1', filter: parseControlFilter({ check: '1.2.9' }) });
    expect(finding(manual, '1.2.9')?.status).toBe('WARN');
    expect(finding(manual, '1.2.9')?.reason).toContain('Manual control');
    const audited = runAudit(serverRequest(), { generatedAt, benchmark: 'k3s-cis-1.9', filter: parseControlFilter({ check: '1.2.9' }) });
    expect(finding(audited, '1.2.9')?.status).toBe('FAIL');
  });

  it('follows --benchmark and notes the version\'s own benchmark', () => {
    const report = runAudit(serverRequest(), { generatedAt, benchmark: '2.1' });
    expect(report.benchmark).toMatchObject({ id: 'k3s-cis-2.1', selectedBy: 'flag', note: 'k3s 1.33 would use k3s-cis-1.12' });
  });

  it('notices the nearest benchmark for an unsupported version', () => {
    const request = serverRequest({ k3s: { ...nodeFacts('server').k3s, version: { value: 'v1.26.15+k3s1', source: { kind: 'binary' } } } });
    const report = runAudit(request, { generatedAt });
    expect(report.benchmark).toMatchObject({ id: 'k3s-cis-1.9', selectedBy: 'nearest' });
    expect(report.notices).toContainEqual({ level: 'warning', message: expect.stringContaining('no k3s benchmark for k3s 1.26') });
  });

  it('notices drift and configuration errors', () => {
    const base = nodeFacts('server');
    const request = serverRequest(
      { k3s: { ...base.k3s, configFiles: [{ path: '/etc/rancher/k3s/config.yaml', present: true, entries: [], error: { message: 'mapping values are not allowed in this context', line: 12 } }] } },
      [{ component: 'kube-apiserver', flag: 'profiling', running: 'false', configured: 'true' }],
    );
    const messages = runAudit(request, { generatedAt }).notices.map((notice) => `${notice.level}: ${notice.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/^error: \/etc\/rancher\/k3s\/config\.yaml:12: mapping values/));
    expect(messages).toContainEqual(expect.stringMatching(/^warning: kube-apiserver --profiling: running false, configured true/));
  });

  it('applies --check and --skip, and refuses unknown ids', () => {
    const report = runAudit(serverRequest(), { generatedAt, filter: parseControlFilter({ check: '4.2', skip: '4.2.1' }) });
    expect(findings(report).map((item) => item.id)).toEqual(['4.2.2', '4.2.3', '4.2.4', '4.2.5', '4.2.6', '4.2.7', '4.2.8', '4.2.9', '4.2.10', '4.2.11', '4.2.12', '4.2.13', '4.2.14']);
    expect(report.notices).toContainEqual({ level: 'info', message: 'skipped with --skip: 4.2.1' });
    try {
      runAudit(serverRequest(), { filter: parseControlFilter({ check: '9.9' }) });
      expect.unreachable();
    } catch (error) {
      expect(isKhardenError(error) && error.code).toBe('usage');
    }
  });

  it('reports a control that throws as UNKNOWN with an error notice, and goes on', () => {
    const broken = defineControl<NodeAuditInput>({
      id: 'apiserver.anonymous-auth',
      reads: [],
      check: () => {
        throw new Error('boom');
      },
    });
    const registry = createRegistry([...nodeControls.filter((control) => control.id !== broken.id), broken], policyControls);
    const report = runAudit(serverRequest(), { generatedAt, registry, filter: parseControlFilter({ check: '1.2.1,1.2.2' }) });
    expect(finding(report, '1.2.1')?.status).toBe('UNKNOWN');
    expect(finding(report, '1.2.2')?.status).toBe('PASS');
    expect(report.notices).toContainEqual({ level: 'error', message: expect.stringContaining('internal error evaluating 1.2.1') });
  });
});
