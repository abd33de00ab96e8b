import { containersOf } from './pod-specs.ts';
import { count, podSpecControl, type SpecResult } from './verdict.ts';

/**
 * CIS 5.2.7 Minimize the admission of root containers. A container may run as root unless runAsNonRoot
 * is true or runAsUser is non-zero (container setting first, then the pod's); an explicit runAsUser: 0
 * always offends. The image's USER is not visible to kharden.
 *
 * Not Pod Security's runAsNonRoot check: the benchmark also accepts a non-zero runAsUser (MustRunAs with
 * a range excluding 0) without runAsNonRoot.
 */
export const rootContainers = podSpecControl({
  id: 'policy.root-containers',
  fields: ['securityContext.runAsNonRoot', 'securityContext.runAsUser'],
  fallback: 'manual',
  test: (spec) => {
    const results: SpecResult[] = [];
    for (const { container, label } of containersOf(spec)) {
      const nonRoot = container.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot;
      const user = container.securityContext?.runAsUser ?? spec.securityContext?.runAsUser;
      if (user === 0) results.push({ field: `${label} runAsUser`, value: '0' });
      else if (nonRoot !== true && (user === undefined || user === null)) {
        results.push({ field: `${label} runAsNonRoot/runAsUser`, value: 'unset (runs as the image user, root unless the image says otherwise)' });
      }
    }
    return results;
  },
  text: {
    expected: 'containers run with runAsNonRoot: true or a non-zero runAsUser',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} may run containers as root`,
    clean: 'no container that may run as root',
    byHand: "the image's USER of the listed containers, and a policy (Pod Security restricted, MustRunAsNonRoot) for each namespace with user workloads.",
  },
});
