import { parsePodMetadata, parsePodSpec, type PodLike } from './pod-spec.ts';

/**
 * Which objects Pod Security admission evaluates and where their pod template is. Pods are enforced;
 * the controllers of the default PodSpecExtractor only draw warnings and audit annotations (their
 * pods are enforced when created). Matching is on API group and kind, as the plugin matches resources:
 * a `Deployment` of some other group is a custom resource and is not evaluated.
 */
export const podSecurityKinds = [
  'Pod',
  'PodTemplate',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'DaemonSet',
  'StatefulSet',
  'Job',
  'CronJob',
] as const;
export type PodSecurityKind = (typeof podSecurityKinds)[number];

const groupOfKind: Record<PodSecurityKind, string> = {
  Pod: '',
  PodTemplate: '',
  ReplicationController: '',
  ReplicaSet: 'apps',
  Deployment: 'apps',
  DaemonSet: 'apps',
  StatefulSet: 'apps',
  Job: 'batch',
  CronJob: 'batch',
};

/** The plural resource name the API server uses in messages (`pods "x" is forbidden`). */
export const resourceOfKind: Record<PodSecurityKind, string> = {
  Pod: 'pods',
  PodTemplate: 'podtemplates',
  ReplicationController: 'replicationcontrollers',
  ReplicaSet: 'replicasets.apps',
  Deployment: 'deployments.apps',
  DaemonSet: 'daemonsets.apps',
  StatefulSet: 'statefulsets.apps',
  Job: 'jobs.batch',
  CronJob: 'cronjobs.batch',
};

/** Where the template's pod spec is, for messages about malformed input. */
const templatePath: Record<PodSecurityKind, readonly string[]> = {
  Pod: [],
  PodTemplate: ['template'],
  ReplicationController: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Deployment: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** The Pod Security kind of an object, or null when admission does not evaluate it. */
export function podSecurityKindOf(apiVersion: string, kind: string): PodSecurityKind | null {
  if (!(podSecurityKinds as readonly string[]).includes(kind)) return null;
  const known = kind as PodSecurityKind;
  return apiGroupOf(apiVersion) === groupOfKind[known] ? known : null;
}

export type ExtractedPod =
  | { kind: 'pod'; podKind: PodSecurityKind; isPod: boolean; pod: PodLike }
  | { kind: 'not-covered'; reason: string }
  | { kind: 'no-template'; reason: string }
  | { kind: 'malformed'; message: string };

/** Finds and validates the pod (template) of an object; never throws. */
export function extractPod(object: { apiVersion: string; kind: string; metadata?: unknown } & Record<string, unknown>): ExtractedPod {
  const podKind = podSecurityKindOf(object.apiVersion, object.kind);
  if (podKind === null) {
    const kindKnown = (podSecurityKinds as readonly string[]).includes(object.kind);
    return {
      kind: 'not-covered',
      reason: kindKnown
        ? `${object.apiVersion} ${object.kind} is not a built-in workload (API group "${apiGroupOf(object.apiVersion)}"), so Pod Security admission does not evaluate it`
        : `${object.kind} has no pod template that Pod Security admission evaluates`,
    };
  }
  const path = templatePath[podKind];
  let template: unknown = object;
  for (const key of path) {
    template = isRecord(template) ? template[key] : undefined;
  }
  if (podKind !== 'Pod' && (template === undefined || template === null)) {
    if (podKind === 'ReplicationController' || podKind === 'PodTemplate') {
      return { kind: 'no-template', reason: `${path.join('.')} is not set; admission skips it` };
    }
    return { kind: 'malformed', message: `${path.join('.')} is missing (the API server would reject this ${podKind})` };
  }
  if (!isRecord(template)) return { kind: 'malformed', message: `${path.join('.')} is not a mapping` };
  const prefix = path.length === 0 ? '' : `${path.join('.')}.`;
  const spec = parsePodSpec(template.spec ?? {});
  if (!spec.ok) return { kind: 'malformed', message: `malformed pod spec: ${prefix}spec.${spec.message}` };
  const metadata = parsePodMetadata(template.metadata);
  if (!metadata.ok) return { kind: 'malformed', message: `malformed pod metadata: ${prefix}metadata.${metadata.message}` };
  return { kind: 'pod', podKind, isPod: podKind === 'Pod', pod: { metadata: metadata.metadata, spec: spec.spec } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
