import { readFileSync, writeFileSync } from 'node:fs';
import { applyError } from '../core/errors.ts';
import { kubeletKernelParams, procSysPath } from './kernel-params.ts';
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
  for (const param of kubeletKernelParams) {
    const { hostPath, exists } = resolveUnderRoot(root, procSysPath(param.key));
    if (!exists) {
      result.unavailable = `${procSysPath(param.key)} does not exist under ${root}: no running kernel to load into; the values apply at the next boot`;
      return result;
    }
    const current = readFileSync(hostPath, 'utf8').trim();
    if (current === param.value) {
      result.unchanged.push(param.key);
      continue;
    }
    try {
      writeFileSync(hostPath, `${param.value}\n`);
    } catch (error) {
      throw applyError(`cannot set ${param.key} in the running kernel (${procSysPath(param.key)}): ${(error as Error).message}`, error);
    }
    result.loaded.push({ key: param.key, from: current, to: param.value });
  }
  return result;
}

/** Parameters whose running value differs from what the kubelet expects (empty when /proc/sys is not there). */
export function kernelMismatches(root: string): string[] {
  const mismatches: string[] = [];
  for (const param of kubeletKernelParams) {
    const { hostPath, exists } = resolveUnderRoot(root, procSysPath(param.key));
    if (!exists) return [];
    const value = readFileSync(hostPath, 'utf8').trim();
    if (value !== param.value) mismatches.push(`${param.key}=${value} (wants ${param.value})`);
  }
  return mismatches;
}
