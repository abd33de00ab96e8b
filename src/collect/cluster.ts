/**
 * Reads cluster objects from the Kubernetes API into ClusterFacts. The only code in kharden that talks to
 * the API for reads (through @kubernetes/client-node 1.4: kubeconfig loading, contexts and every
 * authentication method it supports: client certificates, tokens, token files, exec and OIDC plugins).
 *
 * Reuse it for any kind in the kinds table (src/facts/cluster-facts.ts):
 *
 *   const facts = await collectClusterFacts({
 *     kubeconfig: flags.kubeconfig,         // as kubectl's --kubeconfig (else KUBECONFIG, ~/.kube/config,
 *     context: flags.context,               //   /etc/rancher/k3s/k3s.yaml, in-cluster service account)
 *     kinds: ['Namespace', 'Pod', 'NetworkPolicy'],   // default: every kind of the table
 *     namespaces: ['shop'],                 // default: all namespaces (one cluster-wide list per kind)
 *     progress: terminal.progress,          // called per page; pass the Terminal's (quiet unless a TTY)
 *   });
 *   facts.objects        // sanitized objects with apiVersion and kind set, origin = the server
 *   facts.access         // per kind (and namespace): listed | forbidden (+ missing permission) | not-served | error
 *
 * Lists are paginated (`limit` + `continue`; an expired continue token restarts that list once).
 * A kind that is forbidden, not served or fails is recorded in `access` and the others are still read.
 * Unreachable server, TLS failure or rejected credentials throw KhardenError('collect') naming the server
 * and the cause (exit 3). No credential ever reaches an error message or the facts.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { collectError, isKhardenError, KhardenError } from '../core/errors.ts';
import { khardenVersion } from '../core/version.ts';
import {
  clusterFactsApiVersion,
  clusterFactsKind,
  clusterKinds,
  describePermission,
  sanitizeObject,
  type ClusterFacts,
  type ClusterKind,
  type ClusterKindName,
  type KindAccess,
} from '../facts/cluster-facts.ts';
import type { KubeObject, SourcedObject } from '../facts/kube-object.ts';
import type { KubeconfigOptions } from './cluster-kubeconfig.ts';

export interface ClusterCollectOptions extends KubeconfigOptions {
  /** Kinds to read (default: all of `clusterKinds`). */
  kinds?: readonly ClusterKindName[];
  /** Read namespaced kinds only in these namespaces (default: all, with one cluster-wide list). */
  namespaces?: readonly string[];
  progress?: (message: string) => void;
  /** Items per page (default 500, as kubectl). */
  pageSize?: number;
  /** Per-request timeout in ms (default 30 s). */
  requestTimeoutMs?: number;
  /** Lists running at the same time (default 4). */
  concurrency?: number;
  now?: () => Date;
}

export async function collectClusterFacts(options: ClusterCollectOptions = {}): Promise<ClusterFacts> {
  // @kubernetes/client-node is some 800 modules: loading it costs every kharden process about half a second
  // and 50 MB. It is loaded only when a cluster is read, so that node audits start fast (docs/performance.md).
  const { loadKubeconfig } = await import('./cluster-kubeconfig.ts');
  const choice = loadKubeconfig(options);
  const client = await ApiClient.create(choice.kubeconfig, choice.context, options.requestTimeoutMs ?? 30_000);
  const progress = options.progress ?? (() => {});
  const collectedAt = (options.now ?? (() => new Date()))().toISOString();
  try {
    progress(`reading ${client.server} (context ${choice.context ?? '-'}, kubeconfig ${choice.origin})`);
    const version = await client.version();
    const wanted = options.kinds === undefined ? clusterKinds : clusterKinds.filter((kind) => options.kinds?.includes(kind.kind));
    const origin = { kind: 'cluster' as const, server: client.server };
    const objects: SourcedObject[] = [];
    const access: KindAccess[] = [];
    const tasks: (() => Promise<void>)[] = [];
    for (const kind of clusterKinds) {
      if (!wanted.includes(kind)) {
        access.push(accessEntry(kind, null, 'skipped', 0));
        continue;
      }
      const scopes: (string | null)[] = kind.namespaced && options.namespaces !== undefined ? [...options.namespaces] : [null];
      for (const namespace of scopes) {
        tasks.push(async () => {
          const result = await client.list(kind, namespace, options.pageSize ?? 500, (count) => progress(`${kind.resource}${namespace === null ? '' : ` in ${namespace}`}: ${count}`));
          access.push(result.access);
          for (const object of result.items) objects.push({ object, origin });
        });
      }
    }
    await runLimited(tasks, options.concurrency ?? 4);
    // Parallel lists finish in any order; facts are stable: kinds in table order, objects as the API listed them.
    const order = new Map<string, number>(clusterKinds.map((kind, index) => [kind.kind, index]));
    access.sort((a, b) => (order.get(a.kind) ?? 0) - (order.get(b.kind) ?? 0) || (a.namespace ?? '').localeCompare(b.namespace ?? ''));
    objects.sort((a, b) => (order.get(a.object.kind) ?? 0) - (order.get(b.object.kind) ?? 0));
    return {
      apiVersion: clusterFactsApiVersion,
      kind: clusterFactsKind,
      collectedAt,
      collector: { kharden: khardenVersion, mode: 'cluster' },
      server: { url: client.server, context: choice.context, version },
      files: [],
      access,
      objects,
      problems: [],
      notes: [],
    };
  } finally {
    client.close();
  }
}

