/**
 * `kharden netpol ...` as a user runs it: what it prints, its exit codes, its formats.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runKharden as kharden } from '../../../test/cli-in-process.ts';

const cluster = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: v1
kind: Namespace
metadata: {name: data}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web}}
spec: {containers: [{name: web, ports: [{containerPort: 8080, name: http}]}]}
status: {podIP: 10.42.1.5}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: postgres, namespace: data}
spec:
  selector: {matchLabels: {app: postgres}}
  template:
    metadata: {labels: {app: postgres}}
    spec: {containers: [{name: pg, ports: [{containerPort: 5432, name: pg}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: data}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: postgres-from-shop, namespace: data}
spec:
  podSelector: {matchLabels: {app: postgres}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: shop}}
      podSelector: {matchLabels: {app: web}}
    ports: [{port: pg}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: broken, namespace: data}
spec:
  podSelector: {}
  ingress: [{from: [{}]}]
`;

let dir: string;
let manifests: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kharden-netpol-'));
  manifests = join(dir, 'cluster.yaml');
  writeFileSync(manifests, cluster);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('kharden netpol matrix', () => {
  it('prints the pod matrix with allowed ports, and warns about the invalid policy on stderr', async () => {
    const run = await kharden('netpol', 'matrix', manifests, '--no-color');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 pod(s) and 1 workload template(s)');
    // Long names: numbered columns, rows `N name`.
    const row = run.stdout.split('\n').find((line) => line.startsWith('2 shop/web-1'));
    expect(row?.split(/\s+/)).toEqual(['2', 'shop/web-1', '5432/TCP', 'self']);
    expect(run.stderr).toContain('NetworkPolicy data/broken: spec.ingress[0].from[0]: Required value: must specify a peer');
  });

  it('groups by namespace and judges given ports', async () => {
    const run = await kharden('netpol', 'matrix', '--manifests', manifests, '--by', 'namespace', '--port', '5432', '--port', '22');
    const lines = run.stdout.split('\n');
    const grid = (title: string): string[] => {
      const start = lines.findIndex((line) => line.startsWith(title));
      return lines.slice(start + 2, start + 4).map((line) => line.replace(/\s+/g, ' ').trim());
    };
    // data has one pod (no pair inside it) and denies all egress; shop reaches data on 5432 only.
    expect(grid('5432/TCP')).toEqual(['data X', 'shop .']);
    expect(grid('22/TCP')).toEqual(['data X', 'shop X']);
  });

  it('writes CSV and JSON', async () => {
    const csv = await kharden('netpol', 'matrix', manifests, '-f', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe('from,to,pairs,allowed_ports,possibly_allowed_ports,pairs_all_ports,pairs_some_ports,pairs_no_ports,pairs_undecided,k3s_differs');
    expect(csv.stdout).toContain('shop/web-1,data/statefulset/postgres,1,TCP:5432,TCP:5432,0,1,0,0,false');
    const output = join(dir, 'matrix.json');
    const json = await kharden('netpol', 'matrix', manifests, '-f', 'json', '-o', output);
    expect(json.stdout).toBe('');
    const parsed = JSON.parse(readFileSync(output, 'utf8')) as { kind: string; labels: string[]; cells: Array<{ from: string; to: string; allowedPorts: string }>; problems: unknown[] };
    expect(parsed.kind).toBe('NetpolMatrix');
    expect(parsed.labels).toEqual(['data/statefulset/postgres', 'shop/web-1']);
    expect(parsed.cells.find((cell) => cell.from === 'data/statefulset/postgres' && cell.to === 'shop/web-1')?.allowedPorts).toBe('');
    expect(parsed.problems).toHaveLength(1);
  });

  it('refuses a bad flag value and no input with exit 2', async () => {
    expect((await kharden('netpol', 'matrix', manifests, '--port', 'http')).code).toBe(2);
    expect((await kharden('netpol', 'matrix', manifests, '--cluster-cidr', '10.42.0.0')).code).toBe(2);
    const none = await kharden('netpol', 'matrix');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('nothing to analyse');
  });
});

describe('kharden netpol with a cluster snapshot', () => {
  const facts = (access: unknown[]) => ({
    apiVersion: 'kharden.dev/v1',
    kind: 'ClusterFacts',
    collectedAt: '2026-01-01T00:00:00Z',
    collector: { kharden: 'test', mode: 'cluster' },
    server: { url: 'https://10.0.0.1:6443', context: 'default', version: 'v1.33.4+k3s1' },
    files: [],
    access,
    objects: [
      { object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, origin: { kind: 'cluster', server: 'https://10.0.0.1:6443' } },
      { object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, status: { podIP: '10.42.0.9' } }, origin: { kind: 'cluster', server: 'https://10.0.0.1:6443' } },
    ],
    problems: [],
    notes: [],
  });
  const entry = (kind: string, state: string, missing?: unknown) => ({ kind, apiVersion: 'v1', resource: kind.toLowerCase(), group: '', namespace: null, state, count: 0, ...(missing === undefined ? {} : { missing }) });

  it('reads the objects of a ClusterFacts snapshot', async () => {
    const file = join(dir, 'cluster.json');
    writeFileSync(file, JSON.stringify(facts([entry('Namespace', 'listed'), entry('Pod', 'listed'), entry('NetworkPolicy', 'listed')])));
    const run = await kharden('netpol', 'matrix', '--snapshot', file);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('snapshot ' + file + ': 1 pod(s) in 1 namespace(s), 0 NetworkPolicy(ies)');
  });

  it('refuses to judge without the NetworkPolicies (exit 3, naming the permission)', async () => {
    const file = join(dir, 'cluster.json');
    writeFileSync(
      file,
      JSON.stringify(facts([entry('Namespace', 'listed'), entry('NetworkPolicy', 'forbidden', { verb: 'list', resource: 'networkpolicies', group: 'networking.k8s.io', namespace: null })])),
    );
    const run = await kharden('netpol', 'lint', '--snapshot', file);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('NetworkPolicy objects could not be read from snapshot');
    expect(run.stderr).toContain('needs list networkpolicies');
  });
});

describe('kharden netpol explain', () => {
  it('explains an allowed connection through a named port and a workload', async () => {
    const run = await kharden('netpol', 'explain', 'shop/web-1', 'data/statefulset/postgres', '5432', '--manifests', manifests, '--no-color');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('shop/web-1 -> data/statefulset/postgres on 5432/TCP: ALLOWED');
    expect(run.stdout).toContain('data/postgres-from-shop spec.ingress[0]: allows');
    expect(run.stdout).toContain('pg is 5432/TCP on data/statefulset/postgres');
  });

  it('explains a denial by an address outside the cluster, and the egress default deny', async () => {
    const run = await kharden('netpol', 'explain', 'data/statefulset/postgres', '1.1.1.1', '443', '--manifests', manifests);
    expect(run.stdout).toContain('DENIED');
    expect(run.stdout).toContain('isolated by data/default-deny');
    expect(run.stdout).toContain('no egress rules in these policies: nothing is allowed');
  });

  it('names an unknown pod (exit 2)', async () => {
    const run = await kharden('netpol', 'explain', 'shop/nope', 'data/postgres', '80', '--manifests', manifests);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no pod shop/nope in the input (namespace shop has shop/web-1)');
  });

  it('gives JSON with both semantics', async () => {
    const run = await kharden('netpol', 'explain', 'shop/web-1', 'data/postgres', 'pg', '--manifests', manifests, '-f', 'json');
    const parsed = JSON.parse(run.stdout) as { allowed: string; pairs: Array<{ verdict: { ingress: { isolatedBy: string[] } }; k3s: unknown }> };
    expect(parsed.allowed).toBe('yes');
    expect(parsed.pairs[0]?.verdict.ingress.isolatedBy).toEqual(['data/default-deny', 'data/postgres-from-shop']);
    expect(parsed.pairs[0]?.k3s).toBeNull();
  });
});

describe('kharden netpol assert', () => {
  it('passes when every flow holds, fails (exit 1) with the explanation when one does not', async () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, '- {from: shop/web-1, to: data/statefulset/postgres, port: 5432, expect: allow}\n- {from: data/postgres, to: 8.8.8.8, port: 53, protocol: UDP, expect: deny}\n');
    const pass = await kharden('netpol', 'assert', good, manifests);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain('2 flow(s): 2 hold, 0 do not');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'flows:\n- {name: web to pg ssh, from: shop/web-1, to: data/postgres, port: 22, expect: allow}\n');
    const fail = await kharden('netpol', 'assert', bad, manifests, '--no-color');
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('FAIL flow 1 (web to pg ssh): shop/web-1 -> data/postgres 22/TCP: expected allow, DENIED');
    expect(fail.stdout).toContain('pg is 5432/TCP on data/statefulset/postgres, not 22');
    const json = JSON.parse((await kharden('netpol', 'assert', bad, manifests, '-f', 'json')).stdout) as { summary: { fail: number }; flows: Array<{ holds: boolean }> };
    expect(json.summary.fail).toBe(1);
    expect(json.flows[0]?.holds).toBe(false);
  });

  it('a flows file that is not one, or names no pod, is an input error (exit 2)', async () => {
    const wrong = join(dir, 'wrong.yaml');
    writeFileSync(wrong, '- {from: shop/web-1, to: data/postgres, port: 22, expect: maybe}\n');
    const run = await kharden('netpol', 'assert', wrong, manifests);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not a flows file at [0].expect');
    const missing = join(dir, 'missing.yaml');
    writeFileSync(missing, '- {from: shop/api, to: data/postgres, port: 22, expect: deny}\n');
    const run2 = await kharden('netpol', 'assert', missing, manifests);
    expect(run2.code).toBe(2);
    expect(run2.stderr).toContain('flow 1 (shop/api -> data/postgres): no pod shop/api in the input');
  });
});

describe('kharden netpol lint', () => {
  it('lists findings with policy and field, exits 1 on warnings, 0 with --fail-on never', async () => {
    const run = await kharden('netpol', 'lint', manifests, '--no-color');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('error   netpol.invalid NetworkPolicy data/broken spec.ingress[0].from[0]');
    expect(run.stdout).toContain('netpol.dns-blocked NetworkPolicy data/default-deny spec.egress');
    expect(run.stdout).toContain('netpol.namespace-without-policies');
    expect((await kharden('netpol', 'lint', manifests, '--fail-on', 'never')).code).toBe(0);
    const json = JSON.parse((await kharden('netpol', 'lint', manifests, '-f', 'json', '-n', 'shop')).stdout) as { findings: Array<{ namespace: string | null }> };
    expect(json.findings.every((finding) => finding.namespace === 'shop' || finding.namespace === null)).toBe(true);
  });
});

describe('kharden netpol suggest', () => {
  it('prints valid manifests with their reasons, and needs -n', async () => {
    const run = await kharden('netpol', 'suggest', '-n', 'shop', manifests);
    expect(run.code).toBe(0);
    const documents = parseAllDocuments(run.stdout).map((document) => document.toJS() as { kind?: string; metadata?: { name: string } } | null);
    expect(documents.filter((document) => document?.kind === 'NetworkPolicy').map((document) => document?.metadata?.name)).toEqual([
      'default-deny',
      'allow-same-namespace',
      'allow-dns',
    ]);
    expect(run.stdout).toContain('# every pod can resolve names');
    expect(run.stdout).toContain('# DNS (kube-dns 53/UDP+TCP) stays reachable');
    expect((await kharden('netpol', 'suggest', manifests)).code).toBe(2);
  });
});
