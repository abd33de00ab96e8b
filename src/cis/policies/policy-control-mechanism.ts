import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { componentFlagSettings, nodesWithoutArgsNote, settingEvidence } from './node-settings.ts';
import { assessmentOf, gapsFor, judge, objectSource } from './verdict.ts';

const enforceLabel = 'pod-security.kubernetes.io/enforce';

/**
 * CIS 5.2.1 Ensure that the cluster has at least one active policy control mechanism in place: Pod
 * Security admission (namespace labels, or cluster defaults in the API server's admission configuration)
 * or an external policy engine (admission webhooks, ValidatingAdmissionPolicies). kharden lists the
 * namespaces with workloads that no `enforce` label restricts, and what else it sees in place.
 */
export const policyControlMechanism = defineControl<ClusterAuditInput>({
  id: 'policy.policy-control-mechanism',
  reads: ['Namespaces', 'Pods', 'workloads', 'ValidatingWebhookConfigurations', 'MutatingWebhookConfigurations', 'ValidatingAdmissionPolicies', 'k3s.io/node-args'],
  check: (input, benchmark) => {
    const withWorkloads = new Set(input.podUnits().units.map((unit) => unit.namespace));
    const admissionConfigs = componentFlagSettings(input, 'kube-apiserver-arg', 'admission-control-config-file');
    const offences: Evidence[] = [];
    const notes: Evidence[] = [];
    let labelled = 0;
    for (const entry of input.objects('Namespace')) {
      const name = entry.object.metadata.name ?? '';
      const level = entry.object.metadata.labels?.[enforceLabel];
      if (level !== undefined && level !== 'privileged') {
        labelled += 1;
        continue;
      }
      if (!withWorkloads.has(name)) continue;
      offences.push({
        subject: `Namespace ${name} (has workloads) label ${enforceLabel}`,
        value: level ?? null,
        source: objectSource(entry.origin, `Namespace ${name}`),
      });
    }
    notes.push({ subject: `namespaces labelled ${enforceLabel} baseline or restricted`, value: String(labelled), source: { kind: 'kharden' } });
    for (const setting of admissionConfigs) {
      notes.push(settingEvidence(setting, 'kube-apiserver --admission-control-config-file (may set cluster-wide Pod Security defaults; its content is on the server, not in the API)'));
    }
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy']) {
      for (const entry of input.objects(kind)) {
        notes.push({ subject: `${kind} (a possible policy engine)`, value: entry.object.metadata.name ?? '', source: objectSource(entry.origin, `${kind} ${entry.object.metadata.name ?? ''}`) });
      }
    }
    notes.push(...nodesWithoutArgsNote(input));
    return judge(
      {
        offences,
        gaps: gapsFor(input, ['Namespace', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy']),
        examined: input.objects('Namespace').length,
        what: 'namespaces',
        notes,
        alwaysApplicable: true,
      },
      assessmentOf(benchmark, 'policy.policy-control-mechanism', 'manual'),
      {
        expected: 'every namespace with user workloads is covered by Pod Security admission or a policy engine',
        found: (n) => `${n} namespace${n === 1 ? '' : 's'} with workloads and no Pod Security enforce label (or enforce: privileged)`,
        clean: 'a Pod Security enforce label (baseline or restricted) on every namespace with workloads',
        byHand:
          "whether the API server's admission configuration sets Pod Security defaults (k3s hardening guide: /var/lib/rancher/k3s/server/psa.yaml) or a policy engine covers the listed namespaces.",
      },
      input,
    );
  },
});
