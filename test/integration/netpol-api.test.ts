/**
 * NetworkPolicy analysis against a real kube-apiserver (kine + SQLite, k3s flags):
 * - every policy `suggestPolicies` generates (both profiles, every namespace) is accepted on a server-side
 *   create with strict field validation;
 * - invalid policies are rejected by the API server with exactly the field errors kharden reports;
 * - the objects read back from the live cluster (pods created by the controllers, Pending, no address)
 *   give the same matrix and the same lint findings as the same objects from manifests, and the CLI
 *   gives the same JSON matrix for --cluster and --manifests.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { collectClusterFacts } from '../../src/collect/cluster.ts';
import type { SourcedObject } from '../../src/facts/kube-object.ts';
import { analyzeObjects, type NetpolAnalysis } from '../../src/netpol/analysis.ts';
import { lintPolicies } from '../../src/netpol/lint/index.ts';
import { buildMatrixView, type MatrixView } from '../../src/netpol/matrix-view.ts';
import { portSetKey } from '../../src/netpol/port-set.ts';
import { readNetworkPolicy } from '../../src/netpol/read-policy.ts';
import { suggestPolicies } from '../../src/netpol/suggest.ts';
import { runKharden as kharden } from '../cli-in-process.ts';
import { startControlPlane, type ControlPlane } from '../control-plane/control-plane.ts';
import { AdminApi, type ApiObject, collectionPath } from './cluster-audit.fixture.ts';

// ------------------------------------------------------------------ the cluster

const namespace = (name: string, labels: Record<string, string> = {}): ApiObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const workload = (kind: 'Deployment' | 'StatefulSet', ns: string, name: string, ports: Array<{ containerPort: number; name?: string; protocol?: string }>, replicas = 1, env: unknown[] = []): ApiObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name, namespace: ns },
  spec: {
    replicas,
    ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name, tier: ns } }, spec: { containers: [{ name: 'main', image: 'registry.example/app:1', ports, env }] } },
  },
});
const service = (ns: string, name: string, ports: Array<{ port: number; targetPort?: number | string; protocol?: string }>, type = 'ClusterIP'): ApiObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { type, selector: { app: name }, ports },
});
const policy = (ns: string, name: string, spec: Record<string, unknown>): ApiObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec,
});

const namespaces = [namespace('shop', { team: 'shop' }), namespace('data', { team: 'data' }), namespace('ops')];
const workloads: ApiObject[] = [
  workload('Deployment', 'shop', 'web', [{ containerPort: 8080, name: 'http' }], 2, [{ name: 'DB', value: 'postgres.data.svc.cluster.local:5432' }]),
  workload('Deployment', 'shop', 'worker', [{ containerPort: 9090, name: 'metrics' }]),
  workload('StatefulSet', 'data', 'postgres', [{ containerPort: 5432, name: 'pg' }]),
  workload('Deployment', 'data', 'cache', [{ containerPort: 6379 }, { containerPort: 6379, name: 'redis-udp', protocol: 'UDP' }]),
  workload('Deployment', 'ops', 'prometheus', [{ containerPort: 9090, name: 'web' }]),
  workload('Deployment', 'kube-system', 'coredns', [
    { containerPort: 53, name: 'dns', protocol: 'UDP' },
    { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
  ]),
];
// Pods created by the controllers carry the template labels: coredns must be labelled like k3s's.
(((workloads[5]?.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels)['k8s-app'] = 'kube-dns');
const services = [service('shop', 'web', [{ port: 80, targetPort: 'http' }], 'LoadBalancer'), service('data', 'postgres', [{ port: 5432 }]), service('data', 'cache', [{ port: 6379 }])];
const policies: ApiObject[] = [
  policy('data', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  policy('data', 'postgres-from-shop-web', {
    podSelector: { matchLabels: { app: 'postgres' } },
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'shop' } }, podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'pg' }] }],
    policyTypes: ['Ingress'],
  }),
  policy('data', 'cache-or', {
    podSelector: { matchLabels: { app: 'cache' } },
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'shop' } } }, { podSelector: { matchLabels: { app: 'postgres' } } }], ports: [{ port: 6379 }, { port: 'redis-udp', protocol: 'UDP' }] }],
  }),
  policy('shop', 'web-ingress', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [{ ports: [{ port: 8080, endPort: 8090 }] }, { from: [{ namespaceSelector: {} }], ports: [{ port: 'metrics' }] }],
    egress: [{ to: [{ ipBlock: { cidr: '10.42.0.0/16', except: ['10.42.7.0/24'] } }] }, { ports: [{ port: 53, protocol: 'UDP' }] }],
    policyTypes: ['Ingress', 'Egress'],
  }),
  policy('ops', 'scrape', {
    podSelector: {},
    egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }], ports: [{ port: 'metrics' }, { port: 9090 }] }],
    policyTypes: ['Egress'],
  }),
];

const invalidPolicies: ApiObject[] = [
  policy('ops', 'peer-without-field', { podSelector: {}, ingress: [{ from: [{}] }] }),
  policy('ops', 'except-outside', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }] }] }),
  policy('ops', 'endport-named', { podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] }),
  policy('ops', 'bad-cidr', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.300/8' } }] }] }),
  policy('ops', 'many', {
    podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] },
    ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }], ports: [{ port: 70000, protocol: 'ICMP' }] }],
    policyTypes: ['Ingress', 'Outgress'],
  }),
];

const manifestObjects = [...namespaces, ...workloads, ...services, ...policies];
const sourced = (objects: readonly ApiObject[]): SourcedObject[] =>
  objects.map((object, index) => ({ object: object as SourcedObject['object'], origin: { kind: 'file', path: 'cluster.yaml', document: index, line: 1 } }));

// ------------------------------------------------------------------ helpers

/** A view as comparable data: per cell the allowed ports and pair counts. */
function cellsOf(view: MatrixView): Record<string, string> {
  const cells: Record<string, string> = {};
  view.labels.forEach((from, row) => {
    view.labels.forEach((to, column) => {
      const cell = view.cell(row, column);
      cells[`${from} -> ${to}`] = `${portSetKey(cell.sure)} | ${portSetKey(cell.possible)} | ${cell.pairs} ${cell.allPorts} ${cell.somePorts} ${cell.noPorts} ${cell.undecided}`;
    });
  });
  return cells;
}

