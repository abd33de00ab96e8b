import { kubeletKernelParameters } from '../../k3s/host-kernel.ts';
import type { CatalogEntry, Params } from './catalog.ts';
import { controlTexts } from './texts.ts';

/**
 * kharden's host group: the host-level requirements of the k3s hardening guide, which CIS no longer numbers.
 * The six kernel parameters are the ones the kubelet's protect-kernel-defaults compares (kubelet
 * setupKernelTunables); the guide's /etc/sysctl.d/90-kubelet.conf sets the first four, the two key quotas match
 * the Linux defaults since 3.x. Appended to every benchmark catalog.
 */
export const kernelParameters = kubeletKernelParameters;

function entry(id: string, title: string, params: Params): CatalogEntry {
  const texts = controlTexts(id, params);
  return {
    id,
    title,
    section: 'host',
    target: 'host',
    type: 'automated',
    scored: false,
    implementation: id,
    params,
    unmetStatus: 'FAIL',
    expected: texts.expected,
    remediation: texts.remediation,
  };
}

export const hostEntries: readonly CatalogEntry[] = [
  ...kernelParameters.map((parameter) =>
    entry(`host.kernel.${parameter.name}`, `Ensure that the kernel parameter ${parameter.name} is ${parameter.expected} now and at boot`, {
      parameter: parameter.name,
      expected: parameter.expected,
      kernelDefault: parameter.kernelDefault,
    }),
  ),
  entry('host.kubelet.protect_kernel_defaults', 'Ensure that the kubelet runs with protect-kernel-defaults', {}),
];
