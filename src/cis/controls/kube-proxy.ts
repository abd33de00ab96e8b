import { notApplicable } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { flagControl } from './component-flags.ts';

/** CIS 4.3.1: kube-proxy's metrics endpoint stays on loopback (its default is 127.0.0.1:10249). */
const metricsBindAddress = flagControl('kube-proxy.metrics-bind-address', 'kube-proxy', { kind: 'loopback', flag: 'metrics-bind-address', absent: 'pass' });

export const kubeProxyMetricsControl = defineControl<NodeAuditInput>({
  ...metricsBindAddress,
  check: (input, benchmark) => {
    const disabled = input.context.kubeProxyDisabled ?? input.context.agentDisabled;
    if (disabled !== null) {
      return notApplicable('kube-proxy does not run on this node (--disable-kube-proxy or --disable-agent)', [{ subject: 'k3s setting', value: disabled.value, source: disabled.source }]);
    }
    return metricsBindAddress.check(input, benchmark);
  },
});
