import { z } from 'zod';
import type { KubeObject } from '../facts/kube-object.ts';
import { namespaceNameLabel, workloadKinds } from './inventory.ts';
import { parseIp } from './ip-address.ts';

/**
 * The minimal NetworkPolicies that isolate a namespace without breaking it, from the objects alone:
 * - `default-deny`: every pod isolated for ingress and egress;
 * - `allow-same-namespace`: pods of the namespace talk to each other freely;
 * - `allow-dns`: egress to kube-dns (kube-system, k8s-app=kube-dns) on 53/UDP and 53/TCP;
 * - flows the objects show: Services of type NodePort/LoadBalancer (or with externalIPs) open to every
 *   source on their target ports; Services behind an Ingress open to the ingress controller (k3s: Traefik);
 *   Services of other namespaces named in a workload's environment or ConfigMaps (`svc.ns`, `svc.ns.svc`,
 *   `svc.ns.svc.cluster.local`) in both directions; the API server for workloads whose service account is
 *   bound to a role.
 * Profile `k3s-guide` gives the k3s CIS hardening guide's set instead: intra-namespace ingress only, and in
 * kube-system the policies k3s's packaged components need (CoreDNS, metrics-server, Traefik, svclb).
 * Pure: objects in, policies out; each with the reason it is there.
 */
export interface SuggestedPolicy {
  object: KubeObject;
  /** Why the policy is there, one line. */
  purpose: string;
}

export interface PackagedComponents {
  coredns: boolean;
  metricsServer: boolean;
  traefik: boolean;
  servicelb: boolean;
}

export interface SuggestOptions {
  /** `isolate` (default): default deny both ways plus what the namespace needs. `k3s-guide`: the k3s hardening guide's policies. */
  profile?: 'isolate' | 'k3s-guide';
  /** Directions the default deny isolates (profile isolate; default both). */
  policyTypes?: ReadonlyArray<'Ingress' | 'Egress'>;
  /** Derive flows from Services, Ingresses, environment and RBAC (default true). */
  workloadFlows?: boolean;
  /** k3s packaged components that run (kube-system policies); default all. */
  components?: PackagedComponents;
  /** The ingress controller's pods (default k3s Traefik: kube-system, app.kubernetes.io/name=traefik). */
  ingressController?: { namespace: string; podLabels: Record<string, string> };
  /** Labels put on every generated policy (default app.kubernetes.io/managed-by=kharden). */
  labels?: Record<string, string>;
}

const allComponents: PackagedComponents = { coredns: true, metricsServer: true, traefik: true, servicelb: true };
const traefik = { namespace: 'kube-system', podLabels: { 'app.kubernetes.io/name': 'traefik' } };
const managedBy = { 'app.kubernetes.io/managed-by': 'kharden' };

type Spec = Record<string, unknown>;
type PortEntry = { port?: number | string; protocol: string };

const selectorOf = (labels: Record<string, string>): Spec => (Object.keys(labels).length === 0 ? {} : { matchLabels: { ...labels } });
const namespacePeer = (namespace: string, podLabels: Record<string, string> | null): Spec => ({
  namespaceSelector: { matchLabels: { [namespaceNameLabel]: namespace } },
  ...(podLabels === null ? {} : { podSelector: selectorOf(podLabels) }),
});

export function suggestPolicies(namespace: string, objects: readonly KubeObject[], options: SuggestOptions = {}): SuggestedPolicy[] {
  const labels = options.labels ?? managedBy;
  const make = (name: string, spec: Spec): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: { ...labels } },
    spec,
  });
  if ((options.profile ?? 'isolate') === 'k3s-guide') return k3sGuidePolicies(namespace, options.components ?? allComponents, make);

  const types = options.policyTypes ?? ['Ingress', 'Egress'];
  const ingress = types.includes('Ingress');
  const egress = types.includes('Egress');
  const policies: SuggestedPolicy[] = [];
  policies.push({
    object: make('default-deny', { podSelector: {}, policyTypes: [...types] }),
    purpose: `every pod in ${namespace} is isolated for ${types.join(' and ').toLowerCase()}: only what the other policies allow gets through`,
  });
  policies.push({
    object: make('allow-same-namespace', {
      podSelector: {},
      ...(ingress ? { ingress: [{ from: [{ podSelector: {} }] }] } : {}),
      ...(egress ? { egress: [{ to: [{ podSelector: {} }] }] } : {}),
      policyTypes: [...types],
    }),
    purpose: `pods of ${namespace} reach each other on every port`,
  });
  if (egress && namespace !== 'kube-system') {
    policies.push({
      object: make('allow-dns', {
        podSelector: {},
        egress: [
          {
            to: [namespacePeer('kube-system', { 'k8s-app': 'kube-dns' })],
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
          },
        ],
        policyTypes: ['Egress'],
      }),
      purpose: 'every pod can resolve names: kube-dns (CoreDNS in kube-system) on 53/UDP and 53/TCP',
    });
  }
  if (namespace === 'kube-system' && ingress) {
    policies.push(...k3sGuidePolicies(namespace, options.components ?? allComponents, make).filter((policy) => policy.object.metadata.name !== 'intra-namespace'));
  }
  if (options.workloadFlows ?? true) {
    policies.push(...flowPolicies(namespace, objects, { ingress, egress, controller: options.ingressController ?? traefik }, make));
  }
  return policies;
}

