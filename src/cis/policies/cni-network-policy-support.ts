import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { k3sFlagSettings, nodesWithArgs, nodesWithoutArgsNote, settingEvidence } from './node-settings.ts';
import { assessmentOf, judge } from './verdict.ts';

/**
 * CIS 5.3.1 Ensure that the CNI in use supports NetworkPolicies. k3s enforces them with its embedded
 * network policy controller (kube-router) unless a server runs with `--disable-network-policy`; with
 * `--flannel-backend=none` another CNI is in charge and must enforce them itself.
 */
export const cniNetworkPolicy = defineControl<ClusterAuditInput>({
  id: 'policy.cni-network-policy-support',
  reads: ['Nodes', 'k3s.io/node-args'],
  check: (input, benchmark) => {
    const offences: Evidence[] = [];
    const notes: Evidence[] = [];
    for (const setting of k3sFlagSettings(input, 'disable-network-policy')) {
      if (setting.arg.value !== 'false') offences.push(settingEvidence(setting, 'k3s --disable-network-policy (NetworkPolicies not enforced by k3s)'));
    }
    for (const setting of k3sFlagSettings(input, 'flannel-backend')) {
      notes.push(settingEvidence(setting, `k3s --flannel-backend${setting.arg.value === 'none' ? ' (another CNI is in use: check that it enforces NetworkPolicies)' : ''}`));
    }
    const servers = nodesWithArgs(input).filter((view) => view.parsed.role === 'server');
    if (offences.length === 0 && servers.length > 0) {
      notes.push({
        subject: 'servers running the embedded network policy controller (no --disable-network-policy)',
        value: servers.map((view) => view.node).join(', '),
        source: { kind: 'kharden', detail: 'from the k3s.io/node-args annotations' },
      });
    }
    notes.push(...nodesWithoutArgsNote(input));
    return judge(
      { offences, gaps: [], examined: nodesWithArgs(input).length, what: 'nodes with k3s settings', notes, alwaysApplicable: true },
      assessmentOf(benchmark, 'policy.cni-network-policy-support', 'manual'),
      {
        expected: 'the CNI in use enforces NetworkPolicies',
        found: (n) => `${n} server${n === 1 ? '' : 's'} with the k3s network policy controller disabled`,
        clean: 'no server with --disable-network-policy',
        byHand: 'that the CNI in use enforces NetworkPolicies (k3s default: flannel + embedded kube-router policy controller).',
      },
      input,
    );
  },
});
