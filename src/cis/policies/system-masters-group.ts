import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { describeBinding } from './rbac.ts';
import { assessmentOf, gapsFor, judge, objectSource } from './verdict.ts';

/**
 * CIS 5.1.7 Avoid use of system:masters group. Membership comes from client certificates
 * (O=system:masters), which no API object lists; what the API does show is a binding that names the
 * group (which adds nothing, system:masters bypasses RBAC, but shows intent).
 */
export const systemMasters = defineControl<ClusterAuditInput>({
  id: 'policy.system-masters-group',
  reads: ['ClusterRoleBindings', 'RoleBindings'],
  check: (input, benchmark) => {
    const offences: Evidence[] = [];
    const notes: Evidence[] = [];
    const bindings = input.rbac().bindings;
    for (const binding of bindings) {
      if (!binding.subjects.some((subject) => subject.kind === 'Group' && subject.name === 'system:masters')) continue;
      const evidence = { subject: 'binding names Group system:masters', value: describeBinding(binding), source: objectSource(binding.origin, binding.ref) };
      if (binding.bootstrap) notes.push({ ...evidence, subject: `${evidence.subject} (Kubernetes bootstrap binding)` });
      else offences.push(evidence);
    }
    return judge(
      { offences, gaps: gapsFor(input, ['ClusterRoleBinding', 'RoleBinding']), examined: bindings.length, what: 'RoleBindings and ClusterRoleBindings', notes, alwaysApplicable: true },
      assessmentOf(benchmark, 'policy.system-masters-group', 'manual'),
      {
        expected: 'no user is in the system:masters group',
        found: (count) => `${count} binding${count === 1 ? '' : 's'} naming system:masters besides Kubernetes' own`,
        clean: "no binding naming system:masters besides Kubernetes' own",
        byHand:
          'which client certificates carry O=system:masters: on k3s the admin kubeconfig /etc/rancher/k3s/k3s.yaml (and server/cred/admin.kubeconfig) does; give people certificates or tokens in ordinary groups bound to narrower roles.',
      },
      input,
    );
  },
});