function k3sGuidePolicies(namespace: string, components: PackagedComponents, make: (name: string, spec: Spec) => KubeObject): SuggestedPolicy[] {
  const allowAll = (name: string, podLabels: Record<string, string>, purpose: string): SuggestedPolicy => ({
    object: make(name, { podSelector: selectorOf(podLabels), ingress: [{}], policyTypes: ['Ingress'] }),
    purpose,
  });
  const policies: SuggestedPolicy[] = [
    {
      object: make('intra-namespace', {
        podSelector: {},
        ingress: [{ from: [namespacePeer(namespace, null)] }],
        policyTypes: ['Ingress'],
      }),
      purpose: `pods in ${namespace} accept traffic only from ${namespace}`,
    },
  ];
  if (namespace !== 'kube-system') return policies;
  if (components.coredns) {
    policies.push({
      object: make('default-network-dns-policy', {
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        ingress: [
          {
            ports: [
              { port: 53, protocol: 'TCP' },
              { port: 53, protocol: 'UDP' },
            ],
          },
        ],
        policyTypes: ['Ingress'],
      }),
      purpose: 'every pod can still resolve names (CoreDNS on 53/UDP and 53/TCP, from any source)',
    });
  }
  if (components.metricsServer) policies.push(allowAll('allow-all-metrics-server', { 'k8s-app': 'metrics-server' }, 'the API server can still reach metrics-server'));
  if (components.traefik && components.servicelb) {
    policies.push(allowAll('allow-all-svclbtraefik-ingress', { 'svccontroller.k3s.cattle.io/svcname': 'traefik' }, "ingress traffic still reaches Traefik's svclb pods"));
  }
  if (components.traefik) policies.push(allowAll('allow-all-traefik-v121-ingress', { 'app.kubernetes.io/name': 'traefik' }, 'ingress traffic still reaches Traefik'));
  return policies;
}

// ---- Flows the objects show --------------------------------------------------------------------

const serviceShape = z
  .object({
    metadata: z.object({ name: z.string(), namespace: z.string().optional() }).loose(),
    spec: z
      .object({
        type: z.string().nullish(),
        selector: z.record(z.string(), z.string()).nullish(),
        externalIPs: z.array(z.string()).nullish(),
        ports: z
          .array(z.object({ port: z.number(), targetPort: z.union([z.number(), z.string()]).nullish(), protocol: z.string().nullish() }).loose())
          .nullish(),
      })
      .loose(),
  })
  .loose();

interface ServiceInfo {
  name: string;
  namespace: string;
  type: string;
  selector: Record<string, string>;
  exposed: boolean;
  ports: PortEntry[];
}

const backendShape = z.object({ service: z.object({ name: z.string() }).loose().nullish() }).loose();
const ingressShape = z
  .object({
    metadata: z.object({ namespace: z.string().optional() }).loose(),
    spec: z
      .object({
        defaultBackend: backendShape.nullish(),
        rules: z.array(z.object({ http: z.object({ paths: z.array(z.object({ backend: backendShape }).loose()) }).loose().nullish() }).loose()).nullish(),
      })
      .loose(),
  })
  .loose();

const envShape = z.array(
  z
    .object({
      value: z.string().nullish(),
      valueFrom: z.object({ configMapKeyRef: z.object({ name: z.string(), key: z.string() }).loose().nullish() }).loose().nullish(),
    })
    .loose(),
);
const containerShape = z
  .object({
    env: envShape.nullish(),
    envFrom: z.array(z.object({ configMapRef: z.object({ name: z.string() }).loose().nullish() }).loose()).nullish(),
  })
  .loose();
