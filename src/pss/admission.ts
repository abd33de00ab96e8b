import type { PodSecurityConfiguration } from './admission-config.ts';
import { applyApiDefaults } from './api-defaulting.ts';
import { evaluatePodSecurity, violationMessage, wouldViolateMessage, type EvaluateOptions, type FailedCheck, type PodEvaluation } from './evaluate.ts';
import { formatLevelVersion, sameLevelVersion, type LevelVersion } from './level-version.ts';
import { fullyPrivileged, hasPolicyLabels, policyToEvaluate, type LabelError, type Policy } from './namespace-policy.ts';
import type { PodLike } from './pod-spec.ts';

/** A namespace's effective Pod Security policy, as the admission plugin resolves it on every request. */
export interface ResolvedNamespace {
  name: string;
  policy: Policy;
  /** Labels that do not parse: enforce fails closed to restricted, audit/warn fail open. */
  labelErrors: LabelError[];
  /** Listed in the admission configuration's exemptions.namespaces: nothing in it is evaluated. */
  exempt: boolean;
  /** Whether any pod-security.kubernetes.io/ label is set (otherwise the configuration defaults apply). */
  labelled: boolean;
}

export function resolveNamespace(name: string, labels: Readonly<Record<string, string>> | null | undefined, configuration: PodSecurityConfiguration): ResolvedNamespace {
  const { policy, errors } = policyToEvaluate(labels, configuration.defaults);
  return {
    name,
    policy,
    labelErrors: errors,
    exempt: configuration.exemptions.namespaces.includes(name),
    labelled: hasPolicyLabels(labels),
  };
}

export const auditAnnotationKeys = {
  enforcePolicy: 'pod-security.kubernetes.io/enforce-policy',
  auditViolations: 'pod-security.kubernetes.io/audit-violations',
  exempt: 'pod-security.kubernetes.io/exempt',
  error: 'pod-security.kubernetes.io/error',
} as const;

export interface EnforceVerdict {
  levelVersion: LevelVersion;
  /** The v1.N actually evaluated. */
  evaluatedVersion: number;
  allowed: boolean;
  failed: FailedCheck[];
  /** `violates PodSecurity "restricted:latest": ...`, or null when allowed. */
  message: string | null;
}

export interface AdmissionResult {
  exempt: 'namespace' | 'runtimeClass' | null;
  /**
   * Pods: the enforce verdict on the create request. Controllers are never rejected; for them this is
   * the verdict their pods will get when created (the template evaluated as a Pod, with Pod defaulting).
   */
  enforce: EnforceVerdict;
  /** The warnings the API server returns when the object itself is created (`would violate PodSecurity ...`). */
  warnings: string[];
  /** The checks behind the warning, and the warn policy they were evaluated at. */
  warn: { levelVersion: LevelVersion; evaluatedVersion: number; failed: FailedCheck[] } | null;
  /** What PodSecurity adds to the audit event of the request. */
  auditAnnotations: Record<string, string>;
}

/**
 * Simulates the PodSecurity admission plugin for the create of one object (ValidatePod /
 * ValidatePodController + EvaluatePod), on the pod as submitted: the API server's defaulting is applied
 * here. Username exemptions cannot be known offline and are not applied.
 */
