/**
 * Writes and reads objects on the test control plane as the cluster admin, for the cluster-audit tests and
 * the cluster benchmark: plain HTTPS with the admin client certificate (the code under test reads through
 * src/collect/cluster.ts; this is only the test's own hands).
 */
import { Agent, request } from 'node:https';
import { parse } from 'yaml';
import type { ControlPlane } from '../control-plane/control-plane.ts';

export interface ApiObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

interface Response {
  status: number;
  body: string;
}

/** Plural resource and scope of every kind the tests create. */
const resources: Record<string, { resource: string; namespaced: boolean }> = {
  Namespace: { resource: 'namespaces', namespaced: false },
  Node: { resource: 'nodes', namespaced: false },
  ServiceAccount: { resource: 'serviceaccounts', namespaced: true },
  Pod: { resource: 'pods', namespaced: true },
  ReplicationController: { resource: 'replicationcontrollers', namespaced: true },
  Secret: { resource: 'secrets', namespaced: true },
  Deployment: { resource: 'deployments', namespaced: true },
  ReplicaSet: { resource: 'replicasets', namespaced: true },
  StatefulSet: { resource: 'statefulsets', namespaced: true },
  DaemonSet: { resource: 'daemonsets', namespaced: true },
  Job: { resource: 'jobs', namespaced: true },
  CronJob: { resource: 'cronjobs', namespaced: true },
  Role: { resource: 'roles', namespaced: true },
  ClusterRole: { resource: 'clusterroles', namespaced: false },
  RoleBinding: { resource: 'rolebindings', namespaced: true },
  ClusterRoleBinding: { resource: 'clusterrolebindings', namespaced: false },
  NetworkPolicy: { resource: 'networkpolicies', namespaced: true },
  MutatingWebhookConfiguration: { resource: 'mutatingwebhookconfigurations', namespaced: false },
  ValidatingWebhookConfiguration: { resource: 'validatingwebhookconfigurations', namespaced: false },
  ValidatingAdmissionPolicy: { resource: 'validatingadmissionpolicies', namespaced: false },
};

export function collectionPath(apiVersion: string, kind: string, namespace?: string): string {
  const entry = resources[kind];
  if (entry === undefined) throw new Error(`the test writer does not know kind ${kind}`);
  const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return entry.namespaced ? `${prefix}/namespaces/${namespace ?? 'default'}/${entry.resource}` : `${prefix}/${entry.resource}`;
}

export class AdminApi {
  private readonly agent: Agent;
  private readonly server: string;

  constructor(controlPlane: Pick<ControlPlane, 'adminKubeconfig' | 'server'>) {
    const config = parse(controlPlane.adminKubeconfig) as {
      clusters: { cluster: { 'certificate-authority-data': string } }[];
      users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
    };
    const decode = (text: string | undefined): Buffer => Buffer.from(text ?? '', 'base64');
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 16,
      ca: decode(config.clusters[0]?.cluster['certificate-authority-data']),
      cert: decode(config.users[0]?.user['client-certificate-data']),
      key: decode(config.users[0]?.user['client-key-data']),
    });
    this.server = controlPlane.server;
  }

  send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Response> {
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.server}${path}`,
        { method, agent: this.agent, headers: { Accept: 'application/json', ...(data === undefined ? {} : { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) }) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (data !== undefined) req.write(data);
      req.end();
    });
  }

  async create(object: ApiObject): Promise<void> {
    const response = await this.send('POST', collectionPath(object.apiVersion, object.kind, object.metadata.namespace), object);
    if (response.status !== 201 && response.status !== 200) {
      throw new Error(`create ${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}: HTTP ${response.status} ${response.body.slice(0, 400)}`);
    }
  }

  /** Creates objects in order, `concurrency` at a time. */
  async createAll(objects: readonly ApiObject[], concurrency = 1): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < objects.length) {
        const object = objects[next];
        next += 1;
        if (object !== undefined) await this.create(object);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  async merge(path: string, patch: unknown): Promise<void> {
    const response = await this.send('PATCH', path, patch, 'application/merge-patch+json');
    if (response.status !== 200) throw new Error(`patch ${path}: HTTP ${response.status} ${response.body.slice(0, 400)}`);
  }

  /** `kubectl get <kind> -A -o json`: the list as the API returns it, with apiVersion and kind on each item. */
  async list(apiVersion: string, kind: string): Promise<ApiObject[]> {
    const entry = resources[kind];
    if (entry === undefined) throw new Error(`unknown kind ${kind}`);
    const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const response = await this.send('GET', `${prefix}/${entry.resource}`);
    if (response.status !== 200) throw new Error(`list ${kind}: HTTP ${response.status}`);
    const list = JSON.parse(response.body) as { items: ApiObject[] };
    return list.items.map((item) => ({ ...item, apiVersion, kind }));
  }

  async waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  close(): void {
    this.agent.destroy();
  }
}
