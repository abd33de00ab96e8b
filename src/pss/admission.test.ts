import { describe, expect, it } from 'vitest';
import { emptyPodSecurityConfiguration, type PodSecurityConfiguration } from './admission-config.ts';
import { admit, resolveNamespace } from './admission.ts';
import { podOf } from './pod.fixture.ts';

const restrictedLabels = { 'pod-security.kubernetes.io/enforce': 'restricted' };
const hostNetworkPod = podOf({ hostNetwork: true, containers: [{ name: 'app', ports: [{ containerPort: 8080 }] }] });

describe('admit', () => {
  it('rejects a Pod with the message kubectl shows after "pods \\"web\\" is forbidden: "', () => {
    const namespace = resolveNamespace('web', restrictedLabels, emptyPodSecurityConfiguration);
    const result = admit(podOf({ containers: [{ name: 'app' }] }), true, namespace, emptyPodSecurityConfiguration);
    expect(result.enforce.allowed).toBe(false);
    expect(result.enforce.message).toBe(
      'violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
    expect(result.warnings).toEqual([]);
    expect(result.auditAnnotations).toEqual({ 'pod-security.kubernetes.io/enforce-policy': 'restricted:latest' });
  });

  it('defaults hostPort from containerPort for Pods with hostNetwork, not for templates', () => {
    const namespace = resolveNamespace('web', { 'pod-security.kubernetes.io/enforce': 'baseline' }, emptyPodSecurityConfiguration);
    const pod = admit(hostNetworkPod, true, namespace, emptyPodSecurityConfiguration);
    expect(pod.enforce.message).toBe('violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true), hostPort (container "app" uses hostPort 8080)');
    const deployment = admit(hostNetworkPod, false, namespace, emptyPodSecurityConfiguration);
    expect(deployment.warnings).toEqual(['would violate PodSecurity "baseline:latest": host namespaces (hostNetwork=true)']);
    expect(deployment.enforce.message).toBe(pod.enforce.message);
  });

  it('warns on a Pod that enforce allows when warn is stricter, and not when enforce rejects', () => {
    const labels = { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.29' };
    const namespace = resolveNamespace('web', labels, emptyPodSecurityConfiguration);
    const allowed = admit(podOf({ containers: [{ name: 'app', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }], securityContext: { runAsNonRoot: true } }), true, namespace, emptyPodSecurityConfiguration);
    expect(allowed.enforce.allowed).toBe(true);
    expect(allowed.warnings).toEqual([
      'would violate PodSecurity "restricted:v1.29": seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ]);
    const rejected = admit(podOf({ containers: [{ name: 'app', securityContext: { privileged: true } }] }), true, namespace, emptyPodSecurityConfiguration);
    expect(rejected.enforce.allowed).toBe(false);
    expect(rejected.warnings).toEqual([]);
  });

  it('fails closed on an invalid enforce label and records the parse error', () => {
    const namespace = resolveNamespace('web', { 'pod-security.kubernetes.io/enforce': 'strict' }, emptyPodSecurityConfiguration);
    const result = admit(podOf({ containers: [{ name: 'app' }] }), true, namespace, emptyPodSecurityConfiguration);
    expect(result.enforce.message).toMatch(/^violates PodSecurity "restricted:latest": /);
    expect(result.auditAnnotations['pod-security.kubernetes.io/error']).toBe(
      'Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
    );
  });

  it('prints the version as labelled and evaluates it clamped', () => {
    const namespace = resolveNamespace('web', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.99' }, emptyPodSecurityConfiguration);
    const result = admit(podOf({ containers: [{ name: 'app', securityContext: { privileged: true } }] }), true, namespace, emptyPodSecurityConfiguration);
    expect(result.enforce.message).toMatch(/^violates PodSecurity "baseline:v1.99": privileged/);
    expect(result.enforce.evaluatedVersion).toBe(37);
  });

  describe('with an admission configuration', () => {
    const configuration: PodSecurityConfiguration = {
      defaults: {
        enforce: { level: 'restricted', version: 'latest' },
        audit: { level: 'restricted', version: 'latest' },
        warn: { level: 'restricted', version: 'latest' },
      },
      exemptions: { usernames: [], runtimeClasses: ['kata'], namespaces: ['kube-system'] },
    };
    const bad = podOf({ containers: [{ name: 'app', securityContext: { privileged: true } }] });

    it('applies the defaults to unlabelled namespaces', () => {
      expect(admit(bad, true, resolveNamespace('apps', undefined, configuration), configuration).enforce.allowed).toBe(false);
    });

    it('labels override the defaults', () => {
      const namespace = resolveNamespace('apps', { 'pod-security.kubernetes.io/enforce': 'privileged' }, configuration);
      const result = admit(bad, true, namespace, configuration);
      expect(result.enforce.allowed).toBe(true);
      expect(result.warnings).toHaveLength(1);
    });

    it('exempts namespaces and runtime classes', () => {
      expect(admit(bad, true, resolveNamespace('kube-system', undefined, configuration), configuration).exempt).toBe('namespace');
      const kata = podOf({ runtimeClassName: 'kata', containers: [{ name: 'app', securityContext: { privileged: true } }] });
      expect(admit(kata, true, resolveNamespace('apps', undefined, configuration), configuration)).toMatchObject({ exempt: 'runtimeClass', enforce: { allowed: true } });
      expect(admit(kata, false, resolveNamespace('apps', undefined, configuration), configuration)).toMatchObject({ exempt: 'runtimeClass', warnings: [] });
    });
  });

  it('gives no warnings for controllers when warn and audit are privileged, but still previews enforce on their pods', () => {
    const labels = { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'privileged' };
    const namespace = resolveNamespace('web', labels, emptyPodSecurityConfiguration);
    const result = admit(podOf({ containers: [{ name: 'app', securityContext: { privileged: true } }] }), false, namespace, emptyPodSecurityConfiguration);
    expect(result.warnings).toEqual([]);
    expect(result.enforce.allowed).toBe(false);
  });
});
