import type { NetpolAnalysis } from './analysis.ts';
import { type Endpoint, type WorkloadKind, workloadKey } from './inventory.ts';
import { formatAddress, parseIp } from './ip-address.ts';
import { type Protocol, isProtocol } from './port-set.ts';

/**
 * FROM and TO as people write them: `namespace/pod`, `namespace/kind/name` for a workload
 * (deployment, statefulset, daemonset, replicaset, job, cronjob, replicationcontroller, and kubectl's
 * short names), or an IP address (a pod's address names that pod; any other is outside the cluster).
 */
export type Resolution = { ok: true; endpoints: Endpoint[]; note: string | null } | { ok: false; message: string };

const kindAliases: Record<string, WorkloadKind | 'Pod'> = {
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  rs: 'ReplicaSet',
  job: 'Job',
  jobs: 'Job',
  cronjob: 'CronJob',
  cronjobs: 'CronJob',
  cj: 'CronJob',
  replicationcontroller: 'ReplicationController',
  replicationcontrollers: 'ReplicationController',
  rc: 'ReplicationController',
};

export function externalEndpoint(text: string): Endpoint | null {
  const ip = parseIp(text.startsWith('ip:') ? text.slice(3) : text);
  if (ip === undefined) return null;
  return {
    key: formatAddress(ip),
    kind: 'external',
    namespace: '',
    name: formatAddress(ip),
    workload: null,
    labels: {},
    ips: [ip],
    ports: [],
    hostNetwork: false,
    replicas: 1,
    origin: null,
  };
}

export function resolveEndpoint(analysis: NetpolAnalysis, text: string): Resolution {
  const { inventory } = analysis;
  const external = externalEndpoint(text);
  if (external !== null) {
    const ip = external.ips[0];
    const owner = inventory.endpoints.find((endpoint) => endpoint.ips.some((candidate) => candidate.family === ip?.family && candidate.value === ip.value));
    if (owner !== undefined) return { ok: true, endpoints: [owner], note: `${text} is the address of ${owner.key}` };
    return { ok: true, endpoints: [external], note: null };
  }
  const parts = text.split('/');
  if (parts.length === 2 && parts.every((part) => part !== '')) {
    const found = inventory.byKey.get(text);
    if (found !== undefined) return { ok: true, endpoints: [found], note: null };
    const workloads = [...inventory.workloads.values()].filter((entry) => entry.namespace === parts[0] && entry.ref.name === parts[1]);
    if (workloads.length === 1 && workloads[0] !== undefined && workloads[0].endpoints.length > 0) {
      return { ok: true, endpoints: workloads[0].endpoints, note: `${text} is ${workloads[0].key}` };
    }
    return { ok: false, message: `no pod ${text} in the input${suggestion(analysis, parts[0] as string)}` };
  }
  if (parts.length === 3 && parts.every((part) => part !== '')) {
    const [namespace, kindText, name] = parts as [string, string, string];
    const kind = kindAliases[kindText.toLowerCase()];
    if (kind === undefined) {
      return { ok: false, message: `${JSON.stringify(kindText)} in ${text} is not a workload kind (deployment, statefulset, daemonset, replicaset, job, cronjob, replicationcontroller or pod)` };
    }
    if (kind === 'Pod') return resolveEndpoint(analysis, `${namespace}/${name}`);
    const entry = inventory.workloads.get(workloadKey(namespace, { kind, name }));
    if (entry === undefined || entry.endpoints.length === 0) {
      return { ok: false, message: `no ${kind} ${namespace}/${name} (nor pods of it) in the input${suggestion(analysis, namespace)}` };
    }
    return { ok: true, endpoints: entry.endpoints, note: null };
  }
  return {
    ok: false,
    message: `${JSON.stringify(text)} is not an endpoint: write namespace/pod, namespace/kind/name (e.g. web/deployment/api) or an IP address`,
  };
}

function suggestion(analysis: NetpolAnalysis, namespace: string): string {
  const names = (analysis.inventory.byNamespace.get(namespace) ?? []).map((endpoint) => endpoint.key).slice(0, 5);
  if (names.length === 0) return analysis.inventory.namespaces.has(namespace) ? '' : ` (no namespace ${namespace} either)`;
  return ` (namespace ${namespace} has ${names.join(', ')}${(analysis.inventory.byNamespace.get(namespace)?.length ?? 0) > 5 ? ', ...' : ''})`;
}

/** PORT[/PROTO]: `80`, `80/udp`, `dns/UDP`; a name is resolved later, on each destination. */
export interface PortReference {
  port: number | string;
  protocol: Protocol;
  /** The protocol was not written (TCP assumed). */
  protocolDefaulted: boolean;
}

export function parsePortReference(text: string): PortReference | { error: string } {
  const [portText = '', protocolText, extra] = text.split('/');
  if (extra !== undefined || portText === '') return { error: `${JSON.stringify(text)} is not a port: write PORT or PORT/PROTOCOL, e.g. 80, 53/UDP, http/TCP` };
  let protocol: Protocol = 'TCP';
  if (protocolText !== undefined) {
    const upper = protocolText.toUpperCase();
    if (!isProtocol(upper)) return { error: `protocol ${JSON.stringify(protocolText)} in ${JSON.stringify(text)} is not TCP, UDP or SCTP` };
    protocol = upper;
  }
  return parsePortValue(portText, protocol, protocolText === undefined);
}

export function parsePortValue(value: string | number, protocol: Protocol, protocolDefaulted: boolean): PortReference | { error: string } {
  if (typeof value === 'number' || /^[0-9]+$/.test(value)) {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1 || number > 65535) return { error: `port ${value} is not between 1 and 65535` };
    return { port: number, protocol, protocolDefaulted };
  }
  if (!/^[-a-z0-9]{1,15}$/.test(value)) return { error: `${JSON.stringify(value)} is neither a port number nor a port name` };
  return { port: value, protocol, protocolDefaulted };
}

/** The number a port reference stands for on one destination, or why there is none. */
export function portOn(reference: PortReference, destination: Endpoint): { port: number } | { error: string } {
  if (typeof reference.port === 'number') return { port: reference.port };
  if (destination.kind === 'external') return { error: `a named port (${reference.port}) cannot be resolved on ${destination.key}, an address outside the cluster` };
  const declared = destination.ports.find((port) => port.name === reference.port && port.protocol === reference.protocol);
  if (declared === undefined) return { error: `${destination.key} declares no ${reference.protocol} port named ${reference.port}` };
  return { port: declared.port };
}
