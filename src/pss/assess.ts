import type { KubeObject, ObjectOrigin, ObjectProblem, SourcedObject } from '../facts/kube-object.ts';
import type { PodSecurityConfiguration } from './admission-config.ts';
import { admit, resolveNamespace, type AdmissionResult, type ResolvedNamespace } from './admission.ts';
import { forbiddenStatusMessage, type FailedCheck } from './evaluate.ts';
import { formatLevelVersion, formatVersion, type Level, type LevelVersion, type PolicyVersion } from './level-version.ts';
import { policyLabels, type Policy } from './namespace-policy.ts';
import type { PodLike } from './pod-spec.ts';
import {
  pssReportApiVersion,
  type PssNamespace,
  type PssNotCovered,
  type PssObjectResult,
  type PssPatch,
  type PssProblem,
  type PssReport,
  type PssSource,
  type PssStatus,
} from './pss-report.ts';
import { knownLatestVersion } from './registry.ts';
import { securityPatch } from './security-patch.ts';
import { extractPod, resourceOfKind, type PodSecurityKind } from './workload.ts';

export interface AssessOptions {
  configuration: PodSecurityConfiguration;
  /** Whether a configuration was given (otherwise the plugin's built-in privileged defaults apply). */
  configurationGiven: boolean;
  /** `--level`/`--version`: every namespace is evaluated at this one policy (exemptions still apply). */
  fixedPolicy?: LevelVersion;
  /** `--enforce`: preview labelling every namespace with this enforce level (and version, when given). */
  enforcePreview?: { level: Level; version?: PolicyVersion };
  /** What `latest` means: the newest policy version of the target API server. */
  latestVersion: number;
  /** Namespace of objects that do not name one (kubectl's default, or -n). */
  defaultNamespace: string;
  /** Only objects in this namespace (`-n`); all when undefined. */
  namespace?: string;
  generatedAt: string;
  kharden: string;
  notices?: string[];
}

export interface NamespaceInput {
  labels: Readonly<Record<string, string>> | undefined;
  seen: boolean;
}

/**
 * Evaluates every workload as the PodSecurity admission plugin would on create, with each namespace's
 * policy (labels over admission-configuration defaults), a fixed level, or an enforce preview. Pure.
 */
export function assessWorkloads(
  objects: readonly SourcedObject[],
  problems: readonly ObjectProblem[],
  namespaceInputs: ReadonlyMap<string, NamespaceInput>,
  options: AssessOptions,
): PssReport {
  const namespaces = new Map<string, { resolved: ResolvedNamespace; entry: PssNamespace }>();
  const namespaceOf = (name: string) => {
    let known = namespaces.get(name);
    if (known === undefined) {
      known = resolvePolicy(name, namespaceInputs.get(name), options);
      namespaces.set(name, known);
    }
    return known;
  };
  for (const name of namespaceInputs.keys()) if (options.namespace === undefined || options.namespace === name) namespaceOf(name);

  const results: PssObjectResult[] = [];
  const notCovered: PssNotCovered[] = [];
  const reportProblems: PssProblem[] = problems.map((problem) => ({ source: sourceOf(problem.origin), message: problem.message }));
  for (const { object, origin } of objects) {
    if (object.kind === 'Namespace' && object.apiVersion === 'v1') continue;
    const namespace = object.metadata.namespace ?? options.defaultNamespace;
    if (options.namespace !== undefined && namespace !== options.namespace) continue;
    const name = object.metadata.name ?? object.metadata.generateName ?? '';
    const extracted = extractPod(object as KubeObject & Record<string, unknown>);
    const source = sourceOf(origin);
    switch (extracted.kind) {
      case 'not-covered':
      case 'no-template':
        notCovered.push({ source, apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace ?? null, name, reason: extracted.reason });
        continue;
      case 'malformed':
        reportProblems.push({ source, message: `${object.kind} ${namespace}/${name}: ${extracted.message}` });
        continue;
      case 'pod': {
        const { resolved } = namespaceOf(namespace);
        const result = admit(extracted.pod, extracted.isPod, resolved, options.configuration, { latestVersion: options.latestVersion });
        results.push(objectResult(object, source, namespace, name, extracted.podKind, extracted.pod, resolved.policy, result, options));
      }
    }
  }

  const summary = {
    objects: results.length,
    allowed: results.filter((result) => result.status === 'allowed').length,
    warning: results.filter((result) => result.status === 'warning').length,
    rejected: results.filter((result) => result.status === 'rejected').length,
    exempt: results.filter((result) => result.status === 'exempt').length,
    notCovered: notCovered.length,
    problems: reportProblems.length,
  };
  return {
    apiVersion: pssReportApiVersion,
    kind: 'PodSecurityReport',
    generatedAt: options.generatedAt,
    kharden: options.kharden,
    mode: options.fixedPolicy !== undefined ? 'fixed-level' : options.enforcePreview !== undefined ? 'enforce-preview' : 'namespace-policy',
    latest: { version: formatVersion(options.latestVersion), kubernetes: `1.${options.latestVersion}` },
    notices: options.notices ?? [],
    namespaces: [...namespaces.values()].map((known) => known.entry).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    objects: results,
    notCovered,
    problems: reportProblems,
    summary,
  };
}

