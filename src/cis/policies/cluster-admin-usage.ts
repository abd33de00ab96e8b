import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { describeSubject, type BindingView } from './rbac.ts';
import { assessmentOf, gapsFor, judge, listParam, objectSource } from './verdict.ts';

/**
 * The ClusterRoleBindings the k3s benchmarks allow to bind cluster-admin: the bootstrap `cluster-admin`
 * binding (to system:masters) and the two bindings of k3s's Helm controller that install traefik
 * (kube-bench and security-scan `policies.yaml` 5.1.1, k3s self-assessment guides).
 */
export const benchmarkClusterAdminBindings = ['cluster-admin', 'helm-kube-system-traefik', 'helm-kube-system-traefik-crd'] as const;

/**
 * Whose an allowed binding is, as far as the object shows it: the API server's bootstrap binding (labelled
 * `kubernetes.io/bootstrapping: rbac-defaults`), or one the k3s Helm controller makes for a chart's install
 * job (`helm-<namespace>-<chart>` for the ServiceAccount `helm-<chart>` in that namespace). Anything else
 * the benchmark allows only by its name.
 */
function whoseBinding(binding: BindingView): string {
  if (binding.bootstrap) return ": Kubernetes' own bootstrap binding";
  const chart = /^helm-kube-system-(.+)$/.exec(binding.ref.name)?.[1];
  const helmJob = binding.subjects.length === 1 && binding.subjects[0]?.kind === 'ServiceAccount' && binding.subjects[0].namespace === 'kube-system' && binding.subjects[0].name === `helm-${chart ?? ''}`;
  if (chart !== undefined && helmJob) return `: k3s's Helm controller binds it to install the ${chart} chart`;
  return ' by name';
}

/**
 * CIS 5.1.1 Ensure that the cluster-admin role is only used where required. Every binding of the
 * cluster-admin ClusterRole offends unless the benchmark allows it by name. RoleBindings count too: the
 * benchmark text says that in a RoleBinding it gives full control of that namespace (kube-bench looks at
 * ClusterRoleBindings only).
 */
export const clusterAdminBindings = defineControl<ClusterAuditInput>({
  id: 'policy.cluster-admin-usage',
  reads: ['ClusterRoleBindings', 'RoleBindings'],
  check: (input, benchmark) => {
    const allowed = listParam(benchmark, 'allowedBindings', benchmarkClusterAdminBindings);
    const offences: Evidence[] = [];
    const notes: Evidence[] = [];
    const bindings = input.rbac().bindings;
    for (const binding of bindings) {
      if (binding.roleRef.kind !== 'ClusterRole' || binding.roleRef.name !== 'cluster-admin') continue;
      const evidence: Evidence = {
        subject: `${binding.ref.kind} ${binding.ref.namespace === null ? '' : `${binding.ref.namespace}/`}${binding.ref.name} binds cluster-admin to`,
        value: binding.subjects.map(describeSubject).join(', ') || '(no subjects)',
        source: objectSource(binding.origin, binding.ref),
      };
      if (binding.ref.kind === 'ClusterRoleBinding' && allowed.includes(binding.ref.name)) {
        notes.push({ ...evidence, subject: `${evidence.subject} (allowed by the benchmark${whoseBinding(binding)})` });
      } else {
        offences.push(evidence);
      }
    }
    return judge(
      { offences, gaps: gapsFor(input, ['ClusterRoleBinding', 'RoleBinding']), examined: bindings.length, what: 'RoleBindings and ClusterRoleBindings', notes },
      assessmentOf(benchmark, 'policy.cluster-admin-usage', 'manual-audited'),
      {
        expected: `cluster-admin is bound only by the bindings the benchmark allows (${allowed.join(', ')})`,
        found: (count) => `${count} binding${count === 1 ? '' : 's'} of cluster-admin beyond the ones the benchmark allows`,
        clean: `no binding of cluster-admin beyond the ones the benchmark allows (${allowed.join(', ')})`,
        byHand: 'for each binding, whether its subjects need cluster-admin or a narrower role would do.',
      },
      input,
    );
  },
});
