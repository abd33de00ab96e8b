import { apiServerCiphersK3sDocs110 } from './cipher-suites.ts';
import { changeEach, deriveBenchmarkSpec } from './catalog-delta.ts';
import { defineBenchmark } from './catalog.ts';
import { hostEntries } from './host-group.ts';
import { k3sCis19Spec } from './k3s-cis-1.9.ts';

/**
 * k3s-cis-1.10: the k3s documentation's CIS 1.10 self-assessment (selected for k3s 1.28), as its differences from
 * k3s-cis-1.9. The guide scores what kube-bench left unscored, labels 1.1.20 Manual (no audit: WARN when
 * certificates are looser than 600), drops the 3DES and RSA-CBC suites from the API server cipher list, and
 * answers some controls with "Warn", which stay WARN here.
 */
export const k3sCis110Spec = deriveBenchmarkSpec(k3sCis19Spec, {
  id: 'k3s-cis-1.10',
  title: 'CIS Kubernetes Benchmark v1.10 for k3s',
  cisVersion: '1.10',
  k3sMinors: { from: 28, to: 28 },
  source: 'k3s-io/docs docs/security/self-assessment-1.10.md (k3s v1.28-v1.33 guide); labels not shown in the parts read follow k3s-cis-1.9',
  labelled: {
    // 1.1.1-1.1.8 and 1.1.12 were Automated but unscored in kube-bench's profile.
    automated: ['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '1.1.8', '1.1.12', '5.1.2', '5.1.4'],
    manual: ['1.1.20'],
  },
  changed: {
    '1.1.20': { scored: true },
    '1.2.29': { params: { allowed: apiServerCiphersK3sDocs110 } },
    // The guide audits these although it labels them Manual.
    ...changeEach(['5.2.2', '5.2.3', '5.2.4', '5.2.5', '5.2.6', '5.2.9'], { params: { assessment: 'manual-audited' } }),
  },
  unmet: {
    WARN: ['1.1.20', '1.2.3', '1.2.9', '1.2.11', '1.2.20', '4.2.13'],
    FAIL: ['5.2.2', '5.2.3', '5.2.4', '5.2.5', '5.2.6', '5.2.9'],
  },
});

export const k3sCis110 = defineBenchmark(k3sCis110Spec, hostEntries);
