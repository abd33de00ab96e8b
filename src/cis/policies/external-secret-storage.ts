import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { componentFlagSettings, k3sFlagSettings, nodesWithoutArgsNote, settingEvidence } from './node-settings.ts';
import { assessmentOf, judge } from './verdict.ts';

/**
 * CIS 5.4.2 Consider external secret storage. Nothing in the API says where secrets should live; kharden
 * shows how the servers store them (k3s `--secrets-encryption`, an encryption provider configuration).
 */
export const externalSecretStorage = defineControl<ClusterAuditInput>({
  id: 'policy.external-secret-storage',
  reads: ['Nodes', 'k3s.io/node-args'],
  check: (input, benchmark) => {
    const notes: Evidence[] = [
      ...k3sFlagSettings(input, 'secrets-encryption').map((setting) => settingEvidence(setting, 'k3s --secrets-encryption')),
      ...componentFlagSettings(input, 'kube-apiserver-arg', 'encryption-provider-config').map((setting) => settingEvidence(setting, 'kube-apiserver --encryption-provider-config')),
      ...nodesWithoutArgsNote(input),
    ];
    return judge(
      { offences: [], gaps: [], examined: 0, what: 'settings', notes, alwaysApplicable: true },
      assessmentOf(benchmark, 'policy.external-secret-storage', 'manual'),
      {
        expected: 'secrets are kept in an external secret store where the organisation requires it',
        found: () => '',
        clean: 'nothing in the API that shows where secrets should live (the notes show how the servers encrypt them)',
        byHand: 'whether an external secrets manager (Vault, a cloud KMS, External Secrets) is required for your data.',
      },
      input,
    );
  },
});
