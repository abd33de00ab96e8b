import { type AuditedNode, type AuditReport, auditReportApiVersion, type Notice, type ReportSection } from '../core/audit-report.ts';
import type { Finding, Target, Verdict } from '../core/finding.ts';
import { notApplicable, unknown } from '../core/finding.ts';
import { emptyCounts } from '../core/status.ts';
import { khardenVersion } from '../core/version.ts';
import type { Component, NodeFacts } from '../facts/node-facts.ts';
import type { EffectiveArgs } from '../k3s/effective-args.ts';
import type { Benchmark, CatalogEntry } from './benchmarks/catalog.ts';
import { selectBenchmark } from './benchmarks/selection.ts';
import type { BenchmarkContext, Control } from './control.ts';
import { applyControlFilter, type ControlFilter, validateFilter } from './filter.ts';
import { buildNodeInput, type NodeAuditInput } from './node-input.ts';
import type { ClusterAuditInput } from './policies/input.ts';
import { type ControlRegistry, defaultRegistry } from './registry.ts';

/**
 * The CIS audit engine: picks the benchmark, decides which targets apply to what was given (a node, a cluster,
 * both), runs each catalog entry's implementation with the entry's parameters, and assembles the AuditReport.
 * Pure: everything it needs is in the request; `generatedAt` can be fixed for reproducible output.
 */
export interface NodeSubject {
  facts: NodeFacts;
  /** From k3s/effective-args for the state being judged (running or configured). */
  args: EffectiveArgs;
  /** Where the facts came from, for the report: `live`, `--root /host`, `snapshot node.json`, `demo`. */
  origin?: string;
}

export interface AuditRequest {
  node?: NodeSubject;
  /** Section 5 input, built by cis/policies `clusterAuditInput` from the cluster facts (--cluster). */
  cluster?: ClusterAuditInput;
}

export interface AuditOptions {
  /** `--benchmark`: `k3s-cis-1.12`, `cis-1.12` or `1.12`. */
  benchmark?: string;
  filter?: ControlFilter;
  generatedAt?: Date;
  registry?: ControlRegistry;
}

type Plan = { run: 'node' } | { run: 'cluster' } | { verdict: Verdict } | { omit: true };

export function runAudit(request: AuditRequest, options: AuditOptions = {}): AuditReport {
  const registry = options.registry ?? defaultRegistry;
  const filter = options.filter ?? {};
  const nodeInput = request.node === undefined ? null : buildNodeInput(request.node.facts, request.node.args);
  const version = nodeInput?.context.k3s.version?.text ?? request.node?.facts.k3s.version?.value ?? clusterVersion(request.cluster);
  const { benchmark, choice } = selectBenchmark(version, options.benchmark);
  validateFilter(filter, benchmark);

  const notices: Notice[] = [];
  if (choice.selectedBy === 'nearest' || choice.selectedBy === 'default') notices.push({ level: 'warning', message: `benchmark: ${choice.note ?? choice.id}` });
  if (nodeInput !== null && request.node !== undefined) notices.push(...nodeNotices(nodeInput, request.node.args));

  const { selected, skipped } = applyControlFilter(benchmark.controls, filter);
  if (skipped.length > 0) notices.push({ level: 'info', message: `skipped with --skip: ${skipped.map((entry) => entry.id).join(', ')}` });

  const findings: Finding[] = [];
  const omittedTargets = new Set<Target>();
  for (const entry of selected) {
    const plan = planFor(entry.target, nodeInput, request.cluster, filter);
    if ('omit' in plan) {
      omittedTargets.add(entry.target);
      continue;
    }
    const verdict = 'verdict' in plan ? plan.verdict : evaluate(entry, plan.run, nodeInput, request.cluster, registry, benchmark, notices);
    findings.push(toFinding(entry, verdict));
  }
  if (nodeInput?.context.role === 'agent' && omittedTargets.size > 0) {
    const serverTargets = [...omittedTargets].filter((target) => target !== 'policies');
    const parts = [
      ...(serverTargets.length > 0 ? [`${serverTargets.join(', ')} controls apply to k3s servers`] : []),
      ...(omittedTargets.has('policies') ? ['section 5 (policies) is audited against the cluster with --cluster'] : []),
    ];
    notices.push({ level: 'info', message: `agent node: ${parts.join('; ')}; they are not part of this report` });
  }

  const sections: ReportSection[] = [];
  for (const section of benchmark.sections) {
    const sectionFindings = findings.filter((finding) => finding.section === section.id);
    if (sectionFindings.length > 0) sections.push({ id: section.id, title: section.title, findings: sectionFindings });
  }
  const summary = emptyCounts();
  for (const finding of findings) summary[finding.status] += 1;

  const nodes: AuditedNode[] = nodeInput === null || request.node === undefined ? [] : [auditedNode(nodeInput, request.node)];
  return {
    apiVersion: auditReportApiVersion,
    kind: 'AuditReport',
    generatedAt: (options.generatedAt ?? new Date()).toISOString(),
    kharden: khardenVersion,
    benchmark: choice,
    nodes,
    notices,
    sections,
    summary,
  };
}

