import { describe, expect, it } from 'vitest';
import { parseAdmissionConfig } from './admission-config.ts';

const k3sHardeningGuide = `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1beta1
    kind: PodSecurityConfiguration
    defaults:
      enforce: "restricted"
      enforce-version: "latest"
      audit: "restricted"
      audit-version: "latest"
      warn: "restricted"
      warn-version: "latest"
    exemptions:
      usernames: []
      runtimeClasses: []
      namespaces: [kube-system, cis-operator-system]
`;

describe('parseAdmissionConfig', () => {
  it('reads the k3s hardening guide psa.yaml (AdmissionConfiguration with inline configuration)', () => {
    const parsed = parseAdmissionConfig(k3sHardeningGuide);
    expect(parsed).toMatchObject({
      kind: 'configuration',
      configuration: {
        defaults: {
          enforce: { level: 'restricted', version: 'latest' },
          audit: { level: 'restricted', version: 'latest' },
          warn: { level: 'restricted', version: 'latest' },
        },
        exemptions: { namespaces: ['kube-system', 'cis-operator-system'], usernames: [], runtimeClasses: [] },
      },
    });
  });

  it('reads a standalone PodSecurityConfiguration; missing levels are privileged and versions latest', () => {
    const parsed = parseAdmissionConfig('apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: baseline\n  enforce-version: v1.29\n');
    expect(parsed).toMatchObject({
      kind: 'configuration',
      configuration: {
        defaults: { enforce: { level: 'baseline', version: 29 }, audit: { level: 'privileged', version: 'latest' }, warn: { level: 'privileged', version: 'latest' } },
      },
    });
  });

  it('follows a path reference', () => {
    const parsed = parseAdmissionConfig('apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: podsecurity.yaml\n');
    expect(parsed).toEqual({ kind: 'reference', path: 'podsecurity.yaml' });
  });

  it('an empty file or no PodSecurity entry means privileged everywhere', () => {
    expect(parseAdmissionConfig('')).toMatchObject({ kind: 'configuration', configuration: { defaults: { enforce: { level: 'privileged' } } } });
    expect(parseAdmissionConfig('apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: EventRateLimit\n  path: x.yaml\n')).toMatchObject({
      kind: 'configuration',
      configuration: { exemptions: { namespaces: [] } },
    });
  });

  it.each([
    ['camelCase keys are unknown fields', 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforceVersion: latest\n', 'unknown field "enforceVersion"'],
    ['duplicate keys', 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\nkind: PodSecurityConfiguration\n', 'not valid YAML'],
    ['bad level', 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: Restricted\n', 'defaults.enforce: Invalid value: "Restricted": must be one of privileged, baseline, restricted'],
    ['bad version', 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  warn-version: "1.30"\n', 'defaults.warn-version: Invalid value: "1.30": must be "latest" or "v1.x"'],
    ['bad namespace', 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\nexemptions:\n  namespaces: [Kube-System, a, a]\n', 'exemptions.namespaces[0]: Invalid value: "Kube-System"'],
    ['duplicate namespace', 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\nexemptions:\n  namespaces: [a, a]\n', 'exemptions.namespaces[1]: Duplicate value: "a"'],
    ['empty username', 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\nexemptions:\n  usernames: [""]\n', 'exemptions.usernames[0]: Invalid value: "": must be non-empty'],
    ['wrong apiVersion', 'apiVersion: pod-security.admission.config.k8s.io/v2\nkind: PodSecurityConfiguration\n', 'apiVersion "pod-security.admission.config.k8s.io/v2" is not one of'],
    ['another kind', 'apiVersion: v1\nkind: ConfigMap\n', 'kind "ConfigMap" is neither'],
  ])('rejects %s', (_name, text, message) => {
    const parsed = parseAdmissionConfig(text);
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') expect(parsed.message).toContain(message);
  });
});