function lintSummary(analysis: NetpolAnalysis): string[] {
  return lintPolicies(analysis, { namespaces: ['shop', 'data', 'ops'] }).map((finding) => `${finding.check} ${finding.policy ?? finding.namespace} ${finding.field ?? ''} ${finding.severity}`);
}

// ------------------------------------------------------------------ the tests

let cp: ControlPlane;
let api: AdminApi;
let work: string;

beforeAll(async () => {
  cp = await startControlPlane();
  api = new AdminApi(cp);
  work = await mkdtemp(path.join(tmpdir(), 'kharden-netpol-it-'));
  await api.createAll(namespaces);
  for (const ns of ['shop', 'data', 'ops']) await cp.waitForServiceAccount(ns);
  await api.createAll([...workloads, ...policies]);
  // The shared test writer does not know Services: post them directly.
  for (const object of services) {
    const response = await api.send('POST', `/api/v1/namespaces/${object.metadata.namespace ?? 'default'}/services`, object);
    if (response.status !== 201) throw new Error(`create Service ${object.metadata.name}: HTTP ${response.status} ${response.body.slice(0, 300)}`);
  }
  // The controllers create the pods (Pending: there is no kubelet): 2 web, 1 worker, 1 postgres, 1 cache, 1 prometheus, 1 coredns.
  await api.waitFor('the workloads\' pods', async () => {
    const pods = await api.list('v1', 'Pod');
    return pods.length >= 7;
  });
}, 180_000);

