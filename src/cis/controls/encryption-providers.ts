import { type Evidence, fail, pass, unknown } from '../../core/finding.ts';
import { lastValue } from '../../k3s/effective-args.ts';
import { defineControl } from '../control.ts';
import { absentArgEvidence, argEvidence } from '../evidence.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { unknownArgs } from './component-flags.ts';
import { isMapping } from './config-mapping.ts';
import { listParam } from './params.ts';

/**
 * CIS 1.2.28: the provider that encrypts Secrets is the first one listed for the `secrets` resource in the
 * EncryptionConfiguration the API server is given (k3s: server/cred/encryption-config.json). `identity` first
 * means Secrets are stored in plain text even though the file exists. Key material never reaches the facts.
 */
export const encryptionProvidersControl = defineControl<NodeAuditInput>({
  id: 'apiserver.encryption-providers',
  reads: ['kube-apiserver --encryption-provider-config', 'the EncryptionConfiguration file (server/cred/encryption-config.json)'],
  check: (input, benchmark) => {
    const allowed = listParam(benchmark, 'allowed');
    const args = input.args.components['kube-apiserver'];
    if (!args.known) return unknownArgs(args.reason, 'kube-apiserver', input.args.state);
    const flag = lastValue(args, 'encryption-provider-config');
    if (flag === null || flag.value === '') {
      return fail('kube-apiserver --encryption-provider-config is not set: Secrets are stored unencrypted', [absentArgEvidence(args, 'encryption-provider-config')]);
    }
    const flagEvidence = argEvidence('kube-apiserver', flag);
    const file = input.facts.encryptionConfig;
    if (file === null || file.path !== flag.value) {
      return unknown(`kharden did not read ${flag.value}, the file the API server is given; collect it (run as root on the node) to judge the providers`, [flagEvidence]);
    }
    const fileSource = { kind: 'file-content' as const, path: file.path };
    if (file.error !== undefined) return unknown(`${file.path} could not be read: ${file.error.message}`, [flagEvidence]);
    if (!file.present) return fail(`${file.path} does not exist: the API server cannot start with it, or starts without encryption`, [flagEvidence, { subject: file.path, value: null, source: fileSource }]);
    const provider = firstSecretsProvider(file.content);
    if (provider === null) {
      return unknown(`${file.path} has no provider list for the secrets resource that kharden understands`, [flagEvidence, { subject: `${file.path} providers`, value: null, source: fileSource }]);
    }
    const evidence: Evidence[] = [flagEvidence, { subject: `${file.path} first provider for secrets`, value: provider, source: fileSource }];
    return allowed.includes(provider)
      ? pass(`Secrets are encrypted with ${provider}`, evidence)
      : fail(`the first provider for Secrets is ${provider}, not one of ${allowed.join(', ')}${provider === 'identity' ? ': new Secrets are stored unencrypted' : ''}`, evidence);
  },
});

/** The name of the first provider of the resources entry that covers Secrets (`secrets`, `*.`, `*.*`). */
export function firstSecretsProvider(content: unknown): string | null {
  if (!isMapping(content) || !Array.isArray(content['resources'])) return null;
  for (const entry of content['resources']) {
    if (!isMapping(entry) || !Array.isArray(entry['resources']) || !Array.isArray(entry['providers'])) continue;
    const resources = entry['resources'].filter((name): name is string => typeof name === 'string');
    if (!resources.some((name) => name === 'secrets' || name === '*.' || name === '*.*')) continue;
    const first = entry['providers'][0];
    if (!isMapping(first)) return null;
    const name = Object.keys(first)[0];
    return name ?? null;
  }
  return null;
}