function accessEntry(kind: ClusterKind, namespace: string | null, state: KindAccess['state'], count: number, extra: Partial<KindAccess> = {}): KindAccess {
  return { kind: kind.kind, apiVersion: kind.apiVersion, resource: kind.resource, group: kind.group, namespace, state, count, ...extra };
}

async function runLimited(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next];
      next += 1;
      if (task !== undefined) await task();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
}

interface Response {
  status: number;
  body: string;
}

interface ListResult {
  items: KubeObject[];
  access: KindAccess;
}

/** A minimal JSON GET client over the kubeconfig's transport (CA, client certificate, bearer token, proxy agent). */
class ApiClient {
  readonly server: string;
  private readonly base: URL;
  private readonly options: https.RequestOptions;
  private readonly context: string | null;
  private readonly timeoutMs: number;

  private constructor(server: string, base: URL, options: https.RequestOptions, context: string | null, timeoutMs: number) {
    this.server = server;
    this.base = base;
    this.options = options;
    this.context = context;
    this.timeoutMs = timeoutMs;
  }

  static async create(kubeconfig: KubeConfig, context: string | null, timeoutMs: number): Promise<ApiClient> {
    const cluster = kubeconfig.getCurrentCluster();
    if (cluster === null) throw collectError('the kubeconfig has no cluster for the current context');
    const { displayServer } = await import('./cluster-kubeconfig.ts');
    const server = displayServer(cluster.server);
    let base: URL;
    try {
      base = new URL(cluster.server.endsWith('/') ? cluster.server : `${cluster.server}/`);
    } catch {
      throw collectError(`the kubeconfig's server for context ${context ?? '-'} is not a URL: ${server}`);
    }
    const options: https.RequestOptions = {};
    try {
      await kubeconfig.applyToHTTPSOptions(options);
    } catch (error) {
      throw collectError(`cannot get credentials for context ${context ?? '-'} (server ${server}): ${firstLine(error)}`, error);
    }
    return new ApiClient(server, base, options, context, timeoutMs);
  }

  close(): void {
    const agent = this.options.agent;
    if (agent instanceof http.Agent) agent.destroy();
  }

  /** `/version`'s gitVersion, or null when it cannot be read (a proxy that hides it). */
  async version(): Promise<string | null> {
    const response = await this.get('version');
    if (response.status !== 200) return null;
    try {
      const body = JSON.parse(response.body) as { gitVersion?: unknown };
      return typeof body.gitVersion === 'string' ? body.gitVersion : null;
    } catch {
      return null;
    }
  }