afterAll(async () => {
  api?.close();
  await cp?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe('suggested policies on a real API server', () => {
  it('every policy suggest generates is accepted (server-side create, strict field validation)', async () => {
    const objects = manifestObjects.map((object) => object as SourcedObject['object']);
    const generated = [
      ...['shop', 'data', 'ops', 'kube-system', 'default'].flatMap((ns) => suggestPolicies(ns, objects)),
      ...['kube-system', 'kube-public', 'default'].flatMap((ns) =>
        suggestPolicies(ns, objects, { profile: 'k3s-guide', labels: { 'app.kubernetes.io/managed-by': 'kharden', profile: 'k3s-guide' } }),
      ),
    ];
    expect(generated.length).toBeGreaterThan(20);
    const failures: string[] = [];
    const seen = new Set<string>();
    for (const { object } of generated) {
      const metadata = object.metadata as { name: string; namespace: string };
      // Both profiles name some policies alike; keep the first of each name.
      const key = `${metadata.namespace}/${metadata.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // A name the test's own policies already use gets a suffix (the spec is what is validated).
      const taken = policies.some((existing) => existing.metadata.namespace === metadata.namespace && existing.metadata.name === metadata.name);
      const body = taken ? { ...object, metadata: { ...object.metadata, name: `${metadata.name}-suggested` } } : object;
      const response = await api.send('POST', `${collectionPath(object.apiVersion, object.kind, metadata.namespace)}?fieldValidation=Strict`, body);
      if (response.status !== 201) failures.push(`${key}: HTTP ${response.status} ${response.body.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  });

  it('an invalid policy is rejected with the field errors kharden reports', async () => {
    for (const object of invalidPolicies) {
      const response = await api.send('POST', collectionPath(object.apiVersion, object.kind, object.metadata.namespace), object);
      expect(response.status, object.metadata.name).toBe(422);
      const status = JSON.parse(response.body) as { details: { causes: Array<{ field: string; message: string }> } };
      const fromServer = status.details.causes.map((cause) => `${cause.field}: ${cause.message}`).sort();
      const ours = readNetworkPolicy(sourced([object])[0] as SourcedObject, 'default')
        .problems.map((problem) => problem.message)
        .sort();
      expect(ours, object.metadata.name).toEqual(fromServer);
    }
  });
});

describe('the live cluster and the manifests give the same answers', () => {
  let fromCluster: NetpolAnalysis;
  let fromManifests: NetpolAnalysis;

  beforeAll(async () => {
    const facts = await collectClusterFacts({ kubeconfig: cp.kubeconfigPath, kinds: ['Namespace', 'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'NetworkPolicy'] });
    // The suggested policies of the first test are in the cluster too; compare the same objects.
    const livePolicies = facts.objects.filter((entry) => entry.object.kind === 'NetworkPolicy');
    fromCluster = analyzeObjects(facts.objects);
    fromManifests = analyzeObjects([
      ...sourced([...namespaces, ...workloads]),
      ...livePolicies.map((entry, index) => ({ object: entry.object, origin: { kind: 'file' as const, path: 'policies.yaml', document: index, line: 1 } })),
    ]);
  });

  it('reads the pods the controllers made, without addresses, as the workloads they belong to', () => {
    const web = fromCluster.inventory.workloads.get('shop/deployment/web');
    expect(web?.endpoints.map((endpoint) => endpoint.kind)).toEqual(['pod', 'pod']);
    expect(web?.endpoints.every((endpoint) => endpoint.ips.length === 0)).toBe(true);
    expect(fromManifests.inventory.workloads.get('shop/deployment/web')?.endpoints.map((endpoint) => endpoint.kind)).toEqual(['workload']);
  });

  it('the same matrix by workload and by namespace', () => {
    for (const by of ['workload', 'namespace'] as const) {
      const live = buildMatrixView(fromCluster, { by });
      const files = buildMatrixView(fromManifests, { by });
      expect(live.labels).toEqual(files.labels);
      expect(cellsOf(live)).toEqual(cellsOf(files));
    }
    // And not trivially: postgres admits shop/web only, on its named port.
    const view = buildMatrixView(fromCluster, { by: 'workload' });
    const cells = cellsOf(view);
    expect(cells['shop/deployment/web -> data/statefulset/postgres']?.startsWith('TCP:5432 |')).toBe(true);
    expect(cells['shop/deployment/worker -> data/statefulset/postgres']?.startsWith(' |')).toBe(true);
  });

  it('the same lint findings', () => {
    expect(lintSummary(fromCluster)).toEqual(lintSummary(fromManifests));
  });

  it('the CLI gives the same JSON matrix for --cluster and --manifests', async () => {
    const file = path.join(work, 'cluster.yaml');
    const livePolicies = await api.list('networking.k8s.io/v1', 'NetworkPolicy');
    await writeFile(file, [...namespaces, ...workloads, ...livePolicies].map((object) => stringify(object)).join('---\n'));
    const live = await kharden('netpol', 'matrix', '--cluster', '--kubeconfig', cp.kubeconfigPath, '--by', 'workload', '-f', 'json', '--port', '5432,6379,53/UDP');
    const files = await kharden('netpol', 'matrix', '--manifests', file, '--by', 'workload', '-f', 'json', '--port', '5432,6379,53/UDP');
    expect(live.code).toBe(0);
    expect(files.code).toBe(0);
    const cells = (text: string) => (JSON.parse(text) as { cells: unknown[] }).cells;
    expect(cells(live.stdout)).toEqual(cells(files.stdout));
  });
});