const podSpecShape = z
  .object({
    serviceAccountName: z.string().nullish(),
    automountServiceAccountToken: z.boolean().nullish(),
    containers: z.array(containerShape).nullish(),
    initContainers: z.array(containerShape).nullish(),
  })
  .loose();

interface WorkloadInfo {
  namespace: string;
  kind: string;
  name: string;
  /** Labels that select its pods (spec.selector.matchLabels, else the template's labels). */
  podLabels: Record<string, string>;
  spec: z.infer<typeof podSpecShape>;
}

function workloadsOf(objects: readonly KubeObject[]): WorkloadInfo[] {
  const out: WorkloadInfo[] = [];
  for (const object of objects) {
    const namespace = object.metadata.namespace ?? 'default';
    const name = object.metadata.name ?? '';
    const spec = (object as { spec?: Record<string, unknown> }).spec ?? {};
    if (object.kind === 'Pod') {
      if ((object.metadata as { ownerReferences?: unknown[] }).ownerReferences?.length) continue; // its controller speaks for it
      const parsed = podSpecShape.safeParse(spec);
      if (parsed.success) out.push({ namespace, kind: 'Pod', name, podLabels: object.metadata.labels ?? {}, spec: parsed.data });
      continue;
    }
    if (!(workloadKinds as readonly string[]).includes(object.kind)) continue;
    const template = (object.kind === 'CronJob' ? (spec.jobTemplate as { spec?: { template?: unknown } } | undefined)?.spec?.template : spec.template) as
      | { metadata?: { labels?: Record<string, string> }; spec?: unknown }
      | undefined;
    const parsed = podSpecShape.safeParse(template?.spec ?? {});
    if (!parsed.success) continue;
    const selector = (spec.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
    const podLabels = selector !== undefined && Object.keys(selector).length > 0 && object.kind !== 'Job' ? selector : (template?.metadata?.labels ?? {});
    out.push({ namespace, kind: object.kind, name, podLabels, spec: parsed.data });
  }
  return out;
}

function servicesOf(objects: readonly KubeObject[]): ServiceInfo[] {
  const out: ServiceInfo[] = [];
  for (const object of objects) {
    if (object.kind !== 'Service') continue;
    const parsed = serviceShape.safeParse(object);
    if (!parsed.success) continue;
    const spec = parsed.data.spec;
    const type = spec.type ?? 'ClusterIP';
    out.push({
      name: parsed.data.metadata.name,
      namespace: parsed.data.metadata.namespace ?? 'default',
      type,
      selector: spec.selector ?? {},
      exposed: type === 'NodePort' || type === 'LoadBalancer' || (spec.externalIPs ?? []).length > 0,
      ports: (spec.ports ?? []).map((port) => ({ port: port.targetPort ?? port.port, protocol: port.protocol ?? 'TCP' })),
    });
  }
  return out;
}

/** Hostnames in a text that name a Service of another namespace: `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`. */
export function serviceReferences(text: string, services: ReadonlyMap<string, ServiceInfo>): ServiceInfo[] {
  const found: ServiceInfo[] = [];
  for (const match of text.matchAll(/(?<![-a-z0-9.])([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)(?:\.svc(?:\.cluster\.local)?)?(?![-a-z0-9])/g)) {
    const service = services.get(`${match[2]}/${match[1]}`);
    if (service !== undefined && !found.includes(service)) found.push(service);
  }
  return found;
}

function configMapValues(objects: readonly KubeObject[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const object of objects) {
    if (object.kind !== 'ConfigMap') continue;
    const data = (object as { data?: unknown }).data;
    if (typeof data !== 'object' || data === null) continue;
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(data)) if (typeof value === 'string') values[key] = value;
    out.set(`${object.metadata.namespace ?? 'default'}/${object.metadata.name ?? ''}`, values);
  }
  return out;
}

function referencedServices(workload: WorkloadInfo, services: ReadonlyMap<string, ServiceInfo>, configMaps: ReadonlyMap<string, Record<string, string>>): ServiceInfo[] {
  const texts: string[] = [];
  for (const container of [...(workload.spec.containers ?? []), ...(workload.spec.initContainers ?? [])]) {
    for (const variable of container.env ?? []) {
      if (typeof variable.value === 'string') texts.push(variable.value);
      const ref = variable.valueFrom?.configMapKeyRef;
      if (ref) texts.push(configMaps.get(`${workload.namespace}/${ref.name}`)?.[ref.key] ?? '');
    }
    for (const source of container.envFrom ?? []) {
      const ref = source.configMapRef;
      if (ref) texts.push(...Object.values(configMaps.get(`${workload.namespace}/${ref.name}`) ?? {}));
    }
  }
  const found: ServiceInfo[] = [];
  for (const text of texts) for (const service of serviceReferences(text, services)) if (!found.includes(service)) found.push(service);
  return found.filter((service) => service.namespace !== workload.namespace && Object.keys(service.selector).length > 0);
}

function boundServiceAccounts(objects: readonly KubeObject[]): Set<string> {
  const bound = new Set<string>();
  for (const object of objects) {
    if (object.kind !== 'RoleBinding' && object.kind !== 'ClusterRoleBinding') continue;
    const subjects = (object as { subjects?: unknown }).subjects;
    if (!Array.isArray(subjects)) continue;
    for (const subject of subjects as Array<{ kind?: string; name?: string; namespace?: string }>) {
      if (subject.kind === 'ServiceAccount' && subject.name !== undefined) {
        bound.add(`${subject.namespace ?? object.metadata.namespace ?? 'default'}/${subject.name}`);
      }
      if (subject.kind === 'Group' && subject.name?.startsWith('system:serviceaccounts:')) bound.add(`${subject.name.slice('system:serviceaccounts:'.length)}/*`);
    }
  }
  return bound;
}

/** The API server's addresses and port, from the `kubernetes` Endpoints of `default` when the input has it. */
function apiServerEndpoints(objects: readonly KubeObject[]): { ips: string[]; ports: number[] } | null {
  const endpoints = objects.find((object) => object.kind === 'Endpoints' && object.metadata.name === 'kubernetes' && (object.metadata.namespace ?? 'default') === 'default');
  const subsets = (endpoints as { subsets?: Array<{ addresses?: Array<{ ip?: string }>; ports?: Array<{ port?: number }> }> } | undefined)?.subsets;
  if (!Array.isArray(subsets)) return null;
  const ips = subsets.flatMap((subset) => (subset.addresses ?? []).map((address) => address.ip ?? '')).filter((ip) => parseIp(ip) !== undefined);
  const ports = subsets.flatMap((subset) => (subset.ports ?? []).map((port) => port.port ?? 0)).filter((port) => port > 0);
  return ips.length === 0 || ports.length === 0 ? null : { ips: [...new Set(ips)], ports: [...new Set(ports)] };
}

function flowPolicies(
  namespace: string,
  objects: readonly KubeObject[],
  sides: { ingress: boolean; egress: boolean; controller: { namespace: string; podLabels: Record<string, string> } },
  make: (name: string, spec: Spec) => KubeObject,
): SuggestedPolicy[] {
  const policies: SuggestedPolicy[] = [];
  const services = servicesOf(objects);
  const byKey = new Map(services.map((service) => [`${service.namespace}/${service.name}`, service]));
  const local = services.filter((service) => service.namespace === namespace && Object.keys(service.selector).length > 0);
  const workloads = workloadsOf(objects);
  const configMaps = configMapValues(objects);
  const names = new Set<string>();
  const unique = (name: string): string => {
    let candidate = name.slice(0, 253);
    for (let index = 2; names.has(candidate); index++) candidate = `${name.slice(0, 240)}-${index}`;
    names.add(candidate);
    return candidate;
  };

  if (sides.ingress) {
    for (const service of local.filter((candidate) => candidate.exposed)) {
      policies.push({
        object: make(unique(`allow-external-to-${service.name}`), {
          podSelector: selectorOf(service.selector),
          ingress: [service.ports.length > 0 ? { ports: service.ports } : {}],
          policyTypes: ['Ingress'],
        }),
        purpose: `Service ${namespace}/${service.name} is of type ${service.type}: its pods accept traffic from every source on ${describePorts(service.ports)}`,
      });
    }
    const ingressBackends = new Set<string>();
    for (const object of objects) {
      if (object.kind !== 'Ingress' || (object.metadata.namespace ?? 'default') !== namespace) continue;
      const parsed = ingressShape.safeParse(object);
      if (!parsed.success) continue;
      const backends = [parsed.data.spec.defaultBackend, ...(parsed.data.spec.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((path) => path.backend))];
      for (const backend of backends) if (backend?.service?.name) ingressBackends.add(backend.service.name);
    }
    for (const name of [...ingressBackends].sort()) {
      const service = byKey.get(`${namespace}/${name}`);
      if (service === undefined || Object.keys(service.selector).length === 0) continue;
      policies.push({
        object: make(unique(`allow-ingress-controller-to-${service.name}`), {
          podSelector: selectorOf(service.selector),
          ingress: [{ from: [namespacePeer(sides.controller.namespace, sides.controller.podLabels)], ...portsOf(service) }],
          policyTypes: ['Ingress'],
        }),
        purpose: `an Ingress routes to Service ${namespace}/${service.name}: the ingress controller (${sides.controller.namespace}, ${labelText(sides.controller.podLabels)}) reaches its pods on ${describePorts(service.ports)}`,
      });
    }
    // Workloads of other namespaces that name a Service of this one.
    for (const workload of workloads.filter((candidate) => candidate.namespace !== namespace)) {
      for (const service of referencedServices(workload, byKey, configMaps).filter((candidate) => candidate.namespace === namespace)) {
        if (Object.keys(workload.podLabels).length === 0) continue;
        policies.push({
          object: make(unique(`allow-${workload.namespace}-${workload.name}-to-${service.name}`), {
            podSelector: selectorOf(service.selector),
            ingress: [{ from: [namespacePeer(workload.namespace, workload.podLabels)], ...portsOf(service) }],
            policyTypes: ['Ingress'],
          }),
          purpose: `${workload.kind} ${workload.namespace}/${workload.name} names Service ${namespace}/${service.name} in its configuration: it reaches the Service's pods on ${describePorts(service.ports)}`,
        });
      }
    }
  }

  if (sides.egress) {
    for (const workload of workloads.filter((candidate) => candidate.namespace === namespace)) {
      for (const service of referencedServices(workload, byKey, configMaps)) {
        if (Object.keys(workload.podLabels).length === 0) continue;
        policies.push({
          object: make(unique(`allow-${workload.name}-to-${service.namespace}-${service.name}`), {
            podSelector: selectorOf(workload.podLabels),
            egress: [{ to: [namespacePeer(service.namespace, service.selector)], ...portsOf(service) }],
            policyTypes: ['Egress'],
          }),
          purpose: `${workload.kind} ${namespace}/${workload.name} names Service ${service.namespace}/${service.name} in its configuration: egress to its pods on ${describePorts(service.ports)}`,
        });
      }
    }
    const bound = boundServiceAccounts(objects);
    const apiClients = workloads.filter(
      (workload) =>
        workload.namespace === namespace &&
        workload.spec.automountServiceAccountToken !== false &&
        (bound.has(`${namespace}/${workload.spec.serviceAccountName ?? 'default'}`) || bound.has(`${namespace}/*`)),
    );
    if (apiClients.length > 0) {
      const server = apiServerEndpoints(objects);
      const peers = server === null ? null : server.ips.map((ip) => ({ ipBlock: { cidr: `${ip}/${ip.includes(':') ? 128 : 32}` } }));
      const ports = (server?.ports ?? [6443]).map((port) => ({ port, protocol: 'TCP' }));
      for (const workload of apiClients) {
        if (Object.keys(workload.podLabels).length === 0) continue;
        policies.push({
          object: make(unique(`allow-${workload.name}-to-api-server`), {
            podSelector: selectorOf(workload.podLabels),
            egress: [{ ...(peers === null ? {} : { to: peers }), ports }],
            policyTypes: ['Egress'],
          }),
          purpose:
            server === null
              ? `${workload.kind} ${namespace}/${workload.name} runs as service account ${workload.spec.serviceAccountName ?? 'default'}, which a role binding grants API access: egress to the API server (k3s: port 6443 after the kubernetes Service is translated; the server's address is not in the input, so any destination on 6443 — narrow it with an ipBlock of your server addresses)`
              : `${workload.kind} ${namespace}/${workload.name} runs as service account ${workload.spec.serviceAccountName ?? 'default'}, which a role binding grants API access: egress to the API server ${server.ips.join(', ')} on ${server.ports.join(', ')}/TCP`,
        });
      }
    }
  }
  return policies;
}

const portsOf = (service: ServiceInfo): Spec => (service.ports.length > 0 ? { ports: service.ports } : {});

function describePorts(ports: readonly PortEntry[]): string {
  return ports.length === 0 ? 'every port' : ports.map((port) => `${port.port ?? 'any'}/${port.protocol}`).join(', ');
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}
