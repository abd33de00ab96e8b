import type { Evidence } from '../../core/finding.ts';
import type { ClusterAuditInput } from './input.ts';
import { describeRef } from './pod-specs.ts';
import { describeBinding, describeGrantScope, describePermissionResource, describeSubject, grantsFor, isBroadSubject, isPlatformGrant, k3sControlPlaneGrant, type Grant, type Permission, type Subject } from './rbac.ts';
import { defineControl, type Control } from '../control.ts';
import { assessmentOf, gapsFor, judge, objectSource, type Assessment, type JudgeText, type Scan } from './verdict.ts';

export const rbacKinds = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'] as const;

/** One subject in one binding, and what of the question the binding lets it do. */
interface SubjectGrants {
  subject: Subject;
  grant: Grant;
  /** Per permission (and resourceNames), the verbs allowed, in the order the question lists them. */
  held: Map<string, { permission: Permission; verbs: Set<string>; resourceNames: readonly string[] }>;
}

/**
 * `get/list/watch secrets in every namespace`, or for several permissions, grouped by where they apply and
 * then by verbs: `bind/escalate roles.rbac.authorization.k8s.io and impersonate serviceaccounts in every
 * namespace; impersonate users, groups cluster-wide`.
 */
function describeHeld(entry: SubjectGrants): string {
  const byScope = new Map<string, Map<string, string[]>>();
  for (const { permission, verbs, resourceNames } of entry.held.values()) {
    const scope = describeGrantScope(permission, entry.grant.namespace);
    const verbText = permission.verbs.filter((verb) => verbs.has(verb)).join('/');
    const names = resourceNames.length > 0 ? ` (only ${resourceNames.join(', ')})` : '';
    const byVerbs = byScope.get(scope) ?? new Map<string, string[]>();
    byVerbs.set(verbText, [...(byVerbs.get(verbText) ?? []), `${describePermissionResource(permission)}${names}`]);
    byScope.set(scope, byVerbs);
  }
  return [...byScope]
    .map(([scope, byVerbs]) => `${[...byVerbs].map(([verbs, resources]) => `${verbs} ${resources.join(', ')}`).join(' and ')} ${scope}`)
    .join('; ');
}

/**
 * "Who may do X": every subject a binding grants one of the permissions to, one evidence line per subject
 * and binding listing what it may do.
 *
 * Which grants offend depends on the assessment. A benchmark that audits the control (k3s-cis-1.12's
 * `kubectl auth can-i ... --as=system:authenticated`) asks whether *everyone* may do it: grants to
 * system:authenticated, system:unauthenticated, system:serviceaccounts or system:anonymous offend, and the
 * other non-platform subjects are listed as notes for the reader. For a manual control every grant that is
 * not the platform's own (Kubernetes bootstrap roles, `system:` components) is listed for review.
 */
export function scanGrants(input: ClusterAuditInput, permissions: readonly Permission[], assessment: Assessment): Scan {
  const rbac = input.rbac();
  const rolesComplete = input.availability('ClusterRole').complete && input.availability('Role').complete;
  const bySubject = new Map<string, SubjectGrants>();
  const gaps = gapsFor(input, rbacKinds);
  permissions.forEach((permission, index) => {
    const { grants, unresolved } = grantsFor(rbac, permission, rolesComplete);
    for (const { binding, reason } of unresolved) {
      const gap = `${describeBinding(binding)} cannot be resolved (${reason})`;
      if (!gaps.includes(gap)) gaps.push(gap);
    }
    for (const grant of grants) {
      for (const subject of grant.binding.subjects) {
        const key = `${describeSubject(subject)}\u0000${describeRef(grant.binding.ref)}`;
        const entry = bySubject.get(key) ?? { subject, grant, held: new Map() };
        bySubject.set(key, entry);
        const heldKey = `${index}\u0000${grant.resourceNames.join(',')}`;
        const held = entry.held.get(heldKey) ?? { permission, verbs: new Set<string>(), resourceNames: grant.resourceNames };
        for (const verb of grant.verbs) held.verbs.add(verb);
        entry.held.set(heldKey, held);
      }
    }
  });
  const offences: Evidence[] = [];
  const others: Evidence[] = [];
  let platform = 0;
  const k3sIdentities: string[] = [];
  for (const entry of bySubject.values()) {
    const broad = isBroadSubject(entry.subject);
    if (!broad && isPlatformGrant(entry.grant, entry.subject)) {
      platform += 1;
      const k3s = k3sControlPlaneGrant(entry.grant.binding, entry.subject);
      if (k3s !== null) k3sIdentities.push(`${describeSubject(entry.subject)} through ${describeRef(entry.grant.binding.ref)} (${k3s.identity})`);
      continue;
    }
    const evidence: Evidence = {
      subject: `${describeSubject(entry.subject)} may ${describeHeld(entry)}`,
      value: describeBinding(entry.grant.binding),
      source: objectSource(entry.grant.binding.origin, entry.grant.binding.ref),
    };
    if (assessment === 'manual' || broad) offences.push(evidence);
    else others.push(evidence);
  }
  const notes: Evidence[] = [];
  if (others.length > 0) {
    notes.push({
      subject: 'other subjects with this access (not every user; review them)',
      value: String(others.length),
      source: { kind: 'kharden' },
    });
    notes.push(...others.slice(0, 50));
  }
  if (platform > 0) {
    notes.push({
      subject: "grants to Kubernetes' and k3s's own components (bootstrap RBAC, k3s's control-plane bindings, system: users and groups), not listed",
      value: String(platform),
      source: { kind: 'kharden' },
    });
  }
  if (k3sIdentities.length > 0) {
    notes.push({ subject: "k3s's own control-plane identities among them (bindings k3s creates)", value: k3sIdentities.join('; '), source: { kind: 'kharden' } });
  }
  return { offences, gaps, examined: rbac.bindings.length, what: 'RoleBindings and ClusterRoleBindings', notes };
}

/** Text for a "who may" control. */
export function grantText(permissionText: string, assessment: Assessment, byHand: string, expected: string): JudgeText {
  const whom = assessment === 'manual' ? 'besides the ones to Kubernetes\' and k3s\'s own components' : 'to every user or every service account';
  return {
    expected,
    found: (count: number) => `${count} grant${count === 1 ? '' : 's'} of ${permissionText} ${whom}`,
    clean: `no grant of ${permissionText} ${whom}`,
    byHand,
  };
}

export interface GrantControlSpec {
  id: string;
  permissions: readonly Permission[];
  /** `bind, escalate or impersonate`, as the reason names it. */
  permissionText: string;
  expected: string;
  byHand: string;
  /** How the newest benchmarks treat the control when the catalog does not say. */
  fallback: Assessment;
}

/** A "minimize access to X" control: the subjects that may do X, judged by `scanGrants`. */
export function grantControl(spec: GrantControlSpec): Control<ClusterAuditInput> {
  return defineControl<ClusterAuditInput>({
    id: spec.id,
    reads: ['ClusterRoles', 'Roles', 'ClusterRoleBindings', 'RoleBindings'],
    check: (input, benchmark) => {
      const assessment = assessmentOf(benchmark, spec.id, spec.fallback);
      return judge(scanGrants(input, spec.permissions, assessment), assessment, grantText(spec.permissionText, assessment, spec.byHand, spec.expected), input);
    },
  });
}
