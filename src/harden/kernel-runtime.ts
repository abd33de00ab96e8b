import { readFileSync, writeFileSync } from 'node:fs';
import { applyError } from '../core/errors.ts';
import { kubeletKernelParameters, procSysPath } from '../k3s/host-kernel.ts';
import { resolveUnderRoot } from './root-path.ts';

/**
 * Loads the kubelet's kernel parameters into the running kernel now (what `sysctl -w` does): writes each
 * value to /proc/sys under the root. Under a --root that has no /proc/sys (an image, not a running
 * system) nothing can be loaded: the values apply at the next boot from 90-kubelet.conf.
 */
export interface KernelLoadResult {
  loaded: Array<{ key: string; from: string; to: string }>;
  unchanged: string[];
  unavailable: string | null;
}

export function loadKernelParams(root: string): KernelLoadResult {
  const result: KernelLoadResult = { loaded: [], unchanged: [], unavailable: null };
  for (const param of kubeletKernelParameters) {
    const { hostPath, exists } = resolveUnderRoot(root, procSysPath(param.name));
    if (!exists) {
      result.unavailable = `${procSysPath(param.name)} does not exist under ${root}: no running kernel to load into; the values apply at the next boot`;
      return result;
    }
    const current = readFileSync(hostPath, 'utf8').trim();
    if (current === param.expected) {
      result.unchanged.push(param.name);
      continue;
    }
    try {
      writeFileSync(hostPath, `${param.expected}\n`);
    } catch (error) {
      throw applyError(`cannot set ${param.name} in the running kernel (${procSysPath(param.name)}): ${(error as Error).message}`, error);
    }
    result.loaded.push({ key: param.name, from: current, to: param.expected });
  }
  return result;
}

/** Parameters whose running value differs from what the kubelet expects (empty when /proc/sys is not there). */
export function kernelMismatches(root: string): string[] {
  const mismatches: string[] = [];
  for (const param of kubeletKernelParameters) {
    const { hostPath, exists } = resolveUnderRoot(root, procSysPath(param.name));
    if (!exists) return [];
    const value = readFileSync(hostPath, 'utf8').trim();
    if (value !== param.expected) mismatches.push(`${param.name}=${value} (wants ${param.expected})`);
  }
  return mismatches;
}
