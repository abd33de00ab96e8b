import type { Role } from '../facts/node-facts.ts';
import { defaultTlsCipherSuites } from '../k3s/component-defaults.ts';
import type { TargetPaths } from './target-paths.ts';

/**
 * What the k3s hardening guide asks of a node's k3s configuration, by role and k3s minor version. Each
 * setting names the config.yaml key it lives under and, for component args, the flag, so that it can be
 * compared with what the user configured and checked by the configured-state audit.
 */
export type ConfigKey = 'protect-kernel-defaults' | 'secrets-encryption' | 'kube-apiserver-arg' | 'kube-controller-manager-arg' | 'kubelet-arg';

export type DesiredSetting =
  | { key: 'protect-kernel-defaults' | 'secrets-encryption'; value: true; purpose: string }
  | {
      key: 'kube-apiserver-arg' | 'kube-controller-manager-arg' | 'kubelet-arg';
      flag: string;
      value: string;
      purpose: string;
      /** A comma-separated list the user's own list is merged into instead of replaced (enable-admission-plugins). */
      listMerge?: true;
      /** Another value of the user's that the benchmark accepts too (`audit-log-maxage=90`): kept, not a conflict. */
      accepts?: (value: string) => boolean;
    };

export interface DesiredConfigInput {
  role: Role;
  /** k3s minor version: 29 for v1.29.x+k3s1. */
  minor: number;
  paths: TargetPaths;
  secretsEncryption: boolean;
  /** Whether the benchmark asks for the kubelet's seccomp default (CIS k3s 1.12 and later: 4.2.14). */
  seccompDefault: boolean;
}

/**
 * The kubelet cipher suites of the hardening guide: ECDHE with AES-GCM or ChaCha20 only. They are the six
 * suites k3s itself passes by default, so that list is used rather than a copy.
 */
export const kubeletCipherSuites = defaultTlsCipherSuites;

/** PodSecurityPolicy was removed in Kubernetes 1.25: from then on Pod Security Admission replaces it. */
export const usesPodSecurityPolicy = (minor: number): boolean => minor <= 24;

/** The admission plugins kharden enables for a version, in the order the guide lists them. */
export function admissionPlugins(minor: number): string[] {
  return usesPodSecurityPolicy(minor)
    ? ['NodeRestriction', 'PodSecurityPolicy', 'NamespaceLifecycle', 'ServiceAccount', 'EventRateLimit']
    : ['NodeRestriction', 'EventRateLimit'];
}

export function desiredSettings(input: DesiredConfigInput): DesiredSetting[] {
  const { minor, paths } = input;
  const settings: DesiredSetting[] = [
    { key: 'protect-kernel-defaults', value: true, purpose: 'the kubelet refuses to run when kernel parameters differ from its defaults' },
  ];
  if (input.role === 'server') {
    if (input.secretsEncryption) settings.push({ key: 'secrets-encryption', value: true, purpose: 'encrypt Secrets at rest (aescbc)' });
    const apiserver = (flag: string, value: string, purpose: string, listMerge?: true): DesiredSetting =>
      listMerge === undefined ? { key: 'kube-apiserver-arg', flag, value, purpose } : { key: 'kube-apiserver-arg', flag, value, purpose, listMerge };
    const atLeast = (setting: DesiredSetting, minimum: number): DesiredSetting => ({ ...setting, accepts: (value: string) => /^\d+$/.test(value) && Number(value) >= minimum }) as DesiredSetting;
    settings.push(
      apiserver('enable-admission-plugins', admissionPlugins(minor).join(','), 'admission plugins the benchmark asks for', true),
      apiserver('admission-control-config-file', paths.admissionConfig, 'PodSecurity defaults and EventRateLimit limits'),
      apiserver('audit-log-path', paths.auditLogFile, 'write an API audit log'),
      apiserver('audit-policy-file', paths.auditPolicy, 'what the audit log records'),
      atLeast(apiserver('audit-log-maxage', '30', 'keep audit logs 30 days'), 30),
      atLeast(apiserver('audit-log-maxbackup', '10', 'keep 10 rotated audit logs'), 10),
      atLeast(apiserver('audit-log-maxsize', '100', 'rotate the audit log at 100 MB'), 100),
    );
    if (minor >= 29) {
      settings.push(apiserver('service-account-extend-token-expiration', 'false', 'service account tokens expire when they say'));
    }
    settings.push({
      key: 'kube-controller-manager-arg',
      flag: 'terminated-pod-gc-threshold',
      value: minor >= 29 ? '100' : '10',
      purpose: 'garbage-collect terminated pods',
      accepts: (value) => /^\d+$/.test(value) && Number(value) > 0,
    });
  }
  const kubelet = (flag: string, value: string, purpose: string): DesiredSetting => ({ key: 'kubelet-arg', flag, value, purpose });
  settings.push(
    { ...kubelet('streaming-connection-idle-timeout', '5m', 'close idle exec/attach/port-forward streams'), accepts: (value: string) => !/^0+([hms]|ms)?$/.test(value.trim()) && value.trim() !== '' } as DesiredSetting,
    kubelet('tls-cipher-suites', kubeletCipherSuites, 'strong TLS ciphers only'),
  );
  if (usesPodSecurityPolicy(minor)) settings.push(kubelet('make-iptables-util-chains', 'true', 'the kubelet manages its iptables chains'));
  if (input.seccompDefault) settings.push(kubelet('seccomp-default', 'true', 'RuntimeDefault seccomp profile for every container'));
  return settings;
}

/** `kube-apiserver-arg audit-log-maxage=30` or `protect-kernel-defaults: true`, for messages. */
export function describeSetting(setting: DesiredSetting): string {
  return 'flag' in setting ? `${setting.key} ${setting.flag}=${setting.value}` : `${setting.key}: ${String(setting.value)}`;
}
