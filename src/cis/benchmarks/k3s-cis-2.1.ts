import { deriveBenchmarkSpec } from './catalog-delta.ts';
import { defineBenchmark } from './catalog.ts';
import { hostEntries } from './host-group.ts';
import { k3sCis20Spec } from './k3s-cis-2.0.ts';

/**
 * k3s-cis-2.1: the k3s documentation's CIS 2.1 self-assessment (k3s 1.36 and newer), as its differences from
 * k3s-cis-2.0. New: 4.1.11 (kubelet drop-in directory permissions; the guide says N/A, but k3s does run the kubelet
 * with --config-dir, so kharden checks it), 5.1.14 (nodes/proxy) and 5.2.13 (unmasked procMount). 4.1.7 becomes 644
 * and Manual; several labels move between Automated and Manual, and several titles are reworded.
 */
export const k3sCis21Spec = deriveBenchmarkSpec(k3sCis20Spec, {
  id: 'k3s-cis-2.1',
  title: 'CIS Kubernetes Benchmark v2.1 for k3s',
  cisVersion: '2.1',
  k3sMinors: { from: 36, to: 37 },
  source: 'k3s-io/docs docs/security/self-assessment-2.1.md (k3s v1.36-v1.37)',
  labelled: {
    automated: ['1.1.11', '1.2.16', '1.2.17', '1.2.18', '1.2.19', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6'],
    manual: ['1.1.9', '1.1.10', '1.1.20', '1.1.21', '1.2.1', '1.2.29', '4.1.3', '4.1.4', '4.1.7', '4.1.8', '4.2.4', '4.2.7', '4.2.9', '4.2.11', '4.3.1'],
  },
  changed: {
    '1.1.13': { title: 'Ensure that the default administrative credential file permissions are set to 600' },
    '1.1.14': { title: 'Ensure that the default administrative credential file ownership is set to root:root' },
    '1.2.1': { title: 'Ensure that anonymous requests to the API server are restricted' },
    '1.2.3': { title: 'Ensure that the DenyServiceExternalIPs is set' },
    '4.1.7': { title: 'Ensure that the certificate authorities file permissions are set to 644 or more restrictive', params: { mode: 0o644 } },
    '4.1.9': { title: 'If the kubelet config.yaml configuration file is being used validate permissions set to 600 or more restrictive' },
    '4.1.10': { title: 'If the kubelet config.yaml configuration file is being used validate file ownership is set to root:root' },
    '4.2.4': { title: 'Verify that if defined, readOnlyPort is set to 0' },
    '5.2.10': { title: 'Minimize the admission of Windows HostProcess Containers' },
    '5.3.1': { title: 'Ensure that the CNI in use supports Network Policies' },
    '5.3.2': { title: 'Ensure that all Namespaces have Network Policies defined' },
    '5.4.1': { title: 'Prefer using secrets as files over secrets as environment variables' },
    '5.6.2': { title: 'Ensure that the seccomp profile is set to docker/default in your pod definitions' },
    '5.6.3': { title: 'Apply Security Context to Your Pods and Containers' },
  },
  added: [
    { id: '4.1.11', title: 'Ensure that the kubelet drop-in configuration directory and files have restrictive permissions', type: 'automated', implementation: 'kubelet.drop-in-permissions', params: { dirMode: 0o755, fileMode: 0o600 } },
    { id: '5.1.14', title: 'Ensure that access to the Kubelet API uses fine-grained subresources instead of nodes/proxy where possible', type: 'manual', implementation: 'policy.kubelet-api-fine-grained', params: { assessment: 'manual' }, unmetStatus: 'WARN' },
    { id: '5.2.13', title: 'Minimize the admission of containers which have unmasked procmounts', type: 'manual', implementation: 'policy.unmasked-proc-mount', params: { assessment: 'manual' }, unmetStatus: 'WARN' },
  ],
});

export const k3sCis21 = defineBenchmark(k3sCis21Spec, hostEntries);
