import type { Evidence } from '../../core/finding.ts';
import type { ClusterAuditInput } from './input.ts';
import { describeBinding, describeGrantScope, describePermissionQuery, describeSubject, grantsFor, isBroadSubject, isPlatformGrant, type Permission } from './rbac.ts';
import { defineControl, type Control } from '../control.ts';
import { assessmentOf, gapsFor, judge, objectSource, type Assessment, type JudgeText, type Scan } from './verdict.ts';

export const rbacKinds = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'] as const;

/**
 * "Who may do X": every subject a binding grants one of the permissions to.
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
  const offences = new Map<string, Evidence>();
  const others = new Map<string, Evidence>();
  const gaps = gapsFor(input, rbacKinds);
  let platform = 0;
  for (const permission of permissions) {
    const { grants, unresolved } = grantsFor(rbac, permission, rolesComplete);
    for (const { binding, reason } of unresolved) {
      const gap = `${describeBinding(binding)} cannot be resolved (${reason})`;
      if (!gaps.includes(gap)) gaps.push(gap);
    }
    for (const grant of grants) {
      const scope = describeGrantScope(permission, grant.namespace);
      const names = grant.resourceNames.length > 0 ? ` (only ${grant.resourceNames.join(', ')})` : '';
      for (const subject of grant.binding.subjects) {
        const evidence: Evidence = {
          subject: `${describeSubject(subject)} may ${describePermissionQuery({ ...permission, verbs: grant.verbs })} ${scope}${names}`,
          value: describeBinding(grant.binding),
          source: objectSource(grant.binding.origin, grant.binding.ref),
        };
        const key = `${evidence.subject}\u0000${evidence.value ?? ''}`;
        const broad = isBroadSubject(subject);
        if (!broad && isPlatformGrant(grant, subject)) {
          platform += 1;
          continue;
        }
        if (assessment === 'manual' || broad) offences.set(key, evidence);
        else others.set(key, evidence);
      }
    }
  }
  const notes: Evidence[] = [];
  if (others.size > 0) {
    notes.push({
      subject: 'other subjects with this access (not every user; review them)',
      value: String(others.size),
      source: { kind: 'kharden' },
    });
    notes.push(...[...others.values()].slice(0, 50));
  }
  if (platform > 0) {
    notes.push({
      subject: "grants to Kubernetes' and k3s's own components (bootstrap RBAC, system: users and groups), not listed",
      value: String(platform),
      source: { kind: 'kharden' },
    });
  }
  return { offences: [...offences.values()], gaps, examined: rbac.bindings.length, what: 'RoleBindings and ClusterRoleBindings', notes };
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
