import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { describeUnit, serviceAccountOf, type PodSpecView } from './pod-specs.ts';
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

/** Whether a pod spec mounts its ServiceAccount's token, by the API server's rule, and why. */
type TokenMount = { mounts: false } | { mounts: true; why: string } | { unknown: string };

function tokenMountOf(spec: PodSpecView, namespace: string, accounts: ReadonlyMap<string, unknown>, accountsComplete: boolean): TokenMount {
  const name = serviceAccountOf(spec);
  if (spec.automountServiceAccountToken === false) return { mounts: false };
  if (spec.automountServiceAccountToken === true) return { mounts: true, why: 'automountServiceAccountToken: true in the pod spec' };
  const account = accounts.get(`${namespace}/${name}`);
  if (account === undefined) {
    if (accountsComplete) return { mounts: true, why: `ServiceAccount ${namespace}/${name} does not exist; the pod spec does not disable mounting` };
    return { unknown: `ServiceAccount ${namespace}/${name} is not in the input and the pod spec does not set automountServiceAccountToken` };
  }
  const fromAccount = (account as { automountServiceAccountToken?: unknown }).automountServiceAccountToken;
  if (fromAccount === false) return { mounts: false };
  return { mounts: true, why: fromAccount === true ? 'automountServiceAccountToken: true on the ServiceAccount' : 'automountServiceAccountToken unset on pod and ServiceAccount (default true)' };
}

/**
 * CIS 5.1.6 Ensure that Service Account Tokens are only mounted where necessary. A pod mounts the token
 * unless its spec or (when the spec does not say) its ServiceAccount sets automountServiceAccountToken:
 * false, which is the API server's own rule; kube-bench's script misses the "ServiceAccount unset, pod
 * false" case that its remediation text calls compliant, kharden does not. Whether the token is mounted is
 * judged first: a component on the benchmark's allow-list is mentioned only when it does mount it.
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
    const allowedUnits = new Map<string, Evidence>();
    const scan = scanPodSpecs(
      input,
      (spec, unit): SpecResult[] => {
        const name = serviceAccountOf(spec);
        const mount = tokenMountOf(spec, unit.namespace, accounts, accountsComplete);
        if ('mounts' in mount && !mount.mounts) return [];
        if (unit.namespace === 'kube-system' && allowed.includes(name)) {
          // Allowed whether or not it mounts: an unknown ServiceAccount is no gap here, but says so.
          const verb = 'why' in mount ? 'mounts' : 'may mount';
          const value = 'why' in mount ? mount.why : mount.unknown;
          const subject = `${describeUnit(unit)} ${verb} the token of ServiceAccount ${name} (allowed by the benchmark: k3s component)`;
          const key = `${subject}\u0000${value}`;
          if (!allowedUnits.has(key)) allowedUnits.set(key, { subject, value, source: objectSource(unit.origin, unit.ref) });
          return [];
        }
        if ('unknown' in mount) return [{ gap: mount.unknown }];
        return [{ field: `ServiceAccount ${name} token mounted`, value: mount.why }];
      },
      ['ServiceAccount'],
    );
    scan.notes.push(...allowedUnits.values());
    return judge(scan, assessmentOf(benchmark, 'policy.service-account-token-mounts', 'manual-audited'), {
      expected: 'pods mount service account tokens only where necessary (automountServiceAccountToken: false elsewhere)',
      found: (count) => `${count} pod${count === 1 ? '' : 's'} or workload${count === 1 ? '' : 's'} mount${count === 1 ? 's' : ''} a service account token`,
      clean: 'no pod or workload mounts a service account token outside the k3s components the benchmark allows',
      byHand: 'which of them talk to the API server; set automountServiceAccountToken: false on the others.',
    }, input);
  },
});
