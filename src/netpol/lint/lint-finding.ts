import type { ObjectOrigin } from '../../facts/kube-object.ts';
import type { NetpolAnalysis } from '../analysis.ts';
import { type Classification, classifyEndpoints } from '../class-matrix.ts';
import type { NetworkPolicyModel } from '../policy-model.ts';

/**
 * One thing wrong (or worth knowing) about the policy set. Every finding about a policy names it and the
 * field at fault; findings about namespaces or pods name them.
 */
export type LintSeverity = 'error' | 'warning' | 'info';
export const lintSeverities: readonly LintSeverity[] = ['error', 'warning', 'info'];

export interface LintFinding {
  /** `netpol.dns-blocked`, ... (docs/netpol.md lists them). */
  check: string;
  severity: LintSeverity;
  namespace: string | null;
  /** `namespace/name` of the policy at fault. */
  policy: string | null;
  /** The field at fault, as the API server names it (`spec.egress[0].to[1]`). */
  field: string | null;
  /** The namespace, pods or workloads the finding is about, when it is not (only) a policy. */
  subjects: string[];
  message: string;
  /** How k3s (kube-router) changes the picture, when it does. */
  k3s: string | null;
  origin: ObjectOrigin | null;
}

export interface LintCheck {
  id: string;
  title: string;
  run: (analysis: NetpolAnalysis) => LintFinding[];
}

export function policyFinding(
  check: string,
  severity: LintSeverity,
  policy: NetworkPolicyModel,
  field: string | null,
  message: string,
  k3s: string | null = null,
): LintFinding {
  return { check, severity, namespace: policy.namespace, policy: policy.key, field, subjects: [], message, k3s, origin: policy.origin };
}

export function listSome(items: readonly string[], limit = 5): string {
  if (items.length <= limit) return items.join(', ');
  return `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}

const classifications = new WeakMap<NetpolAnalysis, Classification>();

/**
 * Classes of equivalent endpoints (see class-matrix.ts): a check that asks "does some pod match" or "which
 * pods fail" answers it once per class and lists the members.
 */
export function endpointClasses(analysis: NetpolAnalysis): Classification {
  let found = classifications.get(analysis);
  if (found === undefined) {
    found = classifyEndpoints(analysis);
    classifications.set(analysis, found);
  }
  return found;
}
