/**
 * Builders for section-5 unit tests: small Kubernetes objects and a ClusterAuditInput around them.
 * Test support only (imported by *.test.ts files).
 */
import { khardenVersion } from '../../core/version.ts';
import { clusterKinds, type ClusterFacts, type KindAccess } from '../../facts/cluster-facts.ts';
import type { KubeObject } from '../../facts/kube-object.ts';
import type { BenchmarkContext } from '../control.ts';
import { clusterAuditInput, type ClusterAuditInput } from './input.ts';
import type { Assessment } from './verdict.ts';

export interface TestClusterOptions {
  mode?: 'cluster' | 'manifests';
  /** Kinds whose list was forbidden (cluster mode). */
  forbidden?: readonly string[];
}

export function testCluster(objects: readonly KubeObject[], options: TestClusterOptions = {}): ClusterAuditInput {
  const mode = options.mode ?? 'cluster';
  const access: KindAccess[] = clusterKinds.map((entry) => {
    const forbidden = options.forbidden?.includes(entry.kind) ?? false;
    return {
      kind: entry.kind,
      apiVersion: entry.apiVersion,
      resource: entry.resource,
      group: entry.group,
      namespace: null,
      state: forbidden ? 'forbidden' : mode === 'cluster' ? 'listed' : 'files',
      count: 0,
      ...(forbidden ? { missing: { verb: 'list', resource: entry.resource, group: entry.group, namespace: null } } : {}),
    };
  });
  const facts: ClusterFacts = {
    apiVersion: 'kharden.dev/v1',
    kind: 'ClusterFacts',
    collectedAt: '2026-01-01T00:00:00Z',
    collector: { kharden: khardenVersion, mode },
    server: mode === 'cluster' ? { url: 'https://127.0.0.1:6443', context: 'default', version: 'v1.33.4+k3s1' } : null,
    files: [],
    access,
    objects: objects
      .filter((object) => !(options.forbidden ?? []).includes(object.kind))
      .map((object, index) =>
        mode === 'cluster'
          ? { object, origin: { kind: 'cluster' as const, server: 'https://127.0.0.1:6443' } }
          : { object, origin: { kind: 'file' as const, path: 'objects.yaml', document: index, line: index * 10 + 1 } },
      ),
    problems: [],
    notes: [],
  };
  return clusterAuditInput(facts);
}

export function benchmark(assessment?: Assessment, params: Record<string, string | number | boolean | readonly string[]> = {}): BenchmarkContext {
  return { id: 'k3s-cis-test', params: assessment === undefined ? params : { ...params, assessment } };
}

export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function serviceAccount(ns: string, name: string, automount?: boolean): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns }, ...(automount === undefined ? {} : { automountServiceAccountToken: automount }) };
}

type Spec = Record<string, unknown>;

/** A pod spec with one container `app`, merged with `spec`; `container` is merged into the container. */
export function podSpec(spec: Spec = {}, container: Spec = {}): Spec {
  return { containers: [{ name: 'app', image: 'registry.example/app:1', ...container }], ...spec };
}

export function pod(ns: string, name: string, spec: Spec = podSpec(), metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, ...metadata }, spec };
}

export function deployment(ns: string, name: string, spec: Spec = podSpec(), uid?: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, ...(uid === undefined ? {} : { uid }) },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
  };
}

export function ownedPod(ns: string, name: string, owner: { kind: string; name: string; uid: string }, spec: Spec = podSpec()): KubeObject {
  return pod(ns, name, spec, { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: owner.uid, controller: true }] });
}

export interface Rule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export function clusterRole(name: string, rules: Rule[], labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules };
}

export function role(ns: string, name: string, rules: Rule[]): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns }, rules };
}

export interface SubjectSpec {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

export function clusterRoleBinding(name: string, roleName: string, subjects: SubjectSpec[], labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects,
  };
}

export function roleBinding(ns: string, name: string, roleRef: { kind: 'Role' | 'ClusterRole'; name: string }, subjects: SubjectSpec[]): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects,
  };
}

export function networkPolicy(ns: string, name: string): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
}

export function node(name: string, args: readonly string[] | null, kubeletVersion = 'v1.33.4+k3s1'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, ...(args === null ? {} : { annotations: { 'k3s.io/node-args': JSON.stringify(args) } }) },
    status: { nodeInfo: { kubeletVersion } },
  };
}

export function webhook(kind: 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration', name: string): KubeObject {
  return { apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name }, webhooks: [] };
}
