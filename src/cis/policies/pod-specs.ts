import { z } from 'zod';
import type { ObjectOrigin, SourcedObject } from '../../facts/kube-object.ts';

/**
 * The pod specs section 5 judges, one "unit" per thing a person would fix:
 * - a Pod owned (through ownerReferences, by uid) by a workload in the input is judged under its top-most
 *   owner (`Deployment shop/web`), together with its siblings: evidence names the workload, not 300 pods;
 * - a Pod with no known owner is its own unit;
 * - a workload whose pods are not in the input (a manifest, a Deployment scaled to zero, a CronJob between
 *   runs) is judged from its pod template.
 * The same objects therefore give the same units whether they come from the API or from
 * `kubectl get -o yaml` output.
 */

const nullishBoolean = z.boolean().nullish();

const securityContextSchema = z
  .object({
    privileged: nullishBoolean,
    allowPrivilegeEscalation: nullishBoolean,
    runAsNonRoot: nullishBoolean,
    runAsUser: z.number().nullish(),
    procMount: z.string().nullish(),
    capabilities: z.object({ add: z.array(z.string()).nullish(), drop: z.array(z.string()).nullish() }).nullish(),
    seccompProfile: z.object({ type: z.string().nullish(), localhostProfile: z.string().nullish() }).nullish(),
    windowsOptions: z.object({ hostProcess: nullishBoolean }).nullish(),
  })
  .nullish();

const containerSchema = z.object({
  name: z.string(),
  securityContext: securityContextSchema,
  ports: z.array(z.object({ containerPort: z.number().nullish(), hostPort: z.number().nullish(), protocol: z.string().nullish() })).nullish(),
  env: z
    .array(
      z.object({
        name: z.string(),
        valueFrom: z.object({ secretKeyRef: z.object({ name: z.string().nullish(), key: z.string().nullish() }).nullish() }).nullish(),
      }),
    )
    .nullish(),
  envFrom: z.array(z.object({ secretRef: z.object({ name: z.string().nullish() }).nullish() })).nullish(),
});

const podSpecSchema = z.object({
  hostPID: nullishBoolean,
  hostIPC: nullishBoolean,
  hostNetwork: nullishBoolean,
  serviceAccountName: z.string().nullish(),
  serviceAccount: z.string().nullish(),
  automountServiceAccountToken: nullishBoolean,
  securityContext: z
    .object({
      runAsNonRoot: nullishBoolean,
      runAsUser: z.number().nullish(),
      seccompProfile: z.object({ type: z.string().nullish(), localhostProfile: z.string().nullish() }).nullish(),
      windowsOptions: z.object({ hostProcess: nullishBoolean }).nullish(),
    })
    .nullish(),
  volumes: z.array(z.object({ name: z.string(), hostPath: z.object({ path: z.string().nullish() }).nullish() })).nullish(),
  containers: z.array(containerSchema),
  initContainers: z.array(containerSchema).nullish(),
  ephemeralContainers: z.array(containerSchema).nullish(),
});
export type PodSpecView = z.infer<typeof podSpecSchema>;
export type ContainerView = z.infer<typeof containerSchema>;
export type ContainerSecurityContext = NonNullable<ContainerView['securityContext']>;

export type ContainerField = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerEntry {
  field: ContainerField;
  container: ContainerView;
  /** `container "app"`, `init container "setup"`, `ephemeral container "debug"`. */
  label: string;
}

/** Every container of a spec, regular ones first, as the Pod Security checks visit them. */
export function containersOf(spec: PodSpecView): ContainerEntry[] {
  const entries: ContainerEntry[] = [];
  const labels: Record<ContainerField, string> = { containers: 'container', initContainers: 'init container', ephemeralContainers: 'ephemeral container' };
  for (const field of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    for (const container of spec[field] ?? []) entries.push({ field, container, label: `${labels[field]} "${container.name}"` });
  }
  return entries;
}

/** An object reference as evidence names it. */
export interface ObjectRef {
  kind: string;
  namespace: string | null;
  name: string;
}

export function describeRef(ref: ObjectRef): string {
  return ref.namespace === null ? `${ref.kind} ${ref.name}` : `${ref.kind} ${ref.namespace}/${ref.name}`;
}

export interface PodUnit {
  /** The workload or bare pod this unit stands for. */
  ref: ObjectRef;
  origin: ObjectOrigin;
  /** `pods`: judged from the pods themselves; `template`: from the workload's pod template. */
  from: 'pods' | 'template';
  /** The pods this unit stands for (from: pods), each with its own spec. */
  pods: { name: string; spec: PodSpecView }[];
  /** The template's spec (from: template). */
  template: PodSpecView | null;
  namespace: string;
}

/** The unparsed spec each view was read from (for the Pod Security checks, which validate their own way). */
const rawSpecs = new WeakMap<PodSpecView, unknown>();

export function rawSpecOf(spec: PodSpecView): unknown {
  return rawSpecs.get(spec);
}

/** Every spec of a unit with the name of what it belongs to (a pod name, or `template`). */
export function specsOf(unit: PodUnit): { name: string; spec: PodSpecView }[] {
  return unit.from === 'template' && unit.template !== null ? [{ name: 'template', spec: unit.template }] : unit.pods;
}

/** A pod spec that could not be read: where, and why. */
export interface UnreadableSpec {
  ref: ObjectRef;
  origin: ObjectOrigin;
  message: string;
}

