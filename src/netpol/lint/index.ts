import type { NetpolAnalysis } from '../analysis.ts';
import { describeProblem } from '../input-problem.ts';
import { dnsFindings } from './dns-reachability.ts';
import { emptySelectionFindings } from './empty-selection.ts';
import { ipBlockFindings } from './ip-blocks.ts';
import { type LintCheck, type LintFinding, type LintSeverity, lintSeverities } from './lint-finding.ts';
import { namespaceIsolationFindings } from './namespace-isolation.ts';
import { peerShapeFindings } from './peer-shape.ts';
import { policyTypeFindings } from './policy-types.ts';
import { portFindings } from './port-checks.ts';
import { redundantPolicyFindings } from './redundant-policy.ts';

/** `kharden netpol lint`: every check, in the order a reader should meet them. */
export const lintChecks: readonly LintCheck[] = [
  { id: 'netpol.invalid', title: 'objects the API server would reject', run: invalidObjectFindings },
  { id: 'netpol.isolation', title: 'namespaces and pods no policy isolates; missing default deny', run: namespaceIsolationFindings },
  { id: 'netpol.dns-blocked', title: 'egress-isolated pods that cannot reach kube-dns', run: dnsFindings },
  { id: 'netpol.selection', title: 'policies and peers that select nothing; hostNetwork pods', run: emptySelectionFindings },
  { id: 'netpol.ports', title: 'protocol defaulted where UDP was meant; named ports', run: portFindings },
  { id: 'netpol.ip-blocks', title: 'ipBlocks that cover everything or the cluster ranges', run: ipBlockFindings },
  { id: 'netpol.peers', title: 'AND/OR confusion; rules open to every peer', run: peerShapeFindings },
  { id: 'netpol.policy-types', title: 'policyTypes and namespace defaulting', run: policyTypeFindings },
  { id: 'netpol.redundant-policy', title: 'policies made redundant by others', run: redundantPolicyFindings },
];

function invalidObjectFindings(analysis: NetpolAnalysis): LintFinding[] {
  return analysis.problems.map((problem): LintFinding => {
    const match = /^NetworkPolicy ([^/]+)\/(.+)$/.exec(problem.object);
    const isPolicy = match !== null;
    return {
      check: problem.field !== undefined && isPolicy ? 'netpol.invalid' : 'netpol.input',
      severity: problem.field !== undefined && isPolicy ? 'error' : 'warning',
      namespace: match?.[1] ?? null,
      policy: isPolicy ? `${match[1]}/${match[2]}` : null,
      field: problem.field ?? null,
      subjects: isPolicy ? [] : [problem.object],
      message: isPolicy ? `${problem.message} (${problem.consequence})` : describeProblem({ ...problem, origin: null }),
      k3s: null,
      origin: problem.origin,
    };
  });
}

export interface LintOptions {
  /** Only findings about these namespaces (and findings about no namespace). */
  namespaces?: readonly string[] | null;
  /** Leave out checks by id prefix (for example netpol.redundant-policy). */
  skip?: readonly string[];
}

const severityOrder: Record<LintSeverity, number> = { error: 0, warning: 1, info: 2 };

export function lintPolicies(analysis: NetpolAnalysis, options: LintOptions = {}): LintFinding[] {
  const findings = lintChecks
    .filter((check) => !(options.skip ?? []).some((prefix) => check.id.startsWith(prefix)))
    .flatMap((check) => check.run(analysis))
    .filter((finding) => options.namespaces === null || options.namespaces === undefined || finding.namespace === null || options.namespaces.includes(finding.namespace));
  return findings.sort(
    (a, b) =>
      (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
      severityOrder[a.severity] - severityOrder[b.severity] ||
      (a.policy ?? '').localeCompare(b.policy ?? '') ||
      a.check.localeCompare(b.check),
  );
}

export function countBySeverity(findings: readonly LintFinding[]): Record<LintSeverity, number> {
  const counts = Object.fromEntries(lintSeverities.map((severity) => [severity, 0])) as Record<LintSeverity, number>;
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

export type { LintFinding, LintSeverity };