export function admit(pod: PodLike, isPod: boolean, namespace: ResolvedNamespace, configuration: PodSecurityConfiguration, options: EvaluateOptions = {}): AdmissionResult {
  const { policy } = namespace;
  const noEvaluation = (exempt: AdmissionResult['exempt'], auditAnnotations: Record<string, string> = {}): AdmissionResult => ({
    exempt,
    enforce: { levelVersion: policy.enforce, evaluatedVersion: 0, allowed: true, failed: [], message: null },
    warnings: [],
    warn: null,
    auditAnnotations,
  });

  if (namespace.exempt) return noEvaluation('namespace', { [auditAnnotationKeys.exempt]: 'namespace' });
  const labelsValid = namespace.labelErrors.length === 0;
  const runtimeClass = pod.spec.runtimeClassName;
  const runtimeClassExempt = runtimeClass != null && configuration.exemptions.runtimeClasses.includes(runtimeClass);

  if (isPod) {
    if (labelsValid && fullyPrivileged(policy)) return noEvaluation(null, { [auditAnnotationKeys.enforcePolicy]: formatLevelVersion(policy.enforce) });
    if (runtimeClassExempt) return noEvaluation('runtimeClass', { [auditAnnotationKeys.exempt]: 'runtimeClass' });
    return evaluateRequest(applyApiDefaults(pod, { isPod: true }), namespace, true, options);
  }

  // A controller: audit and warn on its template (no Pod defaulting), and a preview of enforce on its pods.
  if (runtimeClassExempt) return noEvaluation('runtimeClass', { [auditAnnotationKeys.exempt]: 'runtimeClass' });
  const skipTemplate = labelsValid && policy.warn.level === 'privileged' && policy.audit.level === 'privileged';
  const templateResult = skipTemplate
    ? { warnings: [], warn: null, auditAnnotations: {} }
    : evaluateRequest(applyApiDefaults(pod, { isPod: false }), namespace, false, options);
  const podsResult =
    labelsValid && fullyPrivileged(policy) ? noEvaluation(null).enforce : evaluateRequest(applyApiDefaults(pod, { isPod: true }), namespace, true, options).enforce;
  return { exempt: null, enforce: podsResult, warnings: templateResult.warnings, warn: templateResult.warn, auditAnnotations: templateResult.auditAnnotations };
}

function evaluateRequest(pod: PodLike, namespace: ResolvedNamespace, enforce: boolean, options: EvaluateOptions): AdmissionResult {
  const { policy } = namespace;
  const auditAnnotations: Record<string, string> = {};
  if (namespace.labelErrors.length > 0) auditAnnotations[auditAnnotationKeys.error] = `Failed to parse policy: ${aggregateErrors(namespace.labelErrors)}`;
  const cache: PodEvaluation[] = [];
  const evaluate = (levelVersion: LevelVersion): PodEvaluation => {
    const cached = cache.find((entry) => sameLevelVersion(entry.levelVersion, levelVersion));
    if (cached !== undefined) return cached;
    const evaluation = evaluatePodSecurity(pod, levelVersion, options);
    cache.push(evaluation);
    return evaluation;
  };

  let enforceVerdict: EnforceVerdict = { levelVersion: policy.enforce, evaluatedVersion: 0, allowed: true, failed: [], message: null };
  if (enforce) {
    auditAnnotations[auditAnnotationKeys.enforcePolicy] = formatLevelVersion(policy.enforce);
    const evaluation = evaluate(policy.enforce);
    enforceVerdict = {
      levelVersion: policy.enforce,
      evaluatedVersion: evaluation.evaluatedVersion,
      allowed: evaluation.allowed,
      failed: evaluation.failed,
      message: evaluation.allowed ? null : violationMessage(policy.enforce, evaluation.failed),
    };
  }
  const audit = evaluate(policy.audit);
  if (!audit.allowed) auditAnnotations[auditAnnotationKeys.auditViolations] = wouldViolateMessage(policy.audit, audit.failed);
  const warnings: string[] = [];
  let warnResult: AdmissionResult['warn'] = null;
  if (enforceVerdict.allowed) {
    const warn = evaluate(policy.warn);
    if (!warn.allowed) {
      warnings.push(wouldViolateMessage(policy.warn, warn.failed));
      warnResult = { levelVersion: policy.warn, evaluatedVersion: warn.evaluatedVersion, failed: warn.failed };
    }
  }
  return { exempt: null, enforce: enforceVerdict, warnings, warn: warnResult, auditAnnotations };
}

/** utilerrors.NewAggregate(...).Error(): one error as is, several as `[a, b]`. */
function aggregateErrors(errors: readonly LabelError[]): string {
  if (errors.length === 1) return errors[0]?.message ?? '';
  return `[${errors.map((error) => error.message).join(', ')}]`;
}
