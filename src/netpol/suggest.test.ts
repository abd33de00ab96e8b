import { describe, expect, it } from 'vitest';
import type { SourcedObject } from '../facts/kube-object.ts';
import { analyzeObjects } from './analysis.ts';
import { explainFlow } from './flow-evaluation.ts';
import { checkSuggestion } from './suggest-check.ts';
import { serviceReferences, suggestPolicies } from './suggest.ts';
import { yamlObjects } from './yaml-objects.fixture.ts';

const shop = yamlObjects(`
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: data}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      serviceAccountName: web
      containers:
      - name: web
        ports: [{containerPort: 8080, name: http}]
        env:
        - {name: DB_HOST, value: "postgres.data.svc.cluster.local:5432"}
        envFrom: [{configMapRef: {name: web-config}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {CACHE_URL: "redis://cache.data:6379"}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web-public, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 443, targetPort: 8443}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-reads-config, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
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
apiVersion: v1
kind: Service
metadata: {name: postgres, namespace: data}
spec: {selector: {app: postgres}, ports: [{port: 5432}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cache, namespace: data}
spec:
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec: {containers: [{name: redis, ports: [{containerPort: 6379}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: cache, namespace: data}
spec: {selector: {app: cache}, ports: [{port: 6379, targetPort: 6379}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: traefik, namespace: kube-system}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: traefik}}
  template:
    metadata: {labels: {app.kubernetes.io/name: traefik}}
    spec: {containers: [{name: traefik}]}
`);

const names = (policies: ReturnType<typeof suggestPolicies>): string[] => policies.map((policy) => policy.object.metadata.name ?? '');

function withSuggestions(objects: readonly SourcedObject[], ...namespaces: string[]) {
  const generated = namespaces.flatMap((namespace) => suggestPolicies(namespace, objects.map((entry) => entry.object)));
  return analyzeObjects([
    ...objects,
    ...generated.map((policy, index): SourcedObject => ({ object: policy.object, origin: { kind: 'file', path: 'suggested', document: index, line: 1 } })),
  ]);
}

describe('suggestPolicies', () => {
  it('isolates the namespace and keeps what its objects show', () => {
    const policies = suggestPolicies('shop', shop.map((entry) => entry.object));
    expect(names(policies)).toEqual([
      'default-deny',
      'allow-same-namespace',
      'allow-dns',
      'allow-external-to-web-public',
      'allow-ingress-controller-to-web',
      'allow-web-to-data-postgres',
      'allow-web-to-data-cache',
      'allow-web-to-api-server',
    ]);
    for (const policy of policies) expect(policy.purpose).not.toBe('');
    expect(policies.find((policy) => policy.object.metadata.name === 'allow-web-to-api-server')?.purpose).toContain('6443');
  });

  it('generates only valid policies, isolates every pod and keeps DNS', () => {
    const objects = shop;
    for (const namespace of ['shop', 'data']) {
      const check = checkSuggestion(namespace, objects, suggestPolicies(namespace, objects.map((entry) => entry.object)));
      expect(check).toEqual({ invalid: [], notIsolated: { ingress: [], egress: [] }, dnsBlocked: [] });
    }
  });

  it('the flows the objects show still work once both namespaces are isolated, and others do not', () => {
    const analysis = withSuggestions(shop, 'shop', 'data');
    const endpoint = (key: string) => {
      const found = analysis.inventory.byKey.get(key);
      if (found === undefined) throw new Error(`no ${key}`);
      return found;
    };
    const allowed = (from: string, to: string, port: number) =>
      explainFlow(analysis, { from: endpoint(from), to: endpoint(to), port, protocol: 'TCP' }).verdict.allowed;
    expect(allowed('shop/deployment/web', 'data/statefulset/postgres', 5432)).toBe('yes');
    expect(allowed('shop/deployment/web', 'data/deployment/cache', 6379)).toBe('yes');
    expect(allowed('kube-system/deployment/traefik', 'shop/deployment/web', 8080)).toBe('yes');
    expect(allowed('data/deployment/cache', 'shop/deployment/web', 8080)).toBe('no');
    expect(allowed('shop/deployment/web', 'data/statefulset/postgres', 22)).toBe('no');
    expect(allowed('shop/deployment/web', 'shop/deployment/web', 8080)).toBe('yes');
  });

  it('reproduces the k3s hardening guide set for kube-system', () => {
    const policies = suggestPolicies('kube-system', [], { profile: 'k3s-guide' });
    expect(names(policies)).toEqual([
      'intra-namespace',
      'default-network-dns-policy',
      'allow-all-metrics-server',
      'allow-all-svclbtraefik-ingress',
      'allow-all-traefik-v121-ingress',
    ]);
    expect(policies[0]?.object).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'intra-namespace', namespace: 'kube-system', labels: { 'app.kubernetes.io/managed-by': 'kharden' } },
      spec: {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }] }],
        policyTypes: ['Ingress'],
      },
    });
    expect(names(suggestPolicies('kube-system', [], { profile: 'k3s-guide', components: { coredns: true, metricsServer: false, traefik: false, servicelb: true } }))).toEqual([
      'intra-namespace',
      'default-network-dns-policy',
    ]);
    expect(names(suggestPolicies('default', [], { profile: 'k3s-guide' }))).toEqual(['intra-namespace']);
  });

  it('finds Service references in configuration text', () => {
    const services = new Map([['data/postgres', { name: 'postgres', namespace: 'data', type: 'ClusterIP', selector: { app: 'pg' }, exposed: false, ports: [] }]]);
    const found = (text: string) => serviceReferences(text, services).map((service) => service.name);
    expect(found('postgres://postgres.data:5432/db')).toEqual(['postgres']);
    expect(found('host=postgres.data.svc')).toEqual(['postgres']);
    expect(found('postgres.data.svc.cluster.local')).toEqual(['postgres']);
    expect(found('mypostgres.data')).toEqual([]);
    expect(found('postgres.database')).toEqual([]);
  });
});