export interface PodUnits {
  units: PodUnit[];
  unreadable: UnreadableSpec[];
}

const workloadKinds = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController'] as const;
export type WorkloadKind = (typeof workloadKinds)[number];
export const podSpecKinds: readonly string[] = ['Pod', ...workloadKinds];

function templateSpecOf(kind: string, spec: unknown): unknown {
  const record = asRecord(spec);
  if (record === null) return undefined;
  if (kind === 'CronJob') return asRecord(asRecord(asRecord(asRecord(record.jobTemplate)?.spec)?.template)?.spec) ?? undefined;
  return asRecord(asRecord(record.template)?.spec) ?? undefined;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

interface OwnerReference {
  uid: string;
  kind: string;
  name: string;
  controller: boolean;
}

function ownerReferencesOf(metadata: Record<string, unknown>): OwnerReference[] {
  const references = metadata.ownerReferences;
  if (!Array.isArray(references)) return [];
  const result: OwnerReference[] = [];
  for (const reference of references) {
    const record = asRecord(reference);
    if (record === null || typeof record.uid !== 'string') continue;
    result.push({
      uid: record.uid,
      kind: typeof record.kind === 'string' ? record.kind : '',
      name: typeof record.name === 'string' ? record.name : '',
      controller: record.controller === true,
    });
  }
  // The controller reference decides; other owners (garbage-collection only) do not make a pod part of a workload.
  return result.filter((reference) => reference.controller);
}

function refOf(object: SourcedObject['object']): ObjectRef {
  return { kind: object.kind, namespace: object.metadata.namespace ?? null, name: object.metadata.name ?? object.metadata.generateName ?? '<unnamed>' };
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${['spec', ...issue.path.map(String)].join('.')}: ${issue.message}`)
    .join('; ');
}

/** Groups pods and workloads into units (see the module comment). Pure. */
export function podUnits(objects: readonly SourcedObject[]): PodUnits {
  const workloads = objects.filter((entry) => (workloadKinds as readonly string[]).includes(entry.object.kind));
  const pods = objects.filter((entry) => entry.object.kind === 'Pod');
  const byUid = new Map<string, SourcedObject>();
  for (const entry of workloads) {
    const uid = entry.object.metadata.uid;
    if (typeof uid === 'string') byUid.set(uid, entry);
  }
  const topOwner = (entry: SourcedObject): SourcedObject => {
    let current = entry;
    for (let depth = 0; depth < 5; depth += 1) {
      const owner = ownerReferencesOf(current.object.metadata).map((reference) => byUid.get(reference.uid)).find((found) => found !== undefined);
      if (owner === undefined) return current;
      current = owner;
    }
    return current;
  };

  const unreadable: UnreadableSpec[] = [];
  const units = new Map<string, PodUnit>();
  const keyOf = (ref: ObjectRef): string => `${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}`;

  for (const entry of pods) {
    const ref = refOf(entry.object);
    const raw = (entry.object as { spec?: unknown }).spec;
    const parsed = podSpecSchema.safeParse(raw);
    if (!parsed.success) {
      unreadable.push({ ref, origin: entry.origin, message: formatIssues(parsed.error) });
      continue;
    }
    rawSpecs.set(parsed.data, raw);
    const owner = topOwner(entry);
    const ownerRef = refOf(owner.object);
    const key = keyOf(ownerRef);
    const unit = units.get(key) ?? {
      ref: ownerRef,
      origin: owner.origin,
      from: 'pods' as const,
      pods: [],
      template: null,
      namespace: ownerRef.namespace ?? ref.namespace ?? 'default',
    };
    unit.pods.push({ name: ref.name, spec: parsed.data });
    units.set(key, unit);
  }

  for (const entry of workloads) {
    const ref = refOf(entry.object);
    if (units.has(keyOf(ref))) continue; // judged from its pods
    if (topOwner(entry) !== entry) continue; // part of a workload above it (a Deployment's ReplicaSet)
    const raw = templateSpecOf(entry.object.kind, (entry.object as { spec?: unknown }).spec);
    const parsed = podSpecSchema.safeParse(raw);
    if (!parsed.success) {
      unreadable.push({ ref, origin: entry.origin, message: `pod template: ${formatIssues(parsed.error)}` });
      continue;
    }
    rawSpecs.set(parsed.data, raw);
    units.set(keyOf(ref), { ref, origin: entry.origin, from: 'template', pods: [], template: parsed.data, namespace: ref.namespace ?? 'default' });
  }

  const sorted = [...units.values()].sort((a, b) => keyOf(a.ref).localeCompare(keyOf(b.ref)));
  return { units: sorted, unreadable };
}

/** `Deployment shop/web (3 pods)`, `Pod shop/debug`, `CronJob shop/backup (pod template)`. */
export function describeUnit(unit: PodUnit): string {
  const base = describeRef(unit.ref);
  if (unit.from === 'template') return `${base} (pod template)`;
  if (unit.ref.kind === 'Pod') return base;
  return `${base} (${unit.pods.length} pod${unit.pods.length === 1 ? '' : 's'})`;
}

/** The ServiceAccount a spec runs as (`default` when unset, as the API server defaults it). */
export function serviceAccountOf(spec: PodSpecView): string {
  return spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
}
