import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { componentFlagSettings, nodesWithoutArgsNote, settingEvidence } from './node-settings.ts';
import { assessmentOf, judge, objectSource } from './verdict.ts';

/** CIS 5.5.1 Configure Image Provenance using ImagePolicyWebhook admission controller. */
export const imageProvenance = defineControl<ClusterAuditInput>({
  id: 'policy.image-provenance',
  reads: ['Nodes', 'k3s.io/node-args', 'ValidatingWebhookConfigurations', 'MutatingWebhookConfigurations'],
  check: (input, benchmark) => {
    const notes: Evidence[] = [];
    const plugins = componentFlagSettings(input, 'kube-apiserver-arg', 'enable-admission-plugins');
    for (const setting of plugins) {
      const has = setting.arg.value.split(',').includes('ImagePolicyWebhook');
      notes.push(settingEvidence(setting, `kube-apiserver --enable-admission-plugins (${has ? 'includes' : 'does not include'} ImagePolicyWebhook)`));
    }
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      for (const entry of input.objects(kind)) {
        notes.push({ subject: `${kind} (could verify images)`, value: entry.object.metadata.name ?? '', source: objectSource(entry.origin, `${kind} ${entry.object.metadata.name ?? ''}`) });
      }
    }
    notes.push(...nodesWithoutArgsNote(input));
    return judge(
      { offences: [], gaps: [], examined: 0, what: 'settings', notes, alwaysApplicable: true },
      assessmentOf(benchmark, 'policy.image-provenance', 'manual'),
      {
        expected: 'image provenance is enforced (ImagePolicyWebhook or an admission webhook that verifies images)',
        found: () => '',
        clean: 'what the notes list; whether images are verified is not visible in the API',
        byHand: 'that an image policy (ImagePolicyWebhook, or a webhook verifying signatures) admits only trusted images.',
      },
      input,
    );
  },
});
