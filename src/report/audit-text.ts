import type { AuditReport, AuditedNode } from '../core/audit-report.ts';
import type { Evidence, Finding } from '../core/finding.ts';
import { describeSource } from '../core/source.ts';
import { type Status, statuses } from '../core/status.ts';

/** The colour functions a renderer may use; picocolors' shape, passed in so renderers stay pure. */
export interface Palette {
  green: (text: string) => string;
  red: (text: string) => string;
  yellow: (text: string) => string;
  blue: (text: string) => string;
  magenta: (text: string) => string;
  dim: (text: string) => string;
  bold: (text: string) => string;
}

export interface AuditTextOptions {
  colors: Palette;
  /** Show evidence for PASS and N/A too (it is always shown for FAIL, WARN and UNKNOWN). */
  verbose: boolean;
  /** Print the remediation of FAIL and WARN controls. */
  remediations: boolean;
}

/**
 * Renders an audit report for a person: grouped by section, one line per control, the evidence under
 * it, and a summary line. Shaped like kube-bench's output so that its users feel at home.
 */
export function renderAuditText(report: AuditReport, options: AuditTextOptions): string {
  const { colors } = options;
  const lines: string[] = [];
  lines.push(colors.bold(`kharden ${report.kharden} — ${report.benchmark.title} (${report.benchmark.id})`));
  for (const node of report.nodes) lines.push(describeNode(node));
  lines.push(`benchmark ${benchmarkReason(report)}`);
  for (const notice of report.notices) {
    const label = notice.level === 'error' ? colors.red('error') : notice.level === 'warning' ? colors.yellow('warning') : colors.blue('note');
    lines.push(`${label}: ${notice.message}`);
  }
  for (const section of report.sections) {
    if (section.findings.length === 0) continue;
    lines.push('', colors.bold(`[INFO] ${section.id} ${section.title}`));
    const shared = sharedReason(section.findings);
    if (shared !== null) {
      // A whole section with one reason (section 5 without the cluster, etcd on SQLite): say it once.
      lines.push(`        ${shared}`);
      for (const finding of section.findings) lines.push(`${statusTag(finding.status, colors)} ${finding.id} ${finding.title}`);
      continue;
    }
    for (const finding of section.findings) lines.push(...renderFinding(finding, options));
  }
  lines.push('', colors.bold('== Summary =='), summaryLine(report, colors), '');
  return lines.join('\n');
}

/** The reason every finding of a section shares, when they are all UNKNOWN or all N/A for the same reason. */
function sharedReason(findings: readonly Finding[]): string | null {
  const first = findings[0];
  if (first === undefined || findings.length < 2 || (first.status !== 'UNKNOWN' && first.status !== 'N/A')) return null;
  const same = findings.every((finding) => finding.status === first.status && finding.reason === first.reason && finding.evidence.length === 0);
  return same ? first.reason : null;
}

function describeNode(node: AuditedNode): string {
  const role = node.role ?? 'unknown role';
  const version = node.k3sVersion ?? 'unknown k3s version';
  const datastore = node.datastore === null ? '' : `, datastore ${node.datastore}`;
  const state = node.state === 'running' ? 'running state (what k3s last started with)' : 'configured state (what k3s runs after its next restart)';
  return `node ${node.name}: ${role}, k3s ${version}${datastore}; ${state}; facts from ${node.origin}`;
}

function benchmarkReason(report: AuditReport): string {
  const { benchmark } = report;
  const how = {
    'k3s-version': 'selected for the k3s version',
    flag: 'chosen with --benchmark',
    nearest: 'nearest to the k3s version',
    default: 'default (k3s version unknown)',
  }[benchmark.selectedBy];
  return benchmark.note === undefined ? `${benchmark.id}: ${how}` : `${benchmark.id}: ${how}; ${benchmark.note}`;
}

function statusTag(status: Status, colors: Palette): string {
  const tag = `[${status}]`;
  switch (status) {
    case 'PASS':
      return colors.green(tag);
    case 'FAIL':
      return colors.red(tag);
    case 'WARN':
      return colors.yellow(tag);
    case 'N/A':
      return colors.dim(tag);
    case 'UNKNOWN':
      return colors.magenta(tag);
  }
}

function renderFinding(finding: Finding, options: AuditTextOptions): string[] {
  const { colors } = options;
  const subject = finding.subject === undefined ? '' : ` ${colors.dim(`(${finding.subject})`)}`;
  const lines = [`${statusTag(finding.status, colors)} ${finding.id} ${finding.title}${subject}`];
  const detailed = options.verbose || finding.status === 'FAIL' || finding.status === 'WARN' || finding.status === 'UNKNOWN';
  const indent = '        ';
  if (detailed || finding.status === 'N/A') lines.push(`${indent}${finding.reason}`);
  if (detailed) {
    if (finding.expected !== undefined && finding.status !== 'PASS') lines.push(`${indent}${colors.dim('expected:')} ${finding.expected}`);
    for (const evidence of finding.evidence) lines.push(`${indent}${colors.dim('seen:')} ${describeEvidence(evidence)}`);
  }
  if (options.remediations && (finding.status === 'FAIL' || finding.status === 'WARN') && finding.remediation !== '') {
    lines.push(`${indent}${colors.dim('fix:')} ${finding.remediation}`);
  }
  return lines;
}

export function describeEvidence(evidence: Evidence): string {
  const value = evidence.value === null ? 'not set' : JSON.stringify(evidence.value);
  return `${evidence.subject} = ${value} (${describeSource(evidence.source)})`;
}

export function summaryLine(report: AuditReport, colors: Palette): string {
  const paint: Record<Status, (text: string) => string> = {
    PASS: colors.green,
    FAIL: colors.red,
    WARN: colors.yellow,
    'N/A': colors.dim,
    UNKNOWN: colors.magenta,
  };
  return statuses.map((status) => paint[status](`${status} ${report.summary[status]}`)).join(', ');
}
