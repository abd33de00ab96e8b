import { z } from 'zod';
import type { KubeObject, ObjectOrigin, SourcedObject } from '../facts/kube-object.ts';
import type { InputProblem } from './input-problem.ts';
import { type IpAddress, parseIp } from './ip-address.ts';
import type { Labels } from './label-selector.ts';
import { type Protocol, isProtocol } from './port-set.ts';

/**
 * What the policies act on: namespaces with their labels, and endpoints. An endpoint is a pod, a
 * workload template standing for the pods it will create (when the input has the workload but none
 * of its pods), or an address outside the cluster (created on demand for explain and assert).
 */
export interface ContainerPort {
  name: string | null;
  port: number;
  protocol: Protocol;
}

export interface WorkloadRef {
  kind: string;
  name: string;
}

export type EndpointKind = 'pod' | 'workload' | 'external';

export interface Endpoint {
  /** `ns/pod`, `ns/deployment/name`, or the address for an external endpoint. */
  key: string;
  kind: EndpointKind;
  /** '' for an external endpoint. */
  namespace: string;
  name: string;
  /** The workload a pod belongs to (its top controller), or the workload itself for a template. */
  workload: WorkloadRef | null;
  labels: Labels;
  /** Known addresses; empty for a template or a pod without an IP yet. */
  ips: readonly IpAddress[];
  ports: readonly ContainerPort[];
  hostNetwork: boolean;
  /** How many pods it stands for (1 for a pod or an address). */
  replicas: number;
  origin: ObjectOrigin | null;
}

export interface NamespaceInfo {
  name: string;
  labels: Labels;
  /** A Namespace object was in the input; otherwise its labels are only the automatic kubernetes.io/metadata.name. */
  declared: boolean;
  origin: ObjectOrigin | null;
}

export interface Inventory {
  namespaces: ReadonlyMap<string, NamespaceInfo>;
  endpoints: readonly Endpoint[];
  byKey: ReadonlyMap<string, Endpoint>;
  byNamespace: ReadonlyMap<string, readonly Endpoint[]>;
  /** Every workload in the input, by `ns/kind/name` (lower-case kind), with its pods. */
  workloads: ReadonlyMap<string, WorkloadEntry>;
  problems: readonly InputProblem[];
}

export interface WorkloadEntry {
  key: string;
  namespace: string;
  ref: WorkloadRef;
  /** The pods of the workload in the input, or its template endpoint. */
  endpoints: Endpoint[];
}

export const namespaceNameLabel = 'kubernetes.io/metadata.name';

export const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController'] as const;
export type WorkloadKind = (typeof workloadKinds)[number];

const portShape = z
  .object({ name: z.string().nullish(), containerPort: z.number(), protocol: z.string().nullish() })
  .loose();
const podSpecShape = z
  .object({
    hostNetwork: z.boolean().nullish(),
    containers: z.array(z.object({ name: z.string().nullish(), ports: z.array(portShape).nullish() }).loose()).nullish(),
  })
  .loose();
const templateShape = z
  .object({
    metadata: z.object({ labels: z.record(z.string(), z.string()).nullish() }).loose().nullish(),
    spec: podSpecShape.nullish(),
  })
  .loose();
const podShape = z
  .object({
    spec: podSpecShape.nullish(),
    status: z
      .object({
        phase: z.string().nullish(),
        podIP: z.string().nullish(),
        podIPs: z.array(z.object({ ip: z.string() }).loose()).nullish(),
      })
      .loose()
      .nullish(),
  })
  .loose();
const ownerShape = z.array(z.object({ kind: z.string(), name: z.string(), controller: z.boolean().nullish() }).loose());

export interface InventoryOptions {
  /** Namespace for objects without metadata.namespace (`-n`, else `default`). */
  defaultNamespace: string;
}

