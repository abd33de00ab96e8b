import { z } from 'zod';
import type { ObjectOrigin, SourcedObject } from '../../facts/kube-object.ts';
import { k3sControlPlaneBinding, type K3sControlPlaneBinding } from '../../k3s/control-plane-rbac.ts';
import { describeRef, type ObjectRef } from './pod-specs.ts';

/**
 * RBAC as the API server's authorizer evaluates it, over the objects in hand: who is granted what, where.
 * Rule matching follows rbac/v1 (VerbMatches, APIGroupMatches, ResourceMatches with `*` and `*` + `/subresource`,
 * ResourceNameMatches); ClusterRole aggregation is recomputed from the labels so that manifests (where
 * the controller has not filled `rules` in yet) give the same answer as the cluster.
 */

const ruleSchema = z.object({
  verbs: z.array(z.string()).nullish(),
  apiGroups: z.array(z.string()).nullish(),
  resources: z.array(z.string()).nullish(),
  resourceNames: z.array(z.string()).nullish(),
  nonResourceURLs: z.array(z.string()).nullish(),
});

const labelSelectorSchema = z.object({
  matchLabels: z.record(z.string(), z.string()).nullish(),
  matchExpressions: z.array(z.object({ key: z.string(), operator: z.string(), values: z.array(z.string()).nullish() })).nullish(),
});

const roleSchema = z.object({
  rules: z.array(ruleSchema).nullish(),
  aggregationRule: z.object({ clusterRoleSelectors: z.array(labelSelectorSchema).nullish() }).nullish(),
});

const subjectSchema = z.object({ kind: z.string(), name: z.string(), namespace: z.string().nullish(), apiGroup: z.string().nullish() });

const bindingSchema = z.object({
  roleRef: z.object({ kind: z.string(), name: z.string(), apiGroup: z.string().nullish() }),
  subjects: z.array(subjectSchema).nullish(),
});

export interface PolicyRule {
  verbs: readonly string[];
  apiGroups: readonly string[];
  resources: readonly string[];
  resourceNames: readonly string[];
  nonResourceURLs: readonly string[];
}

export interface RoleView {
  ref: ObjectRef;
  origin: ObjectOrigin;
  labels: Readonly<Record<string, string>>;
  /** Own rules plus, for an aggregated ClusterRole, the rules of every ClusterRole its selectors match. */
  rules: readonly PolicyRule[];
  ownRules: readonly PolicyRule[];
  aggregated: boolean;
  /** Labelled `kubernetes.io/bootstrapping: rbac-defaults` (created by the API server itself). */
  bootstrap: boolean;
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  /** ServiceAccount subjects only. */
  namespace: string | null;
}

export interface BindingView {
  ref: ObjectRef;
  origin: ObjectOrigin;
  roleRef: { kind: string; name: string };
  subjects: readonly Subject[];
  bootstrap: boolean;
}

export interface RbacProblem {
  ref: ObjectRef;
  origin: ObjectOrigin;
  message: string;
}

export interface RbacIndex {
  roles: readonly RoleView[];
  bindings: readonly BindingView[];
  problems: readonly RbacProblem[];
}

const bootstrapLabel = 'kubernetes.io/bootstrapping';

function refOf(object: SourcedObject['object']): ObjectRef {
  return { kind: object.kind, namespace: object.metadata.namespace ?? null, name: object.metadata.name ?? '<unnamed>' };
}

function normalizeRule(rule: z.infer<typeof ruleSchema>): PolicyRule {
  return {
    verbs: rule.verbs ?? [],
    apiGroups: rule.apiGroups ?? [],
    resources: rule.resources ?? [],
    resourceNames: rule.resourceNames ?? [],
    nonResourceURLs: rule.nonResourceURLs ?? [],
  };
}

function normalizeSubject(subject: z.infer<typeof subjectSchema>, bindingNamespace: string | null): Subject | null {
  if (subject.kind === 'ServiceAccount') return { kind: 'ServiceAccount', name: subject.name, namespace: subject.namespace ?? bindingNamespace };
  if (subject.kind === 'User' || subject.kind === 'Group') return { kind: subject.kind, name: subject.name, namespace: null };
  return null;
}

type Selector = z.infer<typeof labelSelectorSchema>;

