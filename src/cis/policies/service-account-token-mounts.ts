import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { describeUnit, serviceAccountOf } from './pod-specs.ts';
import { assessmentOf, judge, listParam, objectSource, scanPodSpecs, type SpecResult } from './verdict.ts';

/**
 * The ServiceAccounts of k3s's packaged components that the k3s benchmarks allow to mount tokens
 * (policies.yaml 5.1.6). kube-bench matches the names in any namespace; kharden only in kube-system,
 * where k3s installs them.
 */
export const benchmarkTokenServiceAccounts = [
  'coredns',
  'helm-traefik',
  'helm-traefik-crd',
  'traefik',
  'metrics-server',
  'svclb',
  'local-path-provisioner-service-account',
] as const;

/**
 * CIS 5.1.6 Ensure that Service Account Tokens are only mounted where necessary. A pod mounts the token
 * unless its spec or (when the spec does not say) its ServiceAccount sets automountServiceAccountToken:
 * false, which is the API server's own rule; kube-bench's script misses the "ServiceAccount unset, pod
 * false" case that its remediation text calls compliant, kharden does not.
 */
export const tokenAutomount = defineControl<ClusterAuditInput>({
  id: 'policy.service-account-token-mounts',
  reads: ['Pods', 'workload pod templates', 'ServiceAccounts'],
  check: (input, benchmark) => {
    const allowed = listParam(benchmark, 'allowedServiceAccounts', benchmarkTokenServiceAccounts);
    const accounts = new Map(
      input.objects('ServiceAccount').map((entry) => [`${entry.object.metadata.namespace ?? ''}/${entry.object.metadata.name ?? ''}`, entry.object] as const),
    );
    const accountsComplete = input.availability('ServiceAccount').complete;
    const allowedUnits: Evidence[] = [];
    const scan = scanPodSpecs(
      input,
      (spec, unit): SpecResult[] => {
        const name = serviceAccountOf(spec);
        if (unit.namespace === 'kube-system' && allowed.includes(name)) {
          if (!allowedUnits.some((evidence) => evidence.subject.startsWith(describeUnit(unit)))) {
            allowedUnits.push({ subject: `${describeUnit(unit)} mounts the token of ServiceAccount ${name} (allowed by the benchmark: k3s component)`, value: null, source: objectSource(unit.origin, unit.ref) });
          }
          return [];
        }
        if (spec.automountServiceAccountToken === false) return [];
        const field = `ServiceAccount ${name} token mounted`;
        if (spec.automountServiceAccountToken === true) return [{ field, value: 'automountServiceAccountToken: true in the pod spec' }];
        const account = accounts.get(`${unit.namespace}/${name}`);
        if (account === undefined) {
          if (accountsComplete) return [{ field, value: `ServiceAccount ${unit.namespace}/${name} does not exist; the pod spec does not disable mounting` }];
          return [{ gap: `ServiceAccount ${unit.namespace}/${name} is not in the input and the pod spec does not set automountServiceAccountToken` }];
        }
        const fromAccount = (account as { automountServiceAccountToken?: unknown }).automountServiceAccountToken;
        if (fromAccount === false) return [];
        return [{ field, value: fromAccount === true ? 'automountServiceAccountToken: true on the ServiceAccount' : 'automountServiceAccountToken unset on pod and ServiceAccount (default true)' }];
      },
      ['ServiceAccount'],
    );
    scan.notes.push(...allowedUnits);
    return judge(scan, assessmentOf(benchmark, 'policy.service-account-token-mounts', 'manual-audited'), {
      expected: 'pods mount service account tokens only where necessary (automountServiceAccountToken: false elsewhere)',
      found: (count) => `${count} pod${count === 1 ? '' : 's'} or workload${count === 1 ? '' : 's'} mount${count === 1 ? 's' : ''} a service account token`,
      clean: 'no pod or workload mounts a service account token outside the k3s components the benchmark allows',
      byHand: 'which of them talk to the API server; set automountServiceAccountToken: false on the others.',
    }, input);
  },
});
