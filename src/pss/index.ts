/**
 * Pod Security Standards, evaluated exactly as the API server's PodSecurity admission does
 * (k8s.io/pod-security-admission): same checks per level and policy version, same verdicts, same messages.
 *
 * Public API (pure functions; nothing here reads files or the network):
 *
 * - `evaluatePod(pod, level, version?, options?) → PodVerdict`
 *     Evaluates one pod (`{ metadata?, spec }`, already validated, see `parsePod`) at a level and policy
 *     version (`'latest'` or the minor N of v1.N; default latest). The API server's Pod defaulting is applied
 *     first (volume without source → emptyDir; hostNetwork → hostPort from containerPort).
 *     → `{ allowed, level, version, evaluatedVersion, checks: [{ id, reason, detail }], message }` where
 *     `message` is `violates PodSecurity "restricted:latest": ...` exactly as the API server words it, or null.
 *
 * - `evaluateWorkload(object, level, version?, options?) → WorkloadVerdict`
 *     The same for any Kubernetes object: Pods, and the pod templates of PodTemplate, ReplicationController,
 *     ReplicaSet, Deployment, DaemonSet, StatefulSet, Job and CronJob (evaluated as the pods they create).
 *     → `{ kind: 'evaluated', podKind, verdict }`, `{ kind: 'not-covered', reason }` (other kinds, CRDs,
 *     an RC without template) or `{ kind: 'malformed', message }` (a pod spec that does not validate).
 *
 * - `parsePod(value) → { ok: true, pod } | { ok: false, message }`: validates `{ metadata, spec }` (zod).
 * - `resolveNamespace(name, labels, configuration?)`: the namespace's enforce/audit/warn policy from its
 *     pod-security.kubernetes.io/ labels over the admission configuration's defaults (invalid labels:
 *     enforce fails closed to restricted), and whether the configuration exempts it.
 * - `admit(pod, isPod, namespace, configuration, options?)`: the full admission decision for a create:
 *     exemptions, enforce verdict and message, `would violate PodSecurity ...` warnings, audit annotations.
 * - `parseAdmissionConfig(text)`: PodSecurityConfiguration / AdmissionConfiguration (strict, validated).
 * - `securityPatch(pod, kind, failedIds, levelVersion, evaluatedVersion)`: minimal strategic merge patch.
 * - `assessWorkloads(objects, problems, namespaces, options) → PssReport`: what `kharden pss` reports.
 * - `knownLatestVersion` (37: `latest` = policy v1.37 = Kubernetes 1.37) and
 *   `latestVersionForKubernetes(minor)` (what `latest` means on an API server of that minor).
 *
 * Each check lives in `check-<name>.ts` with its versions; `registry.ts` resolves (level, version) to the
 * ordered check list as upstream's registry does.
 */
import { applyApiDefaults } from './api-defaulting.ts';
import { evaluatePodSecurity, violationMessage, type EvaluateOptions, type FailedCheck } from './evaluate.ts';
import { formatVersion, type Level, type PolicyVersion } from './level-version.ts';
import { parsePodMetadata, parsePodSpec, type PodLike } from './pod-spec.ts';
import { extractPod, type PodSecurityKind } from './workload.ts';

export interface PodVerdict {
  allowed: boolean;
  level: Level;
  /** As requested: `latest` or `v1.N`. */
  version: string;
  /** The policy version evaluated (`latest` and future versions clamp to the newest known). */
  evaluatedVersion: string;
  checks: FailedCheck[];
  message: string | null;
}

export function evaluatePod(pod: PodLike, level: Level, version: PolicyVersion = 'latest', options: EvaluateOptions & { isPod?: boolean } = {}): PodVerdict {
  const defaulted = applyApiDefaults(pod, { isPod: options.isPod ?? true });
  const levelVersion = { level, version };
  const evaluation = evaluatePodSecurity(defaulted, levelVersion, options);
  return {
    allowed: evaluation.allowed,
    level,
    version: formatVersion(version),
    evaluatedVersion: formatVersion(evaluation.evaluatedVersion),
    checks: evaluation.failed,
    message: evaluation.allowed ? null : violationMessage(levelVersion, evaluation.failed),
  };
}

export type WorkloadVerdict =
  | { kind: 'evaluated'; podKind: PodSecurityKind; verdict: PodVerdict }
  | { kind: 'not-covered'; reason: string }
  | { kind: 'malformed'; message: string };

export function evaluateWorkload(
  object: { apiVersion: string; kind: string } & Record<string, unknown>,
  level: Level,
  version: PolicyVersion = 'latest',
  options: EvaluateOptions = {},
): WorkloadVerdict {
  const extracted = extractPod(object);
  if (extracted.kind === 'not-covered' || extracted.kind === 'no-template') return { kind: 'not-covered', reason: extracted.reason };
  if (extracted.kind === 'malformed') return { kind: 'malformed', message: extracted.message };
  // Templates are judged as the pods they create, which the API server defaults as Pods.
  return { kind: 'evaluated', podKind: extracted.podKind, verdict: evaluatePod(extracted.pod, level, version, { ...options, isPod: true }) };
}

export function parsePod(value: unknown): { ok: true; pod: PodLike } | { ok: false; message: string } {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const spec = parsePodSpec(record.spec ?? {});
  if (!spec.ok) return { ok: false, message: `spec.${spec.message}` };
  const metadata = parsePodMetadata(record.metadata);
  if (!metadata.ok) return { ok: false, message: `metadata.${metadata.message}` };
  return { ok: true, pod: { metadata: metadata.metadata, spec: spec.spec } };
}

export { parseAdmissionConfig, emptyPodSecurityConfiguration, type PodSecurityConfiguration } from './admission-config.ts';
export { admit, resolveNamespace, type AdmissionResult, type ResolvedNamespace } from './admission.ts';
export { assessWorkloads, namespacesFromObjects, type AssessOptions, type NamespaceInput } from './assess.ts';
export { checkIds, type CheckId } from './check.ts';
export type { FailedCheck, EvaluateOptions } from './evaluate.ts';
export { formatLevelVersion, parseLevel, parseVersion, type Level, type LevelVersion, type PolicyVersion } from './level-version.ts';
export { policyToEvaluate, type Policy } from './namespace-policy.ts';
export type { PodLike } from './pod-spec.ts';
export type { PssReport, PssObjectResult } from './pss-report.ts';
export { knownLatestVersion, latestVersionForKubernetes } from './registry.ts';
export { securityPatch, type SecurityPatch } from './security-patch.ts';