function selectorMatches(selector: Selector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(labels, expression.key);
    const value = labels[expression.key];
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (!present || value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (present && value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  // An empty selector matches nothing in aggregation (the controller skips it).
  return Object.keys(selector.matchLabels ?? {}).length > 0 || (selector.matchExpressions ?? []).length > 0;
}

/** Builds the RBAC view of the objects. Objects that do not read as RBAC become problems, never crashes. */
export function rbacIndex(objects: readonly SourcedObject[]): RbacIndex {
  const problems: RbacProblem[] = [];
  const roles: (RoleView & { selectors: Selector[] })[] = [];
  const bindings: BindingView[] = [];
  for (const entry of objects) {
    const { object } = entry;
    const labels = object.metadata.labels ?? {};
    if (object.kind === 'Role' || object.kind === 'ClusterRole') {
      const parsed = roleSchema.safeParse(object);
      if (!parsed.success) {
        problems.push({ ref: refOf(object), origin: entry.origin, message: parsed.error.issues[0]?.message ?? 'not a valid role' });
        continue;
      }
      const ownRules = (parsed.data.rules ?? []).map(normalizeRule);
      const selectors = object.kind === 'ClusterRole' ? (parsed.data.aggregationRule?.clusterRoleSelectors ?? []) : [];
      roles.push({
        ref: refOf(object),
        origin: entry.origin,
        labels,
        rules: ownRules,
        ownRules,
        aggregated: parsed.data.aggregationRule !== null && parsed.data.aggregationRule !== undefined,
        bootstrap: labels[bootstrapLabel] === 'rbac-defaults',
        selectors,
      });
    } else if (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') {
      const parsed = bindingSchema.safeParse(object);
      if (!parsed.success) {
        problems.push({ ref: refOf(object), origin: entry.origin, message: parsed.error.issues[0]?.message ?? 'not a valid binding' });
        continue;
      }
      const namespace = object.kind === 'RoleBinding' ? (object.metadata.namespace ?? null) : null;
      bindings.push({
        ref: refOf(object),
        origin: entry.origin,
        roleRef: { kind: parsed.data.roleRef.kind, name: parsed.data.roleRef.name },
        subjects: (parsed.data.subjects ?? []).map((subject) => normalizeSubject(subject, namespace)).filter((subject): subject is Subject => subject !== null),
        bootstrap: labels[bootstrapLabel] === 'rbac-defaults',
      });
    }
  }
  // Aggregation: each aggregated ClusterRole gets the rules of the ClusterRoles its selectors match.
  // Iterate to a fixed point so that aggregates of aggregates (admin ⊃ edit ⊃ view) resolve.
  const clusterRoles = roles.filter((role) => role.ref.kind === 'ClusterRole');
  for (let round = 0; round < 5; round += 1) {
    let changed = false;
    for (const role of clusterRoles) {
      if (role.selectors.length === 0) continue;
      const sources = clusterRoles.filter((other) => other !== role && role.selectors.some((selector) => selectorMatches(selector, other.labels)));
      const merged = dedupeRules([...role.ownRules, ...sources.flatMap((source) => source.rules)]);
      if (merged.length !== role.rules.length) {
        role.rules = merged;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return { roles: roles.map(({ selectors: _selectors, ...role }) => role), bindings, problems };
}

function dedupeRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const seen = new Set<string>();
  const result: PolicyRule[] = [];
  for (const rule of rules) {
    const key = JSON.stringify(rule);
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(rule);
  }
  return result;
}

/** What a question asks: may `verb` be done on `group`/`resource`[/`subresource`]. */
export interface Permission {
  verbs: readonly string[];
  group: string;
  resource: string;
  subresource?: string;
  /**
   * The resource is not namespaced (persistentvolumes, clusterroles, nodes, webhook configurations, CSRs;
   * impersonated users, groups, uids and extras): its requests carry no namespace, so only
   * ClusterRoleBindings grant it; the authorizer reads a RoleBinding only for a request in its namespace.
   */
  clusterScoped?: boolean;
}

export function describePermissionQuery(permission: Permission): string {
  return `${permission.verbs.join('/')} ${describePermissionResource(permission)}`;
}

/** `nodes/proxy`, `clusterroles.rbac.authorization.k8s.io` */
export function describePermissionResource(permission: Pick<Permission, 'group' | 'resource' | 'subresource'>): string {
  const resource = permission.subresource === undefined ? permission.resource : `${permission.resource}/${permission.subresource}`;
  return permission.group === '' ? resource : `${resource}.${permission.group}`;
}

export function ruleAllows(rule: PolicyRule, verb: string, group: string, resource: string, subresource?: string): boolean {
  if (!(rule.verbs.includes('*') || rule.verbs.includes(verb))) return false;
  if (!(rule.apiGroups.includes('*') || rule.apiGroups.includes(group))) return false;
  const combined = subresource === undefined ? resource : `${resource}/${subresource}`;
  return rule.resources.some(
    (ruleResource) => ruleResource === '*' || ruleResource === combined || (subresource !== undefined && ruleResource === `*/${subresource}`),
  );
}

/** One binding that grants a permission, through which rule, to whom, where. */
export interface Grant {
  binding: BindingView;
  role: RoleView;
  rule: PolicyRule;
  /** The verbs of the question this rule allows. */
  verbs: readonly string[];
  /** null: cluster-wide (ClusterRoleBinding); otherwise the RoleBinding's namespace. */
  namespace: string | null;
  /** Non-empty when the rule only covers named objects. */
  resourceNames: readonly string[];
}

/** A binding whose role is not in the input (manifests only; in a cluster a dangling roleRef grants nothing). */
export interface UnresolvedBinding {
  binding: BindingView;
  reason: string;
}

export interface GrantSearch {
  grants: Grant[];
  unresolved: UnresolvedBinding[];
}

export function findRole(index: RbacIndex, binding: BindingView): RoleView | undefined {
  const { kind, name } = binding.roleRef;
  if (kind === 'ClusterRole') return index.roles.find((role) => role.ref.kind === 'ClusterRole' && role.ref.name === name);
  if (kind === 'Role') return index.roles.find((role) => role.ref.kind === 'Role' && role.ref.name === name && role.ref.namespace === binding.ref.namespace);
  return undefined;
}

/**
 * Every binding that grants any of the permission's verbs. `rolesComplete`: the roles in hand are every
 * role there is (a cluster list), so a missing role grants nothing; otherwise the binding is unresolved.
 */
export function grantsFor(index: RbacIndex, permission: Permission, rolesComplete: boolean): GrantSearch {
  const grants: Grant[] = [];
  const unresolved: UnresolvedBinding[] = [];
  for (const binding of index.bindings) {
    if (binding.subjects.length === 0) continue;
    if (permission.clusterScoped === true && binding.ref.kind === 'RoleBinding') continue;
    const role = findRole(index, binding);
    if (role === undefined) {
      if (!rolesComplete) unresolved.push({ binding, reason: `${binding.roleRef.kind} ${binding.roleRef.name} is not in the input` });
      continue;
    }
    for (const rule of role.rules) {
      const verbs = permission.verbs.filter((verb) => ruleAllows(rule, verb, permission.group, permission.resource, permission.subresource));
      if (verbs.length === 0) continue;
      grants.push({ binding, role, rule, verbs, namespace: binding.ref.kind === 'ClusterRoleBinding' ? null : binding.ref.namespace, resourceNames: rule.resourceNames });
    }
  }
  return { grants, unresolved };
}

export function describeSubject(subject: Subject): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount ${subject.namespace ?? '?'}/${subject.name}` : `${subject.kind} ${subject.name}`;
}

/** Where a grant applies: `cluster-wide` (a cluster-scoped resource), `in every namespace`, `in namespace x`. */
export function describeGrantScope(permission: Pick<Permission, 'clusterScoped'>, namespace: string | null): string {
  if (namespace !== null) return `in namespace ${namespace}`;
  return permission.clusterScoped === true ? 'cluster-wide' : 'in every namespace';
}

/** `ClusterRoleBinding x → ClusterRole y` */
export function describeBinding(binding: BindingView): string {
  return `${describeRef(binding.ref)} → ${binding.roleRef.kind} ${binding.roleRef.name}`;
}

/** The groups every authenticated (or anonymous) request, or every service account, is in. */
export const broadGroups = ['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts'] as const;

export function isBroadSubject(subject: Subject): boolean {
  return (subject.kind === 'Group' && (broadGroups as readonly string[]).includes(subject.name)) || (subject.kind === 'User' && subject.name === 'system:anonymous');
}

/** The k3s control-plane binding (src/k3s/control-plane-rbac.ts) a subject holds its rights through, if any. */
export function k3sControlPlaneGrant(binding: BindingView, subject: Subject): K3sControlPlaneBinding | null {
  return k3sControlPlaneBinding({ kind: binding.ref.kind, namespace: binding.ref.namespace, name: binding.ref.name, roleRef: binding.roleRef }, subject);
}

/**
 * Is a grant made by Kubernetes or k3s itself? Bootstrap objects carry `kubernetes.io/bootstrapping:
 * rbac-defaults`; the bindings k3s creates for its control-plane identities (User kube-apiserver, ...) are
 * known by name, role and user; beyond that, subjects named `system:` (controllers, nodes, kube-scheduler)
 * are the platform's own. Used to group evidence in manual controls, never to pass a control.
 */
export function isPlatformGrant(grant: Pick<Grant, 'binding'>, subject: Subject): boolean {
  if (grant.binding.bootstrap) return true;
  if (k3sControlPlaneGrant(grant.binding, subject) !== null) return true;
  if (subject.kind === 'ServiceAccount') return subject.namespace === 'kube-system' && grant.binding.ref.name.startsWith('system:');
  return subject.name.startsWith('system:') && !isBroadSubject(subject);
}
