import { changeEach, deriveBenchmarkSpec } from './catalog-delta.ts';
import { defineBenchmark } from './catalog.ts';
import { hostEntries } from './host-group.ts';
import { k3sCis110Spec } from './k3s-cis-1.10.ts';

/**
 * k3s-cis-1.11: the k3s documentation's CIS 1.11 self-assessment (k3s 1.29-1.31), as its differences from
 * k3s-cis-1.10: PKI certificates 644 (1.1.20, Automated again), new 1.2.30 (--service-account-extend-token-expiration=false)
 * and 4.2.14 (--seccomp-default, Manual), 5.1.1-5.1.6 Manual but audited, General Policies renumbered 5.7.x -> 5.6.x.
 */
export const k3sCis111Spec = deriveBenchmarkSpec(k3sCis110Spec, {
  id: 'k3s-cis-1.11',
  title: 'CIS Kubernetes Benchmark v1.11 for k3s',
  cisVersion: '1.11',
  k3sMinors: { from: 29, to: 31 },
  source: 'k3s-io/docs docs/security/self-assessment-1.11.md; labels not shown in the parts read follow k3s-cis-1.10',
  renumbered: { '5.7.1': '5.6.1', '5.7.2': '5.6.2', '5.7.3': '5.6.3', '5.7.4': '5.6.4' },
  labelled: {
    automated: ['1.1.20'],
    manual: ['5.1.1', '5.1.2', '5.1.3', '5.1.4', '5.1.5', '5.1.6'],
  },
  changed: {
    '1.1.20': { title: 'Ensure that the Kubernetes PKI certificate file permissions are set to 644 or more restrictive', params: { mode: 0o644 } },
    '4.2.4': { title: 'Verify that if defined, the --read-only-port argument is set to 0' },
    ...changeEach(['5.1.1', '5.1.2', '5.1.3', '5.1.4', '5.1.5', '5.1.6'], { params: { assessment: 'manual-audited' } }),
  },
  unmet: { FAIL: ['1.1.20', '5.1.2', '5.1.4'] },
  added: [
    { id: '1.2.30', title: 'Ensure that the --service-account-extend-token-expiration parameter is set to false', type: 'automated', implementation: 'apiserver.service-account-extend-token-expiration' },
    { id: '4.2.14', title: 'Ensure that the --seccomp-default parameter is set to true', type: 'manual', implementation: 'kubelet.seccomp-default', unmetStatus: 'WARN' },
  ],
});

export const k3sCis111 = defineBenchmark(k3sCis111Spec, hostEntries);
