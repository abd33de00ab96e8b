import type { AuditReport, Notice, ReportSection } from '../../core/audit-report.ts';
import type { Finding } from '../../core/finding.ts';
import { emptyCounts } from '../../core/status.ts';
import type { ClusterFacts } from '../../facts/cluster-facts.ts';
import { effectiveArgs, lastValue } from '../../k3s/effective-args.ts';
import { nodeFactsFromNode } from '../../k3s/node-args.ts';
import { benchmarkById } from '../benchmarks/index.ts';
import { runAudit } from '../engine.ts';
import type { ControlFilter } from '../filter.ts';
import { clusterAuditInput } from './input.ts';

/**
 * The whole cluster from the API: section 5 on the cluster's objects, and the component-argument controls
 * of every k3s node from its `k3s.io/node-args` annotation (evidence source `node-args-annotation`), in one
 * report. Node findings carry the node's name as `subject`; `nodes` lists every node audited.
 *
 * From the annotation kharden judges the groups that read component arguments: 1.2 (API server), 1.3
 * (controller manager), 1.4 (scheduler), 3.2 (audit logging), 4.3 (kube-proxy), and 4.2 (kubelet) where the
 * kubelet takes its settings as flags. From k3s 1.32 the kubelet also reads drop-in files in
 * agent/etc/kubelet.conf.d, where a user may add settings the annotation does not show: 4.2 then needs the
 * node, and a notice says so. File modes (1.1, 4.1), the etcd configuration file (2) and the host always
 * need the node itself (`kharden audit` on it, `--root` or `--snapshot`); `--check` asks for them anyway,
 * and they are UNKNOWN with that reason.
 */
export const annotationGroups = ['1.2', '1.3', '1.4', '3.2', '4.2', '4.3'] as const;

export interface ClusterAuditOptions {
  benchmark?: string;
  filter?: ControlFilter;
  generatedAt?: Date;
  /** Audit the nodes from their annotations too (default true). */
  nodes?: boolean;
}

export function auditCluster(facts: ClusterFacts, options: ClusterAuditOptions = {}): AuditReport {
  const filter = options.filter ?? {};
  const generatedAt = options.generatedAt ?? new Date();
  const clusterReport = runAudit(
    { cluster: clusterAuditInput(facts) },
    { ...(options.benchmark === undefined ? {} : { benchmark: options.benchmark }), filter, generatedAt },
  );
  if (options.nodes === false) return clusterReport;

  const benchmark = benchmarkById(clusterReport.benchmark.id);
  const nodeFilter: ControlFilter = {
    ...filter,
    check: filter.check ?? [...annotationGroups],
    // Section 5 belongs to the cluster report above.
    skip: [...(filter.skip ?? []), '5'],
  };
  const notices: Notice[] = [...clusterReport.notices];
  const nodeFindings: Finding[] = [];
  const nodes: AuditReport['nodes'] = [];
  for (const entry of facts.objects.filter((sourced) => sourced.object.kind === 'Node')) {
    const name = entry.object.metadata.name ?? '<unnamed>';
    const built = nodeFactsFromNode(entry.object, facts.collectedAt);
    if ('reason' in built) {
      notices.push({ level: 'info', message: `Node ${name} not audited: ${built.reason}` });
      continue;
    }
    const args = effectiveArgs(built.facts, 'running');
    const kubelet = args.components.kubelet;
    const dropIns = kubelet.known ? lastValue(kubelet, 'config-dir') : null;
    let filterForNode = nodeFilter;
    if (filter.check === undefined && dropIns !== null) {
      filterForNode = { ...nodeFilter, check: annotationGroups.filter((group) => group !== '4.2') };
      notices.push({
        level: 'info',
        message: `Node ${name}: kubelet controls (4.2) not judged from the annotation: the kubelet reads drop-in files in ${dropIns.value}, which the API does not show; audit the node itself (kharden audit on it, --root or --snapshot)`,
      });
    }
    const report = runAudit(
      { node: { facts: built.facts, args, origin: `k3s.io/node-args annotation of Node ${name}` } },
      { benchmark: clusterReport.benchmark.id, filter: filterForNode, generatedAt },
    );
    nodes.push(...report.nodes);
    for (const notice of report.notices) {
      if (notice.message.startsWith('skipped with --skip')) continue;
      notices.push({ ...notice, message: `Node ${name}: ${notice.message}` });
    }
    for (const section of report.sections) for (const finding of section.findings) nodeFindings.push({ ...finding, subject: name });
  }

  const order = benchmark?.sections.map((section) => section.id) ?? [];
  const sections = new Map<string, ReportSection>();
  for (const finding of nodeFindings) {
    const section = sections.get(finding.section) ?? { id: finding.section, title: benchmark?.sections.find((candidate) => candidate.id === finding.section)?.title ?? finding.section, findings: [] };
    section.findings.push(finding);
    sections.set(finding.section, section);
  }
  for (const section of clusterReport.sections) sections.set(section.id, section);
  const merged = [...sections.values()].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const summary = emptyCounts();
  for (const section of merged) for (const finding of section.findings) summary[finding.status] += 1;
  return { ...clusterReport, nodes, notices, sections: merged, summary };
}
