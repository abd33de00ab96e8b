import { deriveBenchmarkSpec } from './catalog-delta.ts';
import { defineBenchmark } from './catalog.ts';
import { hostEntries } from './host-group.ts';
import { k3sCis112Spec } from './k3s-cis-1.12.ts';

/**
 * k3s-cis-2.0: the k3s documentation's CIS 2.0 self-assessment (k3s 1.34-1.35), as its differences from
 * k3s-cis-1.12: the same controls; the guide answers 4.2.12 (kubelet ciphers), 4.2.13, 4.2.14 and the permissive
 * API server controls with "Warn", so an unmet result there is WARN, and leaves 5.1.5 to the operator. 4.1.7 keeps 600.
 */
export const k3sCis20Spec = deriveBenchmarkSpec(k3sCis112Spec, {
  id: 'k3s-cis-2.0',
  title: 'CIS Kubernetes Benchmark v2.0 for k3s',
  cisVersion: '2.0',
  k3sMinors: { from: 34, to: 35 },
  source: 'k3s-io/docs docs/security/self-assessment-2.0.md (k3s v1.34-v1.37); section 5 wording follows k3s-cis-1.12',
  changed: { '5.1.5': { params: { assessment: 'manual' } } },
  unmet: { WARN: ['1.2.3', '1.2.9', '1.2.11', '1.2.20', '4.2.12', '4.2.13', '4.2.14', '5.1.5'] },
});

export const k3sCis20 = defineBenchmark(k3sCis20Spec, hostEntries);
