import { basename } from 'node:path';
import type { SysctlFacts } from '../facts/node-facts.ts';
import { type KubeletKernelParameter, kubeletKernelParameters } from '../k3s/host-kernel.ts';

/** Where the kernel parameters go: read by systemd-sysctl (and `sysctl --system`) at every boot. */
export const sysctlFilePath = '/etc/sysctl.d/90-kubelet.conf';

const header = [
  '# Kernel parameters the kubelet checks with --protect-kernel-defaults (k3s protect-kernel-defaults: true).',
  '# Written by kharden harden; loaded at boot by systemd-sysctl, or now with `sysctl --system`.',
];

/**
 * The content of 90-kubelet.conf. When the file exists its comments, order and other parameters are kept:
 * only the value of a listed parameter that differs is replaced, and missing ones are appended.
 */
export function sysctlFileContent(existing: string | null, params: readonly KubeletKernelParameter[] = kubeletKernelParameters): string {
  if (existing === null) return `${[...header, ...params.map((param) => `${param.name} = ${param.expected}`)].join('\n')}\n`;
  const wanted = new Map(params.map((param) => [param.name, param.expected]));
  const seen = new Set<string>();
  const lines = existing.split('\n');
  const trailingNewline = existing.endsWith('\n');
  if (trailingNewline) lines.pop();
  const edited = lines.map((line) => {
    const parsed = parseSysctlLine(line);
    if (parsed === null) return line;
    const value = wanted.get(parsed.key);
    if (value === undefined) return line;
    seen.add(parsed.key);
    return parsed.value === value ? line : `${line.slice(0, parsed.valueStart)}${value}`;
  });
  for (const param of params) if (!seen.has(param.name)) edited.push(`${param.name} = ${param.expected}`);
  return `${edited.join('\n')}\n`;
}

/** `key = value` (sysctl.d(5)): a leading `-` ignores errors; `/` may separate key parts instead of `.`. */
export function parseSysctlLine(line: string): { key: string; value: string; valueStart: number } | null {
  const match = /^(\s*-?\s*)([^=#;\s][^=]*?)\s*=\s*/.exec(line);
  if (match === null || /^\s*[#;]/.test(line)) return null;
  const key = (match[2] ?? '').replaceAll('/', '.');
  const valueStart = match[0].length;
  return { key, value: line.slice(valueStart).trim(), valueStart };
}

/** A boot-time setting from another file that systemd-sysctl applies after ours and that undoes it. */
export interface SysctlOverride {
  key: string;
  wanted: string;
  value: string;
  path: string;
  line?: number;
}

const sysctlDirs = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'];

/** Settings that would override ours at boot: later files (by name) and /etc/sysctl.conf, which comes last. */
export function laterBootOverrides(boot: SysctlFacts['boot'], params: readonly KubeletKernelParameter[] = kubeletKernelParameters): SysctlOverride[] {
  const ours = basename(sysctlFilePath);
  const overrides = new Map<string, SysctlOverride>();
  for (const entry of boot) {
    const path = entry.source.path ?? '';
    if (path === sysctlFilePath) {
      overrides.delete(entry.key);
      continue;
    }
    const appliesAfter = path === '/etc/sysctl.conf' || (sysctlDirs.some((dir) => path.startsWith(`${dir}/`)) && basename(path) > ours);
    const param = params.find((candidate) => candidate.name === entry.key);
    if (param === undefined || !appliesAfter) continue;
    if (entry.value.trim() === param.expected) overrides.delete(entry.key);
    else {
      const override: SysctlOverride = { key: entry.key, wanted: param.expected, value: entry.value, path };
      if (entry.source.line !== undefined) override.line = entry.source.line;
      overrides.set(entry.key, override);
    }
  }
  return [...overrides.values()];
}
