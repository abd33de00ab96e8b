import { containersOf } from './pod-specs.ts';
import { count, podSpecControl, type SpecResult } from './verdict.ts';

/** CIS 5.4.1 Prefer using Secrets as files over Secrets as environment variables. */
export const secretsAsEnv = podSpecControl({
  id: 'policy.secrets-as-files',
  fields: ['env[].valueFrom.secretKeyRef', 'envFrom[].secretRef'],
  fallback: 'manual',
  test: (spec) => {
    const results: SpecResult[] = [];
    for (const { container, label } of containersOf(spec)) {
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref !== undefined && ref !== null) results.push({ field: `${label} env ${variable.name}`, value: `secret ${ref.name ?? '?'} key ${ref.key ?? '?'}` });
      }
      for (const source of container.envFrom ?? []) {
        if (source.secretRef !== undefined && source.secretRef !== null) results.push({ field: `${label} envFrom`, value: `secret ${source.secretRef.name ?? '?'}` });
      }
    }
    return results;
  },
  text: {
    expected: 'Secrets are mounted as files, not passed as environment variables',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} take Secrets as environment variables`,
    clean: 'no Secret passed as an environment variable',
    byHand: 'whether the listed applications can read the Secret from a mounted file instead.',
  },
});