export function buildInventory(objects: readonly SourcedObject[], options: InventoryOptions): Inventory {
  const problems: InputProblem[] = [];
  const namespaces = new Map<string, NamespaceInfo>();
  const namespaceOf = (object: KubeObject): string => object.metadata.namespace ?? options.defaultNamespace;
  const workloadObjects = new Map<string, SourcedObject>();

  for (const sourced of objects) {
    const { object } = sourced;
    if (object.kind === 'Namespace' && object.metadata.name !== undefined) {
      const name = object.metadata.name;
      namespaces.set(name, {
        name,
        labels: { ...(object.metadata.labels ?? {}), [namespaceNameLabel]: name },
        declared: true,
        origin: sourced.origin,
      });
    }
    if ((workloadKinds as readonly string[]).includes(object.kind) && object.metadata.name !== undefined) {
      workloadObjects.set(`${namespaceOf(object)}/${object.kind}/${object.metadata.name}`, sourced);
    }
  }

  const pods: Endpoint[] = [];
  for (const sourced of objects) {
    const { object, origin } = sourced;
    if (object.kind !== 'Pod' || object.apiVersion !== 'v1') continue;
    const namespace = namespaceOf(object);
    const name = object.metadata.name ?? object.metadata.generateName ?? '<unnamed>';
    const label = `Pod ${namespace}/${name}`;
    const parsed = podShape.safeParse(object);
    if (!parsed.success) {
      problems.push({ object: label, message: shapeMessage(parsed.error), origin, consequence: 'the pod is left out of the analysis' });
      continue;
    }
    const phase = parsed.data.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue; // finished pods have no network
    const ipTexts = [
      ...(parsed.data.status?.podIPs ?? []).map((entry) => entry.ip),
      ...(parsed.data.status?.podIP ? [parsed.data.status.podIP] : []),
    ];
    const ips: IpAddress[] = [];
    for (const text of new Set(ipTexts)) {
      const ip = parseIp(text);
      if (ip === undefined) {
        problems.push({ object: label, field: 'status.podIP', message: `not an IP address: ${JSON.stringify(text)}`, origin, consequence: 'the address is ignored' });
      } else {
        ips.push(ip);
      }
    }
    const { ports, portProblems } = containerPorts(parsed.data.spec ?? {});
    for (const message of portProblems) problems.push({ object: label, message, origin, consequence: 'the port is ignored' });
    pods.push({
      key: `${namespace}/${name}`,
      kind: 'pod',
      namespace,
      name,
      workload: podWorkload(object, namespace, workloadObjects),
      labels: object.metadata.labels ?? {},
      ips,
      ports,
      hostNetwork: parsed.data.spec?.hostNetwork === true,
      replicas: 1,
      origin,
    });
  }

  const workloads = new Map<string, WorkloadEntry>();
  const entryFor = (namespace: string, ref: WorkloadRef): WorkloadEntry => {
    const key = workloadKey(namespace, ref);
    let entry = workloads.get(key);
    if (entry === undefined) {
      entry = { key, namespace, ref, endpoints: [] };
      workloads.set(key, entry);
    }
    return entry;
  };
  for (const pod of pods) if (pod.workload !== null) entryFor(pod.namespace, pod.workload).endpoints.push(pod);

  const templates: Endpoint[] = [];
  for (const [, sourced] of workloadObjects) {
    const { object, origin } = sourced;
    const namespace = namespaceOf(object);
    const ref = { kind: object.kind, name: object.metadata.name as string };
    // A ReplicaSet run by a Deployment, or a Job run by a CronJob, is that workload's business.
    const owner = controllerOwner(object);
    if (owner !== null && workloadObjects.has(`${namespace}/${owner.kind}/${owner.name}`)) continue;
    const entry = entryFor(namespace, ref);
    if (entry.endpoints.length > 0) continue; // its pods are in the input: they stand for themselves
    const label = `${object.kind} ${namespace}/${ref.name}`;
    const template = podTemplate(object);
    const parsed = templateShape.safeParse(template ?? {});
    if (template === undefined || !parsed.success) {
      problems.push({
        object: label,
        field: object.kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template',
        message: parsed.success ? 'no pod template' : shapeMessage(parsed.error),
        origin,
        consequence: 'the workload is left out of the analysis',
      });
      continue;
    }
    const replicas = workloadReplicas(object);
    if (replicas === 0) continue; // scaled to zero: no pods, no traffic
    const { ports, portProblems } = containerPorts(parsed.data.spec ?? {});
    for (const message of portProblems) problems.push({ object: label, message, origin, consequence: 'the port is ignored' });
    const endpoint: Endpoint = {
      key: workloadKey(namespace, ref),
      kind: 'workload',
      namespace,
      name: ref.name,
      workload: ref,
      labels: parsed.data.metadata?.labels ?? {},
      ips: [],
      ports,
      hostNetwork: parsed.data.spec?.hostNetwork === true,
      replicas,
      origin,
    };
    entry.endpoints.push(endpoint);
    templates.push(endpoint);
  }

  const endpoints = [...pods, ...templates];
  for (const endpoint of endpoints) {
    if (!namespaces.has(endpoint.namespace)) {
      namespaces.set(endpoint.namespace, {
        name: endpoint.namespace,
        labels: { [namespaceNameLabel]: endpoint.namespace },
        declared: false,
        origin: null,
      });
    }
  }
  const byKey = new Map<string, Endpoint>();
  const byNamespace = new Map<string, Endpoint[]>();
  for (const endpoint of endpoints) {
    if (byKey.has(endpoint.key)) {
      problems.push({
        object: endpoint.kind === 'pod' ? `Pod ${endpoint.key}` : endpoint.key,
        message: 'appears more than once in the input',
        origin: endpoint.origin,
        consequence: 'the last one is used',
      });
    }
    byKey.set(endpoint.key, endpoint);
    const list = byNamespace.get(endpoint.namespace) ?? [];
    list.push(endpoint);
    byNamespace.set(endpoint.namespace, list);
  }
  return { namespaces, endpoints: [...byKey.values()], byKey, byNamespace, workloads, problems };
}