/**
 * Which targets apply: servers get every node target, agents section 4 and the host group; section 5 needs
 * the cluster. A target asked for with --targets that does not apply is answered (N/A or UNKNOWN) rather
 * than silently left out.
 */
function planFor(target: Target, node: NodeAuditInput | null, cluster: ClusterAuditInput | undefined, filter: ControlFilter): Plan {
  const asked = filter.targets?.includes(target) ?? false;
  if (target === 'policies') {
    if (cluster !== undefined) return { run: 'cluster' };
    if (node?.context.role === 'agent' && !asked) return { omit: true };
    return {
      verdict: unknown(
        'needs the cluster: section 5 judges the cluster\'s objects (RBAC, pods, namespaces, NetworkPolicies); run `kharden audit --cluster` (with --kubeconfig/--context as for kubectl) to audit it',
      ),
    };
  }
  if (node === null) {
    return asked ? { verdict: unknown('needs the node: run kharden on the node, with --root, or with --snapshot to audit this control') } : { omit: true };
  }
  if (target === 'node' || target === 'host') return { run: 'node' };
  // master, etcd, controlplane: k3s servers only.
  const { role } = node.context;
  if (role === 'server') return { run: 'node' };
  if (role === 'agent') {
    return asked ? { verdict: notApplicable('this node is a k3s agent: this control applies to k3s servers', node.context.roleEvidence) } : { omit: true };
  }
  return {
    verdict: unknown('kharden could not tell whether this node is a k3s server or an agent (no role in the facts, no k3s server or agent command line); server controls cannot be judged', node.context.roleEvidence),
  };
}

function evaluate(
  entry: CatalogEntry,
  run: 'node' | 'cluster',
  node: NodeAuditInput | null,
  cluster: ClusterAuditInput | undefined,
  registry: ControlRegistry,
  benchmark: Benchmark,
  notices: Notice[],
): Verdict {
  const context: BenchmarkContext = { id: benchmark.id, params: entry.params };
  if (run === 'cluster') {
    const control = registry.cluster.get(entry.implementation);
    if (control === undefined || cluster === undefined) return unknown(`kharden does not evaluate ${entry.id} (${entry.implementation}) yet; check it by hand: ${entry.remediation}`);
    return guarded(control, cluster, context, entry, notices);
  }
  const control = registry.node.get(entry.implementation);
  if (control === undefined || node === null) return unknown(`kharden has no implementation ${entry.implementation} for ${entry.id}`);
  return guarded(control, node, context, entry, notices);
}

