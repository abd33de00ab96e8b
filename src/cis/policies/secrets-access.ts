import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { grantText, scanGrants } from './rbac-scan.ts';
import { assessmentOf, judge } from './verdict.ts';

/**
 * CIS 5.1.2 Minimize access to secrets. k3s-cis-1.12 audits it as `kubectl auth can-i get,list,watch secrets
 * --all-namespaces --as=system:authenticated` = no; kharden asks the same of the RBAC objects, for each of
 * get, list and watch, for every broad group, at cluster and namespace scope.
 */
export const secretsAccess = defineControl<ClusterAuditInput>({
  id: 'policy.secrets-access',
  reads: ['ClusterRoles', 'Roles', 'ClusterRoleBindings', 'RoleBindings'],
  check: (input, benchmark) => {
    const assessment = assessmentOf(benchmark, 'policy.secrets-access', 'manual-audited');
    const scan = scanGrants(input, [{ verbs: ['get', 'list', 'watch'], group: '', resource: 'secrets' }], assessment);
    return judge(
      scan,
      assessment,
      grantText(
        'get/list/watch on secrets',
        assessment,
        'that each listed subject needs to read Secrets; service accounts of operators often do, people rarely.',
        'system:authenticated cannot get, list or watch secrets',
      ),
      input,
    );
  },
});