/** Adds namespaces that only policies mention (a policy in an otherwise empty namespace). */
export function withNamespaces(inventory: Inventory, names: Iterable<string>): Inventory {
  let namespaces: Map<string, NamespaceInfo> | null = null;
  for (const name of names) {
    if (inventory.namespaces.has(name) || namespaces?.has(name)) continue;
    namespaces ??= new Map(inventory.namespaces);
    namespaces.set(name, { name, labels: { [namespaceNameLabel]: name }, declared: false, origin: null });
  }
  return namespaces === null ? inventory : { ...inventory, namespaces };
}

export function workloadKey(namespace: string, ref: WorkloadRef): string {
  return `${namespace}/${ref.kind.toLowerCase()}/${ref.name}`;
}

export function describeWorkload(ref: WorkloadRef): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}

function podTemplate(object: KubeObject): unknown {
  const spec = (object as { spec?: unknown }).spec;
  if (typeof spec !== 'object' || spec === null) return undefined;
  if (object.kind === 'CronJob') {
    const jobTemplate = (spec as { jobTemplate?: { spec?: { template?: unknown } } }).jobTemplate;
    return jobTemplate?.spec?.template;
  }
  return (spec as { template?: unknown }).template;
}

function workloadReplicas(object: KubeObject): number {
  const spec = (object as { spec?: Record<string, unknown> }).spec ?? {};
  const value = object.kind === 'Job' ? spec.parallelism : spec.replicas;
  if (object.kind === 'DaemonSet' || object.kind === 'CronJob') return 1;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 1;
}

function controllerOwner(object: KubeObject): WorkloadRef | null {
  const parsed = ownerShape.safeParse((object.metadata as { ownerReferences?: unknown }).ownerReferences ?? []);
  if (!parsed.success) return null;
  const owner = parsed.data.find((candidate) => candidate.controller === true) ?? parsed.data[0];
  return owner === undefined ? null : { kind: owner.kind, name: owner.name };
}

/** The top controller of a pod: Deployment over ReplicaSet, CronJob over Job, else its direct controller. */
function podWorkload(pod: KubeObject, namespace: string, workloads: ReadonlyMap<string, SourcedObject>): WorkloadRef | null {
  const owner = controllerOwner(pod);
  if (owner === null) return null;
  const ownerObject = workloads.get(`${namespace}/${owner.kind}/${owner.name}`);
  if (ownerObject !== undefined) {
    const grandOwner = controllerOwner(ownerObject.object);
    if (grandOwner !== null && (grandOwner.kind === 'Deployment' || grandOwner.kind === 'CronJob')) return grandOwner;
    return owner;
  }
  // Without the ReplicaSet object, its name is the Deployment's name and the pod-template-hash.
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash !== undefined && owner.name.endsWith(`-${hash}`)) {
    return { kind: 'Deployment', name: owner.name.slice(0, -hash.length - 1) };
  }
  return owner;
}

function containerPorts(spec: z.infer<typeof podSpecShape>): { ports: ContainerPort[]; portProblems: string[] } {
  const ports: ContainerPort[] = [];
  const portProblems: string[] = [];
  (spec.containers ?? []).forEach((container, containerIndex) => {
    (container.ports ?? []).forEach((port, portIndex) => {
      const protocol = port.protocol ?? 'TCP';
      const field = `spec.containers[${containerIndex}].ports[${portIndex}]`;
      if (!isProtocol(protocol)) {
        portProblems.push(`${field}.protocol: Unsupported value: ${JSON.stringify(protocol)}: supported values: "TCP", "UDP", "SCTP"`);
        return;
      }
      if (!Number.isInteger(port.containerPort) || port.containerPort < 1 || port.containerPort > 65535) {
        portProblems.push(`${field}.containerPort: Invalid value: ${port.containerPort}: must be between 1 and 65535, inclusive`);
        return;
      }
      ports.push({ name: port.name ?? null, port: port.containerPort, protocol });
    });
  });
  return { ports, portProblems };
}

function shapeMessage(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '')}: ${issue.message}`)
    .join('; ');
}