/** A control that throws is a kharden bug: the audit goes on, the control is UNKNOWN, a notice says so. */
function guarded<Input>(control: Control<Input>, input: Input, context: BenchmarkContext, entry: CatalogEntry, notices: Notice[]): Verdict {
  try {
    return control.check(input, context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    notices.push({ level: 'error', message: `internal error evaluating ${entry.id} (${entry.implementation}): ${message}; this is a bug in kharden, please report it` });
    return unknown(`kharden failed to evaluate this control (internal error: ${message})`);
  }
}

/** A "not met" becomes WARN where the benchmark leaves the control to the operator (its result there is "Warn"). */
function toFinding(entry: CatalogEntry, verdict: Verdict): Finding {
  const status = verdict.status === 'FAIL' ? entry.unmetStatus : verdict.status;
  const reason =
    verdict.status === 'FAIL' && status === 'WARN'
      ? `${verdict.reason}. ${entry.id} is a Manual control in this benchmark: decide whether it applies here, and follow the remediation if it does`
      : verdict.reason;
  return {
    ...verdict,
    status,
    reason,
    expected: verdict.expected ?? entry.expected,
    id: entry.id,
    title: entry.title,
    section: entry.section,
    target: entry.target,
    type: entry.type,
    scored: entry.scored,
    remediation: entry.remediation,
  };
}

function auditedNode(input: NodeAuditInput, subject: NodeSubject): AuditedNode {
  const { context, facts, args } = input;
  const datastore: AuditedNode['datastore'] =
    context.role !== 'server'
      ? null
      : { sqlite: 'sqlite' as const, 'embedded-etcd': 'etcd' as const, 'external-etcd': 'external' as const, 'external-sql': 'external' as const, none: null }[context.datastore.kind];
  return {
    name: context.k3s.nodeName ?? facts.hostname ?? 'unknown',
    role: context.role,
    k3sVersion: context.k3s.version?.text ?? facts.k3s.version?.value ?? null,
    datastore,
    state: args.state,
    origin: subject.origin ?? describeCollector(facts),
  };
}

function describeCollector(facts: NodeFacts): string {
  switch (facts.collector.mode) {
    case 'live':
      return 'live';
    case 'root':
      return `--root ${facts.collector.root}`;
    case 'demo':
      return 'demo';
    case 'node-args':
      return `k3s.io/node-args annotation of Node ${facts.hostname ?? '?'}`;
  }
}

/** Things the operator should know that are not a control's verdict. */
function nodeNotices(input: NodeAuditInput, args: EffectiveArgs): Notice[] {
  const notices: Notice[] = [];
  const { facts } = input;
  for (const file of facts.k3s.configFiles) {
    if (file.error === undefined) continue;
    const where = file.error.line === undefined ? file.path : `${file.path}:${file.error.line}`;
    notices.push({ level: 'error', message: `${where}: ${file.error.message}; k3s would refuse to start with it, and controls that depend on the k3s configuration may be UNKNOWN` });
  }
  for (const file of facts.kubeletConfigFiles) {
    if (file.error === undefined) continue;
    const where = file.error.line === undefined ? file.path : `${file.path}:${file.error.line}`;
    notices.push({ level: 'error', message: `${where}: ${file.error.message}; the kubelet controls that depend on it are UNKNOWN` });
  }
  for (const file of [facts.etcdConfig, facts.encryptionConfig]) {
    if (file === null || file.error === undefined) continue;
    notices.push({ level: 'warning', message: `${file.path} could not be read: ${file.error.message}` });
  }
  for (const drift of args.drift) {
    notices.push({
      level: 'warning',
      message: `${drift.component} --${drift.flag}: running ${drift.running ?? '(not set)'}, configured ${drift.configured ?? '(not set)'}: the configuration changed after k3s started; restart k3s to apply it (audit --configured judges the configuration)`,
    });
  }
  const unreadLogs = facts.k3s.logs.sources.filter((source) => !source.read && source.error !== undefined);
  const unknownComponents = neededComponents(input).filter((component) => !args.components[component].known).map((component) => args.components[component]);
  if (args.state === 'running' && unreadLogs.length > 0 && unknownComponents.length > 0) {
    notices.push({
      level: 'warning',
      message: `k3s log not readable (${unreadLogs.map((source) => `${source.name}: ${source.error?.message ?? ''}`).join('; ')}): the arguments of ${unknownComponents.map((component) => component.component).join(', ')} are unknown`,
    });
  }
  for (const note of input.context.k3s.notes) notices.push({ level: 'info', message: note });
  return notices;
}

/** The components whose arguments this node's controls read. */
function neededComponents(input: NodeAuditInput): Component[] {
  const { role, agentDisabled, kubeProxyDisabled } = input.context;
  const agent: Component[] = agentDisabled !== null ? [] : kubeProxyDisabled !== null ? ['kubelet'] : ['kubelet', 'kube-proxy'];
  if (role !== 'server') return agent;
  return ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', ...agent];
}

/** The k3s version of the API server, or as the cluster's nodes report it, when there is no node audit. */
function clusterVersion(cluster: ClusterAuditInput | undefined): string | null {
  if (cluster === undefined) return null;
  const server = cluster.facts.server?.version;
  if (server !== undefined && server !== null && server !== '') return server;
  for (const node of cluster.objects('Node')) {
    const status = (node.object as { status?: { nodeInfo?: { kubeletVersion?: unknown } } }).status;
    const version = status?.nodeInfo?.kubeletVersion;
    if (typeof version === 'string' && version.includes('k3s')) return version;
  }
  return null;
}
