import { posix as path } from 'node:path';
import type { SysctlFacts } from '../facts/node-facts.ts';
import { kubeletKernelParameters, procSysPath } from '../k3s/host-kernel.ts';
import type { RootFs } from './root-fs.ts';

/** systemd-sysctl's directories, highest priority first (sysctl.d(5)); procps `sysctl --system` reads /etc/sysctl.conf last. */
export const sysctlDirectories = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'] as const;

export async function collectSysctl(fs: RootFs): Promise<SysctlFacts> {
  const facts: SysctlFacts = { runtime: { available: false, values: {} }, boot: [], bootErrors: [] };

  const procSys = await fs.stat('/proc/sys/kernel');
  if (procSys.ok && procSys.stats.isDirectory()) {
    facts.runtime.available = true;
    for (const { name } of kubeletKernelParameters) {
      const file = procSysPath(name);
      const read = await fs.readText(file, 4096);
      facts.runtime.values[name] = read.ok ? { value: read.text.trim(), source: { kind: 'proc-sys', path: file } } : { error: read.error };
    }
  } else {
    facts.runtime.reason = fs.isLive
      ? '/proc/sys is not readable'
      : `${fs.root}/proc has no sys/: no host /proc is mounted there (an offline image), so only boot-time values can be judged`;
  }

  // Same file name in an earlier directory wins; files apply in name order, then /etc/sysctl.conf.
  const chosen = new Map<string, string>();
  for (const directory of sysctlDirectories) {
    const listing = await fs.list(directory);
    if (!listing.ok) {
      if (!listing.missing) facts.bootErrors.push({ path: directory, error: listing.error });
      continue;
    }
    for (const entry of listing.entries) {
      if (entry.isDirectory || !entry.name.endsWith('.conf') || chosen.has(entry.name)) continue;
      chosen.set(entry.name, path.join(directory, entry.name));
    }
  }
  const files = [...chosen.keys()].sort().map((name) => chosen.get(name) as string);
  files.push('/etc/sysctl.conf');
  for (const file of files) {
    const read = await fs.readText(file, 1024 * 1024);
    if (!read.ok) {
      if (!read.missing) facts.bootErrors.push({ path: file, error: read.error });
      continue;
    }
    for (const assignment of parseSysctlFile(read.text)) {
      facts.boot.push({ key: assignment.key, value: assignment.value, source: { kind: 'sysctl-file', path: file, line: assignment.line } });
    }
  }
  return facts;
}

/** `key = value` lines; `#`/`;` comments; a leading `-` (ignore errors) dropped; `kernel/panic` spelled `kernel.panic`. */
export function parseSysctlFile(text: string): { key: string; value: string; line: number }[] {
  const result: { key: string; value: string; line: number }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const equals = line.indexOf('=');
    if (equals === -1) return;
    let key = line.slice(0, equals).trim().replace(/^-/, '');
    if (key.includes('/') && !key.includes('.')) key = key.replace(/\//g, '.');
    else if (key.startsWith('/')) key = key.slice(1).replace(/\//g, '.');
    result.push({ key, value: line.slice(equals + 1).trim(), line: index + 1 });
  });
  return result;
}
