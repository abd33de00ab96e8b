import { z } from 'zod';
import { kubeObjectSchema, type KubeObject, type ObjectOrigin, type SourcedObject } from './kube-object.ts';

/**
 * Cluster facts: the Kubernetes objects the cluster audit (CIS section 5), the Pod Security Standards and
 * the NetworkPolicy analysis read, as plain data. `kharden collect --cluster -o cluster.json` writes exactly
 * this; `--snapshot cluster.json` reads it back through `clusterFactsSchema` (the trust boundary).
 *
 * Two producers give the same shape: the API (src/collect/cluster.ts) and manifest files
 * (src/collect/cluster-manifests.ts), so that both feed the same evaluation.
 *
 * What never enters it: Secret objects (not listed, dropped from manifests), credentials of the kubeconfig
 * (only the server URL, without user info), literal container env values (masked), the
 * `last-applied-configuration` annotation (a full copy of the object) and managedFields.
 */
export const clusterFactsApiVersion = 'kharden.dev/v1';
export const clusterFactsKind = 'ClusterFacts';

/** One kind kharden reads: how to list it and what permission that needs. */
export interface ClusterKind {
  kind: string;
  /** `v1`, `apps/v1`, ... */
  apiVersion: string;
  /** API group, `''` for the core group. */
  group: string;
  /** Plural resource name, as RBAC rules name it. */
  resource: string;
  namespaced: boolean;
}

/**
 * Every kind kharden collects, in collection order. Secrets are deliberately absent: no control needs
 * their data, and deploy/rbac.yaml grants no access to them.
 */
export const clusterKinds = [
  { kind: 'Namespace', apiVersion: 'v1', group: '', resource: 'namespaces', namespaced: false },
  { kind: 'Node', apiVersion: 'v1', group: '', resource: 'nodes', namespaced: false },
  { kind: 'ServiceAccount', apiVersion: 'v1', group: '', resource: 'serviceaccounts', namespaced: true },
  { kind: 'Pod', apiVersion: 'v1', group: '', resource: 'pods', namespaced: true },
  { kind: 'ReplicationController', apiVersion: 'v1', group: '', resource: 'replicationcontrollers', namespaced: true },
  { kind: 'Deployment', apiVersion: 'apps/v1', group: 'apps', resource: 'deployments', namespaced: true },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', group: 'apps', resource: 'replicasets', namespaced: true },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', group: 'apps', resource: 'statefulsets', namespaced: true },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', group: 'apps', resource: 'daemonsets', namespaced: true },
  { kind: 'Job', apiVersion: 'batch/v1', group: 'batch', resource: 'jobs', namespaced: true },
  { kind: 'CronJob', apiVersion: 'batch/v1', group: 'batch', resource: 'cronjobs', namespaced: true },
  { kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', group: 'rbac.authorization.k8s.io', resource: 'roles', namespaced: true },
  { kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespaced: false },
  { kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespaced: true },
  {
    kind: 'ClusterRoleBinding',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    group: 'rbac.authorization.k8s.io',
    resource: 'clusterrolebindings',
    namespaced: false,
  },
  { kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', group: 'networking.k8s.io', resource: 'networkpolicies', namespaced: true },
  // Services and Ingresses show which flows a namespace needs (netpol suggest); no CIS control reads them.
  { kind: 'Service', apiVersion: 'v1', group: '', resource: 'services', namespaced: true },
  { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', group: 'networking.k8s.io', resource: 'ingresses', namespaced: true },
  {
    kind: 'MutatingWebhookConfiguration',
    apiVersion: 'admissionregistration.k8s.io/v1',
    group: 'admissionregistration.k8s.io',
    resource: 'mutatingwebhookconfigurations',
    namespaced: false,
  },
  {
    kind: 'ValidatingWebhookConfiguration',
    apiVersion: 'admissionregistration.k8s.io/v1',
    group: 'admissionregistration.k8s.io',
    resource: 'validatingwebhookconfigurations',
    namespaced: false,
  },
  {
    kind: 'ValidatingAdmissionPolicy',
    apiVersion: 'admissionregistration.k8s.io/v1',
    group: 'admissionregistration.k8s.io',
    resource: 'validatingadmissionpolicies',
    namespaced: false,
  },
] as const satisfies readonly ClusterKind[];

export type ClusterKindName = (typeof clusterKinds)[number]['kind'];
export const clusterKindNames: readonly ClusterKindName[] = clusterKinds.map((entry) => entry.kind);

export function clusterKind(kind: string): ClusterKind | undefined {
  return clusterKinds.find((entry) => entry.kind === kind);
}

/** `list pods` or `list deployments.apps`: how kubectl and RBAC name the permission. */
export function describePermission(verb: string, kind: Pick<ClusterKind, 'group' | 'resource'>): string {
  return kind.group === '' ? `${verb} ${kind.resource}` : `${verb} ${kind.resource}.${kind.group}`;
}

/**
 * What kharden learned about one kind (in one namespace, or all of them):
 * - `listed`: the complete list from the API;
 * - `files`: only the objects the manifest files contain (there may be more in a cluster);
 * - `forbidden`: the credentials lack a permission (named in `missing`);
 * - `not-served`: the API server does not serve this kind (an older Kubernetes);
 * - `error`: the list failed for another reason (the message says which);
 * - `skipped`: not requested (`kinds` option).
 */
export const kindStates = ['listed', 'files', 'forbidden', 'not-served', 'error', 'skipped'] as const;
export type KindState = (typeof kindStates)[number];

export const missingPermissionSchema = z.object({
  verb: z.string(),
  resource: z.string(),
  group: z.string(),
  /** null: cluster-wide (all namespaces). */
  namespace: z.string().nullable(),
});
export type MissingPermission = z.infer<typeof missingPermissionSchema>;

export const kindAccessSchema = z.object({
  kind: z.string(),
  apiVersion: z.string(),
  resource: z.string(),
  group: z.string(),
  /** null: all namespaces (or a cluster-scoped kind). */
  namespace: z.string().nullable(),
  state: z.enum(kindStates),
  count: z.number().int().nonnegative(),
  missing: missingPermissionSchema.optional(),
  message: z.string().optional(),
});
export type KindAccess = z.infer<typeof kindAccessSchema>;

export const objectOriginSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('file'),
    path: z.string(),
    document: z.number().int().nonnegative(),
    line: z.number().int().positive(),
    item: z.number().int().nonnegative().exactOptional(),
  }),
  z.object({ kind: z.literal('cluster'), server: z.string() }),
]);