  async list(kind: ClusterKind, namespace: string | null, pageSize: number, onPage: (count: number) => void): Promise<ListResult> {
    const prefix = kind.group === '' ? `api/${kind.apiVersion}` : `apis/${kind.apiVersion}`;
    const path = namespace === null ? `${prefix}/${kind.resource}` : `${prefix}/namespaces/${encodeURIComponent(namespace)}/${kind.resource}`;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const items: KubeObject[] = [];
      let token: string | undefined;
      let expired = false;
      do {
        const query = new URLSearchParams({ limit: String(pageSize) });
        if (token !== undefined) query.set('continue', token);
        const response = await this.get(`${path}?${query.toString()}`);
        if (response.status === 410 && token !== undefined) {
          expired = true; // the continue token expired (the list took longer than etcd's compaction window)
          break;
        }
        if (response.status !== 200) return { items: [], access: this.failedList(kind, namespace, response) };
        let page: { items?: unknown; metadata?: { continue?: unknown } };
        try {
          page = JSON.parse(response.body) as typeof page;
        } catch {
          return { items: [], access: accessEntry(kind, namespace, 'error', 0, { message: `the API server sent a ${kind.resource} list that is not JSON` }) };
        }
        for (const item of Array.isArray(page.items) ? page.items : []) {
          if (typeof item !== 'object' || item === null) continue;
          // List items carry no apiVersion or kind; objects in facts always do.
          const object = { ...(item as Record<string, unknown>), apiVersion: kind.apiVersion, kind: kind.kind } as KubeObject;
          if (typeof object.metadata !== 'object' || object.metadata === null) continue;
          items.push(sanitizeObject(object));
        }
        onPage(items.length);
        token = typeof page.metadata?.continue === 'string' && page.metadata.continue !== '' ? page.metadata.continue : undefined;
      } while (token !== undefined);
      if (!expired) return { items, access: accessEntry(kind, namespace, 'listed', items.length) };
    }
    return { items: [], access: accessEntry(kind, namespace, 'error', 0, { message: `the ${kind.resource} list kept expiring (410 Gone) while kharden paged through it` }) };
  }

  private failedList(kind: ClusterKind, namespace: string | null, response: Response): KindAccess {
    const message = statusMessage(response);
    if (response.status === 403) {
      return accessEntry(kind, namespace, 'forbidden', 0, {
        missing: { verb: 'list', resource: kind.resource, group: kind.group, namespace },
        message: message ?? `forbidden: needs ${describePermission('list', kind)}`,
      });
    }
    if (response.status === 404) {
      return accessEntry(kind, namespace, 'not-served', 0, { message: `the API server does not serve ${kind.apiVersion} ${kind.resource}` });
    }
    return accessEntry(kind, namespace, 'error', 0, { message: `HTTP ${response.status}${message === null ? '' : `: ${message}`}` });
  }

  private get(path: string): Promise<Response> {
    const url = new URL(path, this.base);
    const transport = url.protocol === 'http:' ? http : https;
    const headers = { ...(this.options.headers as Record<string, string> | undefined), Accept: 'application/json', 'User-Agent': `kharden/${khardenVersion}` };
    return new Promise<Response>((resolve, reject) => {
      const request = transport.request(url, { ...this.options, method: 'GET', headers, timeout: this.timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => reject(this.transportError(error)));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const body = Buffer.concat(chunks).toString('utf8');
          if (status === 401) {
            reject(
              collectError(
                `the API server ${this.server} rejected the credentials of context ${this.context ?? '-'} (401 Unauthorized): the token or client certificate is invalid, expired or unknown to this cluster`,
              ),
            );
            return;
          }
          resolve({ status, body });
        });
      });
      request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'KHARDEN_TIMEOUT' })));
      request.on('error', (error) => reject(this.transportError(error)));
      request.end();
    });
  }

  private transportError(error: unknown): KhardenError {
    if (isKhardenError(error)) return error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const cause = describeTransportCode(code, this.timeoutMs) ?? firstLine(error);
    const tls = tlsCodes.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code.startsWith('CERT_');
    const what = tls ? `TLS connection to the API server ${this.server} failed` : `cannot reach the API server ${this.server}`;
    return collectError(`${what} (context ${this.context ?? '-'}): ${cause}${code === '' ? '' : ` (${code})`}`, error);
  }
}

const tlsCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

function describeTransportCode(code: string, timeoutMs: number): string | null {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running and is this the right port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the host';
    case 'ETIMEDOUT':
    case 'KHARDEN_TIMEOUT':
      return `no answer within ${Math.round(timeoutMs / 1000)} s`;
    case 'ECONNRESET':
      return 'the connection was reset (a TLS or proxy problem, or the server stopped)';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return "the server's certificate is not signed by the kubeconfig's certificate-authority";
    case 'CERT_HAS_EXPIRED':
      return "the server's certificate has expired";
    case 'CERT_NOT_YET_VALID':
      return "the server's certificate is not valid yet (check the clock)";
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return "the server's certificate is not issued for this host name or address";
    default:
      return null;
  }
}

function statusMessage(response: Response): string | null {
  try {
    const status = JSON.parse(response.body) as { message?: unknown };
    return typeof status.message === 'string' ? status.message : null;
  } catch {
    return null;
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
