import { posix } from 'node:path';
import type { NodeFacts } from '../facts/node-facts.ts';
import { parseConfigFileText } from '../k3s/config-file.ts';
import { procSysPath } from '../k3s/host-kernel.ts';
import { configDropInDir, defaultConfigFile } from '../k3s/paths.ts';
import { parseSysctlLine, sysctlFilePath } from './sysctl-file.ts';
import type { PlannedChange } from './plan.ts';

/**
 * The node's facts as they will be after some of a plan's changes, without touching the disk: the drop-in
 * joins the config files (parsed by k3s's own rules, in k3s's order), file stats take their new modes and
 * owners, and the sysctl file's values join the boot-time settings. Used to tell which controls each
 * change makes pass, with the same engine as `kharden audit --configured`.
 */
export function predictFacts(facts: NodeFacts, changes: readonly PlannedChange[], options: { loadKernel?: boolean } = {}): NodeFacts {
  const next: NodeFacts = structuredClone(facts);
  const configDir = `${configDropInDir(next.k3s.configPath?.value ?? defaultConfigFile)}/`;
  for (const change of changes) {
    const operation = change.operation;
    if (operation.op === 'write' && operation.path.startsWith(configDir) && operation.path.endsWith('.yaml')) {
      const parsed = parseConfigFileText(operation.content, operation.path);
      const others = next.k3s.configFiles.filter((file) => file.path !== operation.path);
      const base = others.filter((file) => !file.path.startsWith(configDir));
      const dropIns = [...others.filter((file) => file.path.startsWith(configDir)), parsed].sort((a, b) => posix.basename(a.path).localeCompare(posix.basename(b.path)));
      next.k3s.configFiles = [...base, ...dropIns];
    }
    if (operation.op === 'write' && operation.path === sysctlFilePath) {
      const values = operation.content.split('\n').flatMap((line, index) => {
        const parsed = parseSysctlLine(line);
        return parsed === null ? [] : [{ key: parsed.key, value: parsed.value, source: { kind: 'sysctl-file' as const, path: sysctlFilePath, line: index + 1 } }];
      });
      const others = next.sysctl.boot.filter((entry) => entry.source.path !== sysctlFilePath);
      // systemd-sysctl applies files by name; ours comes before later names and /etc/sysctl.conf.
      const later = (path: string | undefined): boolean => path === '/etc/sysctl.conf' || posix.basename(path ?? '') > posix.basename(sysctlFilePath);
      next.sysctl.boot = [...others.filter((entry) => !later(entry.source.path)), ...values, ...others.filter((entry) => later(entry.source.path))];
      // --apply-sysctl loads the same values into the running kernel.
      if (options.loadKernel === true && next.sysctl.runtime.available) {
        for (const value of values) {
          if (next.sysctl.runtime.values[value.key] === undefined) continue;
          next.sysctl.runtime.values[value.key] = { value: value.value, source: { kind: 'proc-sys', path: procSysPath(value.key) } };
        }
      }
    }
    const stat = next.files.find((file) => file.path === operation.path);
    if (stat !== undefined) {
      stat.exists = true;
      stat.mode = operation.mode;
      stat.uid = operation.uid;
      stat.gid = operation.gid;
      stat.user = operation.uid === 0 ? 'root' : String(operation.uid);
      stat.group = operation.gid === 0 ? 'root' : String(operation.gid);
      if (stat.type === undefined) stat.type = operation.op === 'mkdir' ? 'directory' : 'file';
      delete stat.error;
    }
  }
  return next;
}