export const sourcedObjectSchema = z.object({ object: kubeObjectSchema, origin: objectOriginSchema });

export const objectProblemSchema = z.object({ origin: objectOriginSchema, message: z.string() });

export const clusterFactsSchema = z.object({
  apiVersion: z.literal(clusterFactsApiVersion),
  kind: z.literal(clusterFactsKind),
  collectedAt: z.string(),
  collector: z.object({
    kharden: z.string(),
    /** cluster: read from the API; manifests: built from files. */
    mode: z.enum(['cluster', 'manifests']),
  }),
  /** The API server: its URL (never credentials) and version; null for manifests. */
  server: z
    .object({
      url: z.string(),
      /** The kubeconfig context used (a name, not a secret). */
      context: z.string().nullable(),
      /** `/version` gitVersion, e.g. `v1.33.4+k3s1`; null when it could not be read. */
      version: z.string().nullable(),
    })
    .nullable(),
  /** The manifest files read (manifests mode). */
  files: z.array(z.string()),
  access: z.array(kindAccessSchema),
  objects: z.array(sourcedObjectSchema),
  /** Manifest documents that could not be used, with file and document index. */
  problems: z.array(objectProblemSchema),
  /** What was left out and why (Secret objects in manifests, kinds kharden does not read). */
  notes: z.array(z.string()),
});
export type ClusterFacts = z.infer<typeof clusterFactsSchema>;

// The zod shapes and the hand-written types of kube-object.ts must stay the same.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const originTypesAgree: Same<z.infer<typeof objectOriginSchema>, ObjectOrigin> = true;
const sourcedTypesAgree: Same<z.infer<typeof sourcedObjectSchema>['origin'], SourcedObject['origin']> = true;
void originTypesAgree;
void sourcedTypesAgree;

/** The objects of one kind. */
export function objectsOfKind(facts: Pick<ClusterFacts, 'objects'>, kind: string): SourcedObject[] {
  return facts.objects.filter((entry) => entry.object.kind === kind);
}

/** Access entries of one kind; a kind with no entry was never asked for. */
export function accessOfKind(facts: Pick<ClusterFacts, 'access'>, kind: string): KindAccess[] {
  return facts.access.filter((entry) => entry.kind === kind);
}

/** The masking value k3s itself uses in its node-args annotation. */
export const maskedValue = '********';

