import { stringify } from 'yaml';
import type { PssNamespace, PssObjectResult, PssReport, PssSource } from '../pss/pss-report.ts';
import type { Palette } from './audit-text.ts';

export interface PssTextOptions {
  colors: Palette;
  /** List allowed objects too (rejected, warned and exempt ones are always listed). */
  verbose: boolean;
  /** Print the minimal securityContext patch under each object that needs one. */
  patches: boolean;
}

/**
 * Renders `kharden pss` for a person: per namespace its policy and where it comes from, then each
 * object that would be rejected or warned, with the API server's own words, then a summary.
 */
export function renderPssText(report: PssReport, options: PssTextOptions): string {
  const { colors } = options;
  const lines: string[] = [];
  const modeText = {
    'namespace-policy': "each namespace's own policy (labels over admission configuration defaults)",
    'fixed-level': 'one policy for every namespace (--level)',
    'enforce-preview': 'preview of a new enforce label on every namespace (--enforce)',
  }[report.mode];
  lines.push(colors.bold(`kharden pss — Pod Security admission, ${modeText}`));
  lines.push(colors.dim(`latest = policy ${report.latest.version} (Kubernetes ${report.latest.kubernetes})`));
  for (const notice of report.notices) lines.push(`${colors.yellow('note:')} ${notice}`);

  const byNamespace = new Map<string, PssObjectResult[]>();
  for (const result of report.objects) {
    const list = byNamespace.get(result.namespace) ?? [];
    list.push(result);
    byNamespace.set(result.namespace, list);
  }
  for (const namespace of report.namespaces) {
    const objects = byNamespace.get(namespace.name) ?? [];
    if (objects.length === 0 && !namespace.seen) continue;
    lines.push('', describeNamespace(namespace, objects, colors));
    for (const error of namespace.labelErrors) lines.push(`  ${colors.red('invalid label:')} ${error}`);
    for (const result of objects) {
      if (result.status === 'allowed' && !options.verbose) continue;
      lines.push(...renderObject(result, options));
    }
  }

  if (report.notCovered.length > 0) {
    const kinds = new Map<string, number>();
    for (const entry of report.notCovered) {
      const key = entry.apiVersion.includes('/') && !builtinGroups.has(entry.apiVersion.split('/')[0] ?? '') ? `${entry.kind} (${entry.apiVersion})` : entry.kind;
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
    const list = [...kinds.entries()].map(([kind, count]) => `${count} ${kind}`).join(', ');
    lines.push('', `${colors.dim('not covered by Pod Security admission:')} ${list}`);
  }
  if (report.problems.length > 0) {
    lines.push('', colors.bold(colors.red('problems (not evaluated):')));
    for (const problem of report.problems) lines.push(`  ${problem.source === null ? '' : `${describePssSource(problem.source)}: `}${problem.message}`);
  }
  const { summary } = report;
  lines.push(
    '',
    colors.bold('== Summary =='),
    [
      `${summary.objects} object${summary.objects === 1 ? '' : 's'} evaluated`,
      colors.green(`${summary.allowed} allowed`),
      colors.yellow(`${summary.warning} allowed with warnings`),
      colors.red(`${summary.rejected} rejected`),
      colors.dim(`${summary.exempt} exempt`),
      `${summary.notCovered} not covered`,
      `${summary.problems} problem${summary.problems === 1 ? '' : 's'}`,
    ].join(', '),
    '',
  );
  return lines.join('\n');
}

const builtinGroups = new Set(['apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'policy', 'autoscaling', 'storage.k8s.io', 'apiextensions.k8s.io', 'admissionregistration.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'node.k8s.io', 'certificates.k8s.io']);

function describeNamespace(namespace: PssNamespace, objects: readonly PssObjectResult[], colors: Palette): string {
  const { policy } = namespace;
  const source = {
    labels: 'from its labels',
    'admission-config': 'admission configuration defaults',
    'labels+admission-config': 'labels over admission configuration defaults',
    none: 'no labels and no admission configuration: nothing is enforced',
    flag: '--level',
    'enforce-preview': 'with the previewed enforce label',
  }[namespace.policySource];
  const exempt = namespace.exempt ? `${colors.yellow(' exempt')} (admission configuration exemptions.namespaces: nothing in it is evaluated)` : '';
  const count = `${objects.length} object${objects.length === 1 ? '' : 's'}`;
  return `${colors.bold(`namespace ${namespace.name}`)}: enforce=${policy.enforce} audit=${policy.audit} warn=${policy.warn} (${source}); ${count}${exempt}`;
}

function renderObject(result: PssObjectResult, options: PssTextOptions): string[] {
  const { colors } = options;
  const indent = '      ';
  const tag = {
    rejected: colors.red('[REJECTED]'),
    warning: colors.yellow('[WARNING] '),
    allowed: colors.green('[ALLOWED] '),
    exempt: colors.dim('[EXEMPT]  '),
  }[result.status];
  const isPod = result.kind === 'Pod';
  const what = result.status === 'rejected' && !isPod ? ' — the pods it creates would be rejected' : result.status === 'exempt' ? ` — exempt ${result.exempt === 'namespace' ? 'namespace' : 'runtimeClass'}` : '';
  const lines = [`  ${tag} ${result.kind} ${result.namespace}/${result.name}${what} ${colors.dim(`(${describePssSource(result.source)})`)}`];
  if (result.message !== null) lines.push(`${indent}${isPod ? (result.apiError ?? result.message) : `pods: ${result.message}`}`);
  for (const warning of result.warnings) lines.push(`${indent}Warning: ${warning}`);
  if (result.status !== 'allowed' && result.status !== 'exempt') {
    const checks = result.failingChecks.length > 0 ? result.failingChecks : result.warningChecks;
    lines.push(`${indent}${colors.dim('failing checks:')} ${checks.join(', ')}`);
  }
  const patch = result.patch;
  if (options.patches && patch !== null) {
    if (Object.keys(patch.strategicMergePatch).length > 0) {
      const how =
        result.kind === 'Pod'
          ? 'patch (a Pod spec cannot be changed in place: apply it to the manifest and create the Pod again):'
          : `patch (kubectl patch ${result.kind.toLowerCase()} ${result.name} -n ${result.namespace} --type strategic --patch-file patch.yaml):`;
      lines.push(`${indent}${colors.dim(how)}`);
      for (const line of stringify(patch.strategicMergePatch).trimEnd().split('\n')) lines.push(`${indent}  ${line}`);
    }
    for (const manual of patch.manual) lines.push(`${indent}${colors.yellow('by hand:')} ${manual}`);
    for (const note of patch.notes) lines.push(`${indent}${colors.dim('note:')} ${note}`);
  }
  return lines;
}

export function describePssSource(source: PssSource): string {
  if (source.kind === 'cluster') return `cluster ${source.server}`;
  const item = source.item === undefined ? '' : ` item ${source.item}`;
  return `${source.file} document ${source.document + 1}, line ${source.line}${item}`;
}
