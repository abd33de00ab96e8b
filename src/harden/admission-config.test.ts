import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { admissionConfigContent, type AdmissionConfigInput, mergeAdmissionConfig, podSecurityApiVersion } from './admission-config.ts';
import { validateGeneratedYaml } from './object-schemas.ts';

const input: AdmissionConfigInput = { minor: 31, psaLevel: 'restricted', exemptNamespaces: ['kube-system'], podSecurity: true, eventRateLimit: true };

describe('admissionConfigContent', () => {
  it.each([22, 24, 25, 28, 29, 32, 35])('validates for k3s 1.%i', (minor) => {
    const content = admissionConfigContent({ ...input, minor, podSecurity: minor >= 25 });
    expect(validateGeneratedYaml(content)).toEqual([]);
  });

  it('configures EventRateLimit whenever it is enabled (the API server does not start otherwise)', () => {
    const config = parse(admissionConfigContent(input)) as { plugins: Array<{ name: string }> };
    expect(config.plugins.map((plugin) => plugin.name)).toEqual(['PodSecurity', 'EventRateLimit']);
  });

  it('uses PodSecurityConfiguration v1 from 1.25', () => {
    expect(podSecurityApiVersion(25)).toBe('pod-security.admission.config.k8s.io/v1');
    expect(podSecurityApiVersion(24)).toBe('pod-security.admission.config.k8s.io/v1beta1');
  });

  it('writes the chosen level and exemptions', () => {
    const config = parse(admissionConfigContent({ ...input, psaLevel: 'baseline', exemptNamespaces: ['kube-system', 'ci'] }));
    expect(config.plugins[0].configuration.defaults.enforce).toBe('baseline');
    expect(config.plugins[0].configuration.exemptions.namespaces).toEqual(['kube-system', 'ci']);
  });

  it('rejects an invalid exempt namespace name in validation', () => {
    expect(validateGeneratedYaml(admissionConfigContent({ ...input, exemptNamespaces: ['Not_Valid'] }))).not.toEqual([]);
  });
});

describe('mergeAdmissionConfig', () => {
  const existing = [
    '# my admission config',
    'apiVersion: apiserver.config.k8s.io/v1',
    'kind: AdmissionConfiguration',
    'plugins:',
    '  # pod security first',
    '  - name: PodSecurity',
    '    configuration:',
    '      apiVersion: pod-security.admission.config.k8s.io/v1',
    '      kind: PodSecurityConfiguration',
    '      defaults:',
    '        enforce: baseline # keep',
    '',
  ].join('\n');

  it('adds EventRateLimit and keeps comments and formatting', () => {
    const { content, conflicts } = mergeAdmissionConfig(existing, '/x/psa.yaml', input);
    expect(content.startsWith(existing)).toBe(true);
    expect(content).toContain('name: EventRateLimit');
    expect(conflicts).toEqual([{ plugin: 'PodSecurity', detail: 'defaults.enforce is baseline, weaker than restricted; left as it is' }]);
    expect(validateGeneratedYaml(content)).toEqual([]);
  });

  it('inserts after the last plugin, byte for byte around it', () => {
    const text = "kind: AdmissionConfiguration # k\napiVersion: apiserver.config.k8s.io/v1\nplugins:   # mine\n- name: EventRateLimit\n  path: 'erl.yaml'  # quoted\n\n# trailing\nextra: keep\n";
    const { content } = mergeAdmissionConfig(text, '/x/psa.yaml', input);
    const [head, tail] = content.split('- name: PodSecurity');
    expect(head).toBe("kind: AdmissionConfiguration # k\napiVersion: apiserver.config.k8s.io/v1\nplugins:   # mine\n- name: EventRateLimit\n  path: 'erl.yaml'  # quoted\n");
    expect(tail?.endsWith('\n\n# trailing\nextra: keep\n')).toBe(true);
  });

  it('changes nothing when every plugin is there', () => {
    const { content } = mergeAdmissionConfig(admissionConfigContent(input), '/x/psa.yaml', input);
    expect(content).toBe(admissionConfigContent(input));
  });

  it('refuses a file that is not an AdmissionConfiguration', () => {
    expect(() => mergeAdmissionConfig('kind: Pod\n', '/x/psa.yaml', input)).toThrow(/not an AdmissionConfiguration/);
    expect(() => mergeAdmissionConfig('a: [\n', '/x/psa.yaml', input)).toThrow(/psa.yaml:\d+: not valid YAML/);
  });
});
