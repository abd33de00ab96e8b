import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { containersOf } from './pod-specs.ts';
import { assessmentOf, count, judge, scanPodSpecs } from './verdict.ts';

/**
 * CIS 5.2.6 Minimize the admission of containers with allowPrivilegeEscalation. The benchmark's audit
 * looks for the field set to true; a container that leaves it unset may escalate too (the default), and
 * is counted in a note rather than passed over in silence.
 *
 * Not Pod Security's `allowPrivilegeEscalation` check, which requires an explicit false (restricted);
 * the benchmark offends only on an explicit true.
 */
export const allowPrivilegeEscalation = defineControl<ClusterAuditInput>({
  id: 'policy.allow-privilege-escalation',
  reads: ['Pods', 'workload pod templates', 'securityContext.allowPrivilegeEscalation'],
  check: (input, benchmark) => {
    let unset = 0;
    const scan = scanPodSpecs(input, (spec) => {
      const offences = [];
      for (const { container, label } of containersOf(spec)) {
        const value = container.securityContext?.allowPrivilegeEscalation;
        if (value === true) offences.push({ field: `${label} securityContext.allowPrivilegeEscalation`, value: 'true' });
        else if (value === undefined || value === null) unset += 1;
      }
      return offences;
    });
    if (unset > 0) {
      const note: Evidence = {
        subject: 'containers that leave allowPrivilegeEscalation unset (allowed by default; Pod Security "restricted" requires false)',
        value: String(unset),
        source: { kind: 'kharden' },
      };
      scan.notes.push(note);
    }
    return judge(scan, assessmentOf(benchmark, 'policy.allow-privilege-escalation', 'manual-audited'), {
      expected: 'no container sets securityContext.allowPrivilegeEscalation: true',
      found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} allow privilege escalation explicitly`,
      clean: 'no container sets allowPrivilegeEscalation: true',
      byHand: 'that each listed container needs setuid binaries or file capabilities to gain privileges; set allowPrivilegeEscalation: false everywhere else.',
    }, input);
  },
});