const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Makes an object safe and small to keep: drops managedFields and the last-applied-configuration copy,
 * masks literal env values in every pod template, trims Node images and Pod statuses (not read by any
 * check, and most of a large cluster's bytes), and re-masks secrets in the k3s node annotations.
 * Pure: returns a new object when anything changes.
 */
export function sanitizeObject(object: KubeObject): KubeObject {
  const metadata: Record<string, unknown> = { ...object.metadata };
  delete metadata.managedFields;
  if (object.metadata.annotations !== undefined) {
    const annotations: Record<string, string> = { ...object.metadata.annotations };
    delete annotations[lastAppliedAnnotation];
    for (const key of Object.keys(annotations)) {
      if (key.endsWith('.io/node-args')) annotations[key] = maskNodeArgsAnnotation(annotations[key] ?? '');
      else if (key.endsWith('.io/node-env')) annotations[key] = maskNodeEnvAnnotation(annotations[key] ?? '');
    }
    metadata.annotations = annotations;
  }
  const result: Record<string, unknown> = { ...object, metadata };
  if (object.kind === 'Node') result.status = trimNodeStatus(object.status);
  if (object.kind === 'Pod') result.status = trimPodStatus(object.status);
  if (typeof result.spec === 'object' && result.spec !== null) result.spec = maskPodTemplates(object.kind, result.spec as Record<string, unknown>);
  return result as KubeObject;
}

function trimNodeStatus(status: unknown): unknown {
  if (typeof status !== 'object' || status === null) return status;
  const { images: _images, ...rest } = status as Record<string, unknown>;
  return rest;
}

function trimPodStatus(status: unknown): unknown {
  if (typeof status !== 'object' || status === null) return status;
  const record = status as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const key of ['phase', 'hostIP', 'podIP', 'podIPs', 'qosClass']) if (record[key] !== undefined) kept[key] = record[key];
  return kept;
}

/** Where each kind keeps its pod spec(s), relative to `.spec`. */
function maskPodTemplates(kind: string, spec: Record<string, unknown>): Record<string, unknown> {
  switch (kind) {
    case 'Pod':
      return maskPodSpec(spec);
    case 'CronJob':
      return withPath(spec, ['jobTemplate', 'spec', 'template', 'spec'], maskPodSpec);
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'ReplicationController':
    case 'PodTemplate':
      return withPath(spec, ['template', 'spec'], maskPodSpec);
    default:
      return spec;
  }
}

function withPath(
  record: Record<string, unknown>,
  path: readonly string[],
  change: (value: Record<string, unknown>) => Record<string, unknown>,
): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return change(record);
  const child = record[head];
  if (typeof child !== 'object' || child === null || Array.isArray(child)) return record;
  return { ...record, [head]: withPath(child as Record<string, unknown>, rest, change) };
}

function maskPodSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const result = { ...spec };
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    const containers = spec[field];
    if (!Array.isArray(containers)) continue;
    result[field] = containers.map((container: unknown) => maskContainerEnv(container));
  }
  return result;
}

function maskContainerEnv(container: unknown): unknown {
  if (typeof container !== 'object' || container === null) return container;
  const record = container as Record<string, unknown>;
  if (!Array.isArray(record.env)) return container;
  const env = record.env.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return entry;
    const variable = entry as Record<string, unknown>;
    return typeof variable.value === 'string' && variable.value !== '' ? { ...variable, value: maskedValue } : entry;
  });
  return { ...record, env };
}

/** k3s's own list (pkg/nodeconfig isSecret), plus the forms config files produce. */
const secretFlags = new Set(['--token', '-t', '--agent-token', '--datastore-endpoint', '--cluster-secret', '--etcd-s3-access-key', '--etcd-s3-secret-key']);
const secretEnv = /(TOKEN|SECRET|PASSWORD|DATASTORE_ENDPOINT|ACCESS_KEY)/i;

/** Re-masks the values k3s masks (in case an older or patched k3s did not), and any `--flag=value` form. */
export function maskNodeArgsAnnotation(text: string): string {
  let args: unknown;
  try {
    args = JSON.parse(text);
  } catch {
    return text;
  }
  if (!Array.isArray(args) || !args.every((arg): arg is string => typeof arg === 'string')) return text;
  const masked = args.map((arg, index) => {
    const previous = index > 0 ? args[index - 1] : undefined;
    if (previous !== undefined && secretFlags.has(previous)) return maskedValue;
    const equals = arg.indexOf('=');
    if (arg.startsWith('-') && equals > 0 && secretFlags.has(arg.slice(0, equals))) return `${arg.slice(0, equals)}=${maskedValue}`;
    return arg;
  });
  return JSON.stringify(masked);
}

export function maskNodeEnvAnnotation(text: string): string {
  let env: unknown;
  try {
    env = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof env !== 'object' || env === null || Array.isArray(env)) return text;
  const masked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) masked[key] = secretEnv.test(key) ? maskedValue : value;
  return JSON.stringify(masked);
}
