import { Document } from 'yaml';
import type { ConfigKey } from './desired-config.ts';
import type { ResolvedSetting } from './config-resolution.ts';

/**
 * kharden's k3s config drop-in (config.yaml.d/90-kharden.yaml). Lists use `key+:` so that they append to
 * the user's own `kube-apiserver-arg` and friends instead of replacing them; the user's config.yaml is
 * never rewritten.
 */
const keyOrder: readonly ConfigKey[] = ['protect-kernel-defaults', 'secrets-encryption', 'kube-apiserver-arg', 'kube-controller-manager-arg', 'kubelet-arg'];

export function dropInContent(settings: readonly ResolvedSetting[], description: string): string {
  const body: Record<string, unknown> = {};
  for (const key of keyOrder) {
    const mine = settings.filter((resolved) => resolved.setting.key === key);
    if (mine.length === 0) continue;
    const first = mine[0];
    if (first !== undefined && !('flag' in first.setting)) body[key] = true;
    else body[`${key}+`] = mine.map((resolved) => ('flag' in resolved.setting ? `${resolved.setting.flag}=${String(resolved.value)}` : ''));
  }
  const header = [
    `# k3s configuration written by kharden harden for ${description}.`,
    '# Your own settings stay in config.yaml: lists here are appended with `key+:`, nothing of yours is replaced.',
    '# k3s reads this file when it starts: restart k3s for a change to take effect.',
  ].join('\n');
  if (Object.keys(body).length === 0) return `${header}\n`;
  return `${header}\n${new Document(body).toString({ lineWidth: 0 })}`;
}
