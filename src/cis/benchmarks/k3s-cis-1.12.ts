import { apiServerCiphersCis112, kubeletCiphersCis112 } from './cipher-suites.ts';
import { deriveBenchmarkSpec } from './catalog-delta.ts';
import { defineBenchmark } from './catalog.ts';
import { hostEntries } from './host-group.ts';
import { k3sCis111Spec } from './k3s-cis-1.11.ts';

/**
 * k3s-cis-1.12: Rancher security-scan's k3s profile of CIS 1.12 (k3s 1.32-1.33; Rancher's compliance operator uses it
 * for every k3s >= 1.32), as its differences from k3s-cis-1.11: API server and kubelet cipher lists keep only
 * GCM/CHACHA suites, 5.2.9 "added capabilities" is gone (5.2.10-5.2.13 become 5.2.9-5.2.12), and the profile
 * audits the controls the k3s guides answer with "Warn", so an unmet one FAILs.
 */
export const k3sCis112Spec = deriveBenchmarkSpec(k3sCis111Spec, {
  id: 'k3s-cis-1.12',
  title: 'CIS Kubernetes Benchmark v1.12 for k3s',
  cisVersion: '1.12',
  k3sMinors: { from: 32, to: 33 },
  source: 'rancher/security-scan package/cfg/k3s-cis-1.12 (38bebe71), the reference catalog in shared/reference',
  removed: ['5.2.9'],
  renumbered: { '5.2.10': '5.2.9', '5.2.11': '5.2.10', '5.2.12': '5.2.11', '5.2.13': '5.2.12' },
  changed: {
    '1.2.29': { params: { allowed: apiServerCiphersCis112 } },
    '4.2.12': { params: { allowed: kubeletCiphersCis112 } },
  },
  unmet: { FAIL: ['1.2.3', '1.2.9', '1.2.11', '1.2.20', '4.2.13', '4.2.14'] },
});

export const k3sCis112 = defineBenchmark(k3sCis112Spec, hostEntries);
