import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { componentFlagSettings, nodesWithArgs, settingEvidence } from './node-settings.ts';
import { containersOf } from './pod-specs.ts';
import { assessmentOf, count, judge, scanPodSpecs, type SpecResult } from './verdict.ts';

const confined = new Set(['RuntimeDefault', 'Localhost']);

/**
 * CIS 5.6.2 (5.7.2 in 1.9) Ensure that the seccomp profile is set to docker/default (RuntimeDefault) in
 * your pod definitions. A container's own seccompProfile wins over the pod's. When every node's kubelet
 * runs with `--seccomp-default` (seen in node-args), an unset profile means RuntimeDefault and does not offend.
 */
export const seccompProfile = defineControl<ClusterAuditInput>({
  id: 'policy.seccomp-profile',
  reads: ['Pods', 'workload pod templates', 'seccompProfile', 'k3s.io/node-args (kubelet --seccomp-default)'],
  check: (input, benchmark) => {
    const defaults = componentFlagSettings(input, 'kubelet-arg', 'seccomp-default').filter((setting) => setting.arg.value === 'true');
    const nodes = nodesWithArgs(input);
    const kubeletDefault = nodes.length > 0 && nodes.length === input.nodeArgs().length && nodes.every((view) => defaults.some((setting) => setting.node === view.node));
    const scan = scanPodSpecs(input, (spec) => {
      const results: SpecResult[] = [];
      const podType = spec.securityContext?.seccompProfile?.type ?? null;
      for (const { container, label } of containersOf(spec)) {
        const type = container.securityContext?.seccompProfile?.type ?? podType;
        if (type === null) {
          if (!kubeletDefault) results.push({ field: `${label} seccompProfile`, value: 'unset (Unconfined unless the kubelet runs with --seccomp-default)' });
        } else if (!confined.has(type)) {
          results.push({ field: `${label} seccompProfile.type`, value: type });
        }
      }
      return results;
    });
    const notes: Evidence[] = defaults.map((setting) => settingEvidence(setting, 'kubelet --seccomp-default'));
    scan.notes.push(...notes);
    return judge(scan, assessmentOf(benchmark, 'policy.seccomp-profile', 'manual'), {
      expected: 'every container runs with seccompProfile RuntimeDefault (or a Localhost profile)',
      found: (n) => `${count(n, 'pod or workload', 'pods or workloads')} run containers without a seccomp profile`,
      clean: 'every container runs with a RuntimeDefault or Localhost seccomp profile',
      byHand: 'set securityContext.seccompProfile.type: RuntimeDefault in the listed pod specs, or kubelet-arg seccomp-default=true on every node.',
    }, input);
  },
});
