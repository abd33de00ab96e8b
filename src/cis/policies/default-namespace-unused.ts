import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { describeUnit } from './pod-specs.ts';
import { assessmentOf, gapsFor, judge, objectSource } from './verdict.ts';

/** What Kubernetes itself keeps in `default`: its ServiceAccount (the kubernetes Service and kube-root-ca.crt are not read). */
function isBuiltIn(kind: string, name: string): boolean {
  return kind === 'ServiceAccount' && name === 'default';
}

const namespacedKinds = ['ServiceAccount', 'Role', 'RoleBinding', 'NetworkPolicy'] as const;

/** CIS 5.6.4 (5.7.4 in 1.9) The default namespace should not be used. */
export const defaultNamespaceUse = defineControl<ClusterAuditInput>({
  id: 'policy.default-namespace-unused',
  reads: ['Pods', 'workloads', 'ServiceAccounts', 'Roles', 'RoleBindings', 'NetworkPolicies'],
  check: (input, benchmark) => {
    const offences: Evidence[] = [];
    for (const unit of input.podUnits().units) {
      if (unit.namespace === 'default') offences.push({ subject: describeUnit(unit), value: 'in namespace default', source: objectSource(unit.origin, unit.ref) });
    }
    let examined = input.podUnits().units.length;
    for (const kind of namespacedKinds) {
      for (const entry of input.objects(kind)) {
        examined += 1;
        const name = entry.object.metadata.name ?? '';
        if ((entry.object.metadata.namespace ?? 'default') !== 'default' || isBuiltIn(kind, name)) continue;
        offences.push({ subject: `${kind} default/${name}`, value: 'in namespace default', source: objectSource(entry.origin, `${kind} default/${name}`) });
      }
    }
    return judge(
      {
        offences,
        gaps: gapsFor(input, ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'ReplicationController', ...namespacedKinds]),
        examined,
        what: 'namespaced objects',
        notes: [],
        alwaysApplicable: true,
      },
      assessmentOf(benchmark, 'policy.default-namespace-unused', 'manual'),
      {
        expected: 'nothing but what Kubernetes creates lives in the default namespace',
        found: (n) => `${n} object${n === 1 ? '' : 's'} in the default namespace`,
        clean: 'nothing of yours in the default namespace',
        byHand: 'Services, ConfigMaps and other kinds kharden does not read, with `kubectl get all,cm -n default`.',
      },
      input,
    );
  },
});
