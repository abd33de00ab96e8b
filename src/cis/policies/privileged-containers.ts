import { containersOf } from './pod-specs.ts';
import { count, podSpecControl } from './verdict.ts';

// TODO(pss): take the verdict from src/pss's `privileged` check once its evaluator is exported; the
// field is read directly until then (the same rule: securityContext.privileged: true on any container).

/** CIS 5.2.2 Minimize the admission of privileged containers. */
export const privilegedContainers = podSpecControl({
  id: 'policy.privileged-containers',
  fields: ['securityContext.privileged'],
  fallback: 'manual-audited',
  test: (spec) =>
    containersOf(spec)
      .filter(({ container }) => container.securityContext?.privileged === true)
      .map(({ label }) => ({ field: `${label} securityContext.privileged`, value: 'true' })),
  text: {
    expected: 'no container sets securityContext.privileged: true',
    found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} with privileged containers`,
    clean: 'no privileged container',
    byHand: 'that each listed workload needs full access to the node, and that Pod Security admission (baseline or restricted) guards the namespaces of the others.',
  },
});
