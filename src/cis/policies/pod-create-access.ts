import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { grantText, scanGrants } from './rbac-scan.ts';
import { assessmentOf, judge } from './verdict.ts';

/**
 * CIS 5.1.4 Minimize access to create pods. k3s-cis-1.12 audits it as `kubectl auth can-i create pods
 * --all-namespaces --as=system:authenticated` = no.
 */
export const podCreateAccess = defineControl<ClusterAuditInput>({
  id: 'policy.pod-create-access',
  reads: ['ClusterRoles', 'Roles', 'ClusterRoleBindings', 'RoleBindings'],
  check: (input, benchmark) => {
    const assessment = assessmentOf(benchmark, 'policy.pod-create-access', 'manual-audited');
    const scan = scanGrants(input, [{ verbs: ['create'], group: '', resource: 'pods' }], assessment);
    return judge(
      scan,
      assessment,
      grantText(
        'create on pods',
        assessment,
        'that each listed subject needs to create pods directly; creating Deployments, Jobs and other workloads also creates pods.',
        'system:authenticated cannot create pods',
      ),
      input,
    );
  },
});