function resolvePolicy(name: string, input: NamespaceInput | undefined, options: AssessOptions): { resolved: ResolvedNamespace; entry: PssNamespace } {
  let labels = input?.labels;
  let policySource: PssNamespace['policySource'];
  if (options.enforcePreview !== undefined) {
    const preview: Record<string, string> = { ...labels, [policyLabels.enforce]: options.enforcePreview.level };
    if (options.enforcePreview.version !== undefined) preview[policyLabels.enforceVersion] = formatVersion(options.enforcePreview.version);
    labels = preview;
    policySource = 'enforce-preview';
  } else if (options.fixedPolicy !== undefined) {
    policySource = 'flag';
  } else {
    const labelled = Object.keys(labels ?? {}).some((key) => key.startsWith('pod-security.kubernetes.io/'));
    policySource = labelled ? (options.configurationGiven ? 'labels+admission-config' : 'labels') : options.configurationGiven ? 'admission-config' : 'none';
  }
  let resolved = resolveNamespace(name, labels, options.configuration);
  if (options.fixedPolicy !== undefined) {
    const fixed = options.fixedPolicy;
    resolved = { ...resolved, policy: { enforce: fixed, audit: fixed, warn: fixed }, labelErrors: [] };
  }
  return {
    resolved,
    entry: {
      name,
      policy: policyStrings(resolved.policy),
      policySource,
      exempt: resolved.exempt,
      labelErrors: resolved.labelErrors.map((error) => error.message),
      seen: input?.seen ?? false,
    },
  };
}

function objectResult(
  object: KubeObject,
  source: PssSource,
  namespace: string,
  name: string,
  podKind: PodSecurityKind,
  pod: PodLike,
  policy: Policy,
  result: AdmissionResult,
  options: AssessOptions,
): PssObjectResult {
  const { enforce } = result;
  const status: PssStatus = result.exempt !== null ? 'exempt' : !enforce.allowed ? 'rejected' : result.warnings.length > 0 ? 'warning' : 'allowed';
  return {
    source,
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace,
    name,
    level: enforce.levelVersion.level,
    version: formatVersion(enforce.levelVersion.version),
    evaluatedVersion: formatVersion(evaluatedOf(enforce.levelVersion, options)),
    status,
    allowed: enforce.allowed,
    exempt: result.exempt,
    failingChecks: enforce.failed.map((check) => check.id),
    checks: enforce.failed,
    message: enforce.message,
    apiError: enforce.message !== null && podKind === 'Pod' ? forbiddenStatusMessage(resourceOfKind.Pod, name, enforce.message) : null,
    warnings: result.warnings,
    warningChecks: result.warn?.failed.map((check) => check.id) ?? [],
    policy: policyStrings(policy),
    patch: patchFor(pod, podKind, result, options),
  };
}

function evaluatedOf(levelVersion: LevelVersion, options: AssessOptions): number {
  const { version } = levelVersion;
  return version === 'latest' || version > options.latestVersion ? options.latestVersion : version;
}

function patchFor(pod: PodLike, podKind: PodSecurityKind, result: AdmissionResult, options: AssessOptions): PssPatch | null {
  let failed: FailedCheck[];
  let levelVersion: LevelVersion;
  let evaluatedVersion: number;
  if (!result.enforce.allowed) {
    ({ failed, levelVersion, evaluatedVersion } = result.enforce);
  } else if (result.warn !== null) {
    ({ failed, levelVersion, evaluatedVersion } = result.warn);
  } else {
    return null;
  }
  const patch = securityPatch(pod, podKind, failed.map((check) => check.id), levelVersion, evaluatedVersion, { latestVersion: options.latestVersion });
  return { strategicMergePatch: patch.patch, resolves: patch.resolves, manual: patch.manual, notes: patch.notes, remaining: patch.remaining };
}

function policyStrings(policy: Policy): PssNamespace['policy'] {
  return { enforce: formatLevelVersion(policy.enforce), audit: formatLevelVersion(policy.audit), warn: formatLevelVersion(policy.warn) };
}

export function sourceOf(origin: ObjectOrigin): PssSource {
  if (origin.kind === 'cluster') return { kind: 'cluster', server: origin.server };
  const source: PssSource = { kind: 'file', file: origin.path, document: origin.document, line: origin.line };
  if (origin.item !== undefined) source.item = origin.item;
  return source;
}

/** Labels of the Namespace objects among the objects (manifests). */
export function namespacesFromObjects(objects: readonly SourcedObject[]): Map<string, NamespaceInput> {
  const namespaces = new Map<string, NamespaceInput>();
  for (const { object } of objects) {
    if (object.kind !== 'Namespace' || object.apiVersion !== 'v1' || object.metadata.name === undefined) continue;
    namespaces.set(object.metadata.name, { labels: object.metadata.labels, seen: true });
  }
  return namespaces;
}

export { knownLatestVersion };
