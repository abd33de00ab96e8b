/**
 * End to end on real k3s node trees (test/fixtures/node-trees.ts): collect with --root, compute the effective
 * arguments (running and configured), run the CIS engine, and compare EVERY control's status with the table
 * below. The tables were checked by hand against each tree and the k3s self-assessment guides; a change in
 * any status is a behaviour change a user would notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../src/core/audit-report.ts';
import type { Finding } from '../../src/core/finding.ts';
import type { Status } from '../../src/core/status.ts';
import type { NodeFacts } from '../../src/facts/node-facts.ts';
import { runAudit } from '../../src/cis/engine.ts';
import { parseControlFilter } from '../../src/cis/filter.ts';
import { collectNodeFacts } from '../../src/collect/node.ts';
import { effectiveArgs } from '../../src/k3s/effective-args.ts';
import { buildNodeTree, fixtureTime, type NodeTree, type NodeTreeKind } from '../fixtures/node-trees.ts';

interface Table {
  benchmark: string;
  PASS: readonly string[];
  FAIL: readonly string[];
  WARN: readonly string[];
  'N/A': readonly string[];
  UNKNOWN: readonly string[];
}

const expected: Record<NodeTreeKind, Table> = {
  'default-server': {
    benchmark: 'k3s-cis-2.0',
    PASS: ['1.1.9', '1.1.10', '1.1.13', '1.1.14', '1.1.15', '1.1.16', '1.1.17', '1.1.18', '1.1.19', '1.1.20', '1.1.21', '1.2.1', '1.2.2', '1.2.4', '1.2.5', '1.2.6', '1.2.7', '1.2.8', '1.2.10', '1.2.12', '1.2.13', '1.2.14', '1.2.15', '1.2.21', '1.2.22', '1.2.24', '1.2.25', '1.2.29', '1.3.2', '1.3.3', '1.3.4', '1.3.5', '1.3.6', '1.3.7', '1.4.1', '1.4.2', '4.1.3', '4.1.4', '4.1.5', '4.1.6', '4.1.7', '4.1.8', '4.2.1', '4.2.2', '4.2.3', '4.2.4', '4.2.5', '4.2.6', '4.2.8', '4.2.9', '4.2.10', '4.2.11', '4.3.1', 'host.kernel.vm.panic_on_oom', 'host.kernel.kernel.keys.root_maxkeys', 'host.kernel.kernel.keys.root_maxbytes'],
    FAIL: ['1.2.16', '1.2.17', '1.2.18', '1.2.19', '1.2.27', '1.2.28', '1.2.30', '1.3.1', '3.2.1', 'host.kernel.vm.overcommit_memory', 'host.kernel.kernel.panic', 'host.kernel.kernel.panic_on_oops', 'host.kubelet.protect_kernel_defaults'],
    WARN: ['1.2.3', '1.2.9', '1.2.11', '1.2.20', '3.1.1', '3.1.2', '3.1.3', '3.2.2', '4.2.12', '4.2.13', '4.2.14'],
    'N/A': ['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '1.1.8', '1.1.11', '1.1.12', '1.2.23', '1.2.26', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '4.1.1', '4.1.2', '4.1.9', '4.1.10', '4.2.7'],
    UNKNOWN: ['5.1.1', '5.1.2', '5.1.3', '5.1.4', '5.1.5', '5.1.6', '5.1.7', '5.1.8', '5.1.9', '5.1.10', '5.1.11', '5.1.12', '5.1.13', '5.2.1', '5.2.2', '5.2.3', '5.2.4', '5.2.5', '5.2.6', '5.2.7', '5.2.8', '5.2.9', '5.2.10', '5.2.11', '5.2.12', '5.3.1', '5.3.2', '5.4.1', '5.4.2', '5.5.1', '5.6.1', '5.6.2', '5.6.3', '5.6.4'],
  },
  'hardened-server': {
    benchmark: 'k3s-cis-2.0',
    PASS: ['1.1.9', '1.1.10', '1.1.11', '1.1.13', '1.1.14', '1.1.15', '1.1.16', '1.1.17', '1.1.18', '1.1.19', '1.1.20', '1.1.21', '1.2.1', '1.2.2', '1.2.4', '1.2.5', '1.2.6', '1.2.7', '1.2.8', '1.2.10', '1.2.12', '1.2.13', '1.2.14', '1.2.15', '1.2.16', '1.2.17', '1.2.18', '1.2.19', '1.2.21', '1.2.22', '1.2.23', '1.2.24', '1.2.25', '1.2.26', '1.2.27', '1.2.28', '1.2.29', '1.2.30', '1.3.1', '1.3.2', '1.3.3', '1.3.4', '1.3.5', '1.3.6', '1.3.7', '1.4.1', '1.4.2', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '3.2.1', '4.1.3', '4.1.4', '4.1.5', '4.1.6', '4.1.7', '4.1.8', '4.2.1', '4.2.2', '4.2.3', '4.2.4', '4.2.5', '4.2.6', '4.2.8', '4.2.9', '4.2.10', '4.2.11', '4.2.12', '4.3.1', 'host.kernel.vm.panic_on_oom', 'host.kernel.vm.overcommit_memory', 'host.kernel.kernel.panic', 'host.kernel.kernel.panic_on_oops', 'host.kernel.kernel.keys.root_maxkeys', 'host.kernel.kernel.keys.root_maxbytes', 'host.kubelet.protect_kernel_defaults'],
    FAIL: [],
    WARN: ['1.2.3', '1.2.9', '1.2.11', '1.2.20', '3.1.1', '3.1.2', '3.1.3', '3.2.2', '4.2.13', '4.2.14'],
    'N/A': ['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '1.1.8', '1.1.12', '4.1.1', '4.1.2', '4.1.9', '4.1.10', '4.2.7'],
    UNKNOWN: ['5.1.1', '5.1.2', '5.1.3', '5.1.4', '5.1.5', '5.1.6', '5.1.7', '5.1.8', '5.1.9', '5.1.10', '5.1.11', '5.1.12', '5.1.13', '5.2.1', '5.2.2', '5.2.3', '5.2.4', '5.2.5', '5.2.6', '5.2.7', '5.2.8', '5.2.9', '5.2.10', '5.2.11', '5.2.12', '5.3.1', '5.3.2', '5.4.1', '5.4.2', '5.5.1', '5.6.1', '5.6.2', '5.6.3', '5.6.4'],
  },
  'default-agent': {
    benchmark: 'k3s-cis-2.0',
    PASS: ['4.1.3', '4.1.4', '4.1.5', '4.1.6', '4.1.7', '4.1.8', '4.2.1', '4.2.2', '4.2.3', '4.2.4', '4.2.5', '4.2.6', '4.2.8', '4.2.9', '4.2.10', '4.2.11', '4.3.1', 'host.kernel.vm.panic_on_oom', 'host.kernel.kernel.keys.root_maxkeys', 'host.kernel.kernel.keys.root_maxbytes'],
    FAIL: ['host.kernel.vm.overcommit_memory', 'host.kernel.kernel.panic', 'host.kernel.kernel.panic_on_oops', 'host.kubelet.protect_kernel_defaults'],
    WARN: ['4.2.12', '4.2.13', '4.2.14'],
    'N/A': ['4.1.1', '4.1.2', '4.1.9', '4.1.10', '4.2.7'],
    UNKNOWN: [],
  },
  'hardened-agent': {
    benchmark: 'k3s-cis-1.11',
    PASS: ['4.1.3', '4.1.4', '4.1.5', '4.1.6', '4.1.7', '4.1.8', '4.2.1', '4.2.2', '4.2.3', '4.2.4', '4.2.5', '4.2.6', '4.2.8', '4.2.9', '4.2.10', '4.2.11', '4.2.12', '4.3.1', 'host.kernel.vm.panic_on_oom', 'host.kernel.vm.overcommit_memory', 'host.kernel.kernel.panic', 'host.kernel.kernel.panic_on_oops', 'host.kernel.kernel.keys.root_maxkeys', 'host.kernel.kernel.keys.root_maxbytes', 'host.kubelet.protect_kernel_defaults'],
    FAIL: [],
    WARN: ['4.2.13', '4.2.14'],
    'N/A': ['4.1.1', '4.1.2', '4.1.9', '4.1.10', '4.2.7'],
    UNKNOWN: [],
  },
};

const kinds = Object.keys(expected) as NodeTreeKind[];
const trees = new Map<NodeTreeKind, NodeTree>();
const facts = new Map<NodeTreeKind, NodeFacts>();

beforeAll(async () => {
  for (const kind of kinds) {
    const tree = buildNodeTree(kind);
    trees.set(kind, tree);
    facts.set(kind, await collectNodeFacts({ root: tree.root, mode: 'root', now: () => fixtureTime }));
  }
});
afterAll(() => {
  for (const tree of trees.values()) tree.remove();
});

function audit(kind: NodeTreeKind, state: 'running' | 'configured', options: Parameters<typeof runAudit>[1] = {}): AuditReport {
  const nodeFacts = facts.get(kind);
  if (nodeFacts === undefined) throw new Error(`no facts for ${kind}`);
  return runAudit({ node: { facts: nodeFacts, args: effectiveArgs(nodeFacts, state) } }, { generatedAt: fixtureTime, ...options });
}

const all = (report: AuditReport): Finding[] => report.sections.flatMap((section) => section.findings);
const statusById = (report: AuditReport): Record<string, Status> => Object.fromEntries(all(report).map((finding) => [finding.id, finding.status]));
const fromTable = (table: Table): Record<string, Status> =>
  Object.fromEntries((['PASS', 'FAIL', 'WARN', 'N/A', 'UNKNOWN'] as const).flatMap((status) => table[status].map((id) => [id, status])));

describe.each(kinds)('node audit of the %s tree', (kind) => {
  it.each(['running', 'configured'] as const)('gives every control its expected status (%s state)', (state) => {
    const report = audit(kind, state);
    expect(report.benchmark.id).toBe(expected[kind].benchmark);
    expect(statusById(report)).toEqual(fromTable(expected[kind]));
  });

  it('backs every verdict with a reason, and every PASS and FAIL with evidence', () => {
    for (const finding of all(audit(kind, 'running'))) {
      expect(finding.reason, finding.id).not.toBe('');
      if (finding.status === 'PASS' || finding.status === 'FAIL') expect(finding.evidence.length, finding.id).toBeGreaterThan(0);
    }
  });
});

describe('node audit details', () => {
  it('describes the node and its datastore', () => {
    expect(audit('default-server', 'running').nodes[0]).toMatchObject({ name: 'edge-1', role: 'server', k3sVersion: 'v1.34.1+k3s1', datastore: 'sqlite', state: 'running' });
    expect(audit('hardened-server', 'configured').nodes[0]).toMatchObject({ role: 'server', datastore: 'etcd', state: 'configured' });
    expect(audit('hardened-agent', 'running').nodes[0]).toMatchObject({ role: 'agent', datastore: null, k3sVersion: 'v1.31.6+k3s1' });
  });

  it('reads the kubelet settings from the drop-in k3s writes, with the file as evidence', () => {
    const finding = all(audit('default-agent', 'running')).find((item) => item.id === '4.2.1');
    expect(finding?.status).toBe('PASS');
    expect(finding?.evidence[0]?.source).toMatchObject({ kind: 'file-content', path: '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf' });
  });

  it('shows the mode it saw for the PKI files of the default server (644, as k3s creates them)', () => {
    const finding = all(audit('default-server', 'running', { benchmark: 'k3s-cis-1.9' })).find((item) => item.id === '1.1.20');
    expect(finding?.status).toBe('FAIL');
    expect(finding?.evidence).toContainEqual({ subject: '/var/lib/rancher/k3s/server/tls/client-ca.crt mode', value: '644', source: { kind: 'file-stat', path: '/var/lib/rancher/k3s/server/tls/client-ca.crt' } });
  });

  it('checks the kubelet drop-in directory under CIS 2.1 (4.1.11), which the k3s guide calls N/A', () => {
    const finding = all(audit('hardened-server', 'running', { benchmark: 'k3s-cis-2.1' })).find((item) => item.id === '4.1.11');
    expect(finding?.status).toBe('PASS');
    expect(finding?.evidence.map((item) => item.subject)).toContain('/var/lib/rancher/k3s/agent/etc/kubelet.conf.d mode');
  });

  it('judges an offline image by its boot sysctl values and says so', () => {
    const finding = all(audit('hardened-agent', 'running')).find((item) => item.id === 'host.kernel.vm.overcommit_memory');
    expect(finding?.status).toBe('PASS');
    expect(finding?.reason).toContain('judged the boot value only');
  });

  it('runs only what --targets and --check ask for', () => {
    const report = audit('hardened-server', 'running', { filter: parseControlFilter({ targets: 'etcd' }) });
    expect(all(report).map((item) => `${item.id} ${item.status}`)).toEqual(['2.1 PASS', '2.2 PASS', '2.3 PASS', '2.4 PASS', '2.5 PASS', '2.6 PASS', '2.7 PASS']);
  });
});

describe('a configuration changed after k3s started', () => {
  it('judges the running state as started, the configured state as configured, and notices the drift', async () => {
    const tree = buildNodeTree('hardened-server');
    try {
      tree.write('/etc/rancher/k3s/config.yaml.d/95-debug.yaml', "kube-apiserver-arg+:\n  - 'profiling=true'\n");
      const changed = await collectNodeFacts({ root: tree.root, mode: 'root', now: () => fixtureTime });
      const check = { filter: parseControlFilter({ check: '1.2.15' }), generatedAt: fixtureTime };
      const running = runAudit({ node: { facts: changed, args: effectiveArgs(changed, 'running') } }, check);
      const configured = runAudit({ node: { facts: changed, args: effectiveArgs(changed, 'configured') } }, check);
      expect(all(running)[0]?.status).toBe('PASS');
      expect(all(configured)[0]?.status).toBe('FAIL');
      expect(all(configured)[0]?.evidence[0]?.source).toMatchObject({ kind: 'config-file', path: '/etc/rancher/k3s/config.yaml.d/95-debug.yaml' });
      expect(running.notices.map((notice) => notice.message)).toContainEqual(expect.stringContaining('kube-apiserver --profiling: running false, configured true'));
    } finally {
      tree.remove();
    }
  });

  it('names the file and line of a config syntax error, and still audits', async () => {
    const tree = buildNodeTree('default-server');
    try {
      tree.write('/etc/rancher/k3s/config.yaml', 'write-kubeconfig-mode: "0600"\nkube-apiserver-arg:\n  - profiling=false\n  bad: [\n');
      const broken = await collectNodeFacts({ root: tree.root, mode: 'root', now: () => fixtureTime });
      const report = runAudit({ node: { facts: broken, args: effectiveArgs(broken, 'running') } }, { generatedAt: fixtureTime });
      expect(report.notices.find((notice) => notice.level === 'error')?.message).toMatch(/^\/etc\/rancher\/k3s\/config\.yaml:\d+: /);
      expect(all(report).length).toBeGreaterThan(100);
    } finally {
      tree.remove();
    }
  });
});
