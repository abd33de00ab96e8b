import { describe, expect, it } from 'vitest';
import { cniNetworkPolicy } from './cni-network-policy-support.ts';
import { defaultNamespaceUse } from './default-namespace-unused.ts';
import { externalSecretStorage } from './external-secret-storage.ts';
import { imageProvenance } from './image-provenance.ts';
import { namespaceBoundaries } from './namespace-boundaries.ts';
import { namespaceNetworkPolicies } from './namespaces-network-policies.ts';
import { policyControlMechanism } from './policy-control-mechanism.ts';
import { seccompProfile } from './seccomp-profile.ts';
import { benchmark, deployment, namespace, networkPolicy, node, pod, podSpec, role, serviceAccount, testCluster, webhook } from './test-cluster.fixture.ts';

describe('policy-control-mechanism (5.2.1)', () => {
  it('lists namespaces with workloads and no enforce label, and notes webhooks and the admission configuration from node-args', () => {
    const verdict = policyControlMechanism.check(
      testCluster([
        namespace('shop'),
        namespace('safe', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
        namespace('empty'),
        pod('shop', 'p'),
        pod('safe', 'q'),
        webhook('ValidatingWebhookConfiguration', 'kyverno-resource-validating-webhook-cfg'),
        node('server-1', ['server', '--kube-apiserver-arg', 'admission-control-config-file=/var/lib/rancher/k3s/server/psa.yaml']),
      ]),
      benchmark('manual'),
    );
    expect(verdict.status).toBe('WARN');
    expect(verdict.evidence.map((evidence) => [evidence.subject, evidence.value, evidence.source.kind])).toEqual([
      ['Namespace shop (has workloads) label pod-security.kubernetes.io/enforce', null, 'api-object'],
      ['namespaces labelled pod-security.kubernetes.io/enforce baseline or restricted', '1', 'kharden'],
      [
        "kube-apiserver --admission-control-config-file (may set cluster-wide Pod Security defaults; its content is on the server, not in the API) on server server-1",
        '/var/lib/rancher/k3s/server/psa.yaml',
        'node-args-annotation',
      ],
      ['ValidatingWebhookConfiguration (a possible policy engine)', 'kyverno-resource-validating-webhook-cfg', 'api-object'],
    ]);
  });
});

describe('cni-network-policy (5.3.1)', () => {
  it('flags a server that disables the embedded network policy controller, from its node-args', () => {
    const verdict = cniNetworkPolicy.check(testCluster([node('s1', ['server', '--disable-network-policy']), node('a1', null)]), benchmark('manual'));
    expect(verdict.status).toBe('WARN');
    expect(verdict.evidence[0]).toEqual({
      subject: 'k3s --disable-network-policy (NetworkPolicies not enforced by k3s) on server s1',
      value: 'true',
      source: { kind: 'node-args-annotation', detail: 'Node s1 k3s.io/node-args item 1' },
    });
    expect(verdict.evidence.at(-1)).toMatchObject({ subject: expect.stringContaining('could not read'), value: 'a1' });
  });

  it('names the servers that run the controller when none disables it', () => {
    const verdict = cniNetworkPolicy.check(testCluster([node('s1', ['server'])]), benchmark('manual'));
    expect(verdict.reason).toMatch(/^kharden found no server with --disable-network-policy/);
    expect(verdict.evidence[1]).toMatchObject({ value: 's1' });
  });
});

describe('namespace-network-policies (5.3.2)', () => {
  it('lists namespaces without any NetworkPolicy', () => {
    const verdict = namespaceNetworkPolicies.check(testCluster([namespace('shop'), namespace('ops'), networkPolicy('ops', 'deny')]), benchmark('automated'));
    expect(verdict.status).toBe('FAIL');
    expect(verdict.evidence[0]).toMatchObject({ subject: 'Namespace shop NetworkPolicies', value: '0' });
  });
  it('is UNKNOWN when NetworkPolicies cannot be listed', () => {
    expect(namespaceNetworkPolicies.check(testCluster([namespace('shop')], { forbidden: ['NetworkPolicy'] }), benchmark('automated')).status).toBe('UNKNOWN');
  });
});

describe('settings-only manual controls (5.4.2, 5.5.1, 5.6.1)', () => {
  it('show the k3s settings they found and stay WARN', () => {
    const cluster = testCluster([
      namespace('shop'),
      node('s1', ['server', '--secrets-encryption', 'true', '--kube-apiserver-arg', 'enable-admission-plugins=NodeRestriction,EventRateLimit']),
    ]);
    const secrets = externalSecretStorage.check(cluster, benchmark('manual'));
    expect(secrets.status).toBe('WARN');
    expect(secrets.evidence[0]).toMatchObject({ subject: 'k3s --secrets-encryption on server s1', value: 'true', source: { kind: 'node-args-annotation' } });
    const provenance = imageProvenance.check(cluster, benchmark('manual'));
    expect(provenance.evidence[0]).toMatchObject({ subject: 'kube-apiserver --enable-admission-plugins (does not include ImagePolicyWebhook) on server s1' });
    expect(namespaceBoundaries.check(cluster, benchmark('manual')).status).toBe('WARN');
  });
});

describe('seccomp-profile (5.6.2)', () => {
  it('offends on unset profiles unless every kubelet runs with --seccomp-default', () => {
    const pods = [pod('shop', 'p'), pod('shop', 'q', podSpec({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }))];
    const without = seccompProfile.check(testCluster([...pods, node('s1', ['server'])]), benchmark('automated'));
    expect(without.status).toBe('FAIL');
    expect(without.evidence[0]).toMatchObject({ subject: 'Pod shop/p: container "app" seccompProfile' });
    const withDefault = seccompProfile.check(testCluster([...pods, node('s1', ['server', '--kubelet-arg', 'seccomp-default=true'])]), benchmark('automated'));
    expect(withDefault.status).toBe('PASS');
    const unconfined = seccompProfile.check(testCluster([pod('shop', 'u', podSpec({}, { securityContext: { seccompProfile: { type: 'Unconfined' } } }))]), benchmark('automated'));
    expect(unconfined.evidence[0]).toMatchObject({ value: 'Unconfined' });
  });
});

describe('default-namespace-use (5.6.4)', () => {
  it('lists what lives in default besides its own ServiceAccount', () => {
    const verdict = defaultNamespaceUse.check(
      testCluster([serviceAccount('default', 'default'), deployment('default', 'web'), role('default', 'r', []), pod('shop', 'elsewhere')]),
      benchmark('manual'),
    );
    expect(verdict.status).toBe('WARN');
    expect(verdict.evidence.map((evidence) => evidence.subject)).toEqual(['Deployment default/web (pod template)', 'Role default/r']);
  });
});
