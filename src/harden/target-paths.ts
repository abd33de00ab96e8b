import { posix } from 'node:path';
import { configDropInDir, k3sPaths } from '../k3s/paths.ts';
import { sysctlFilePath } from './sysctl-file.ts';

/** The files kharden writes on a node, all as absolute paths on the node (not under --root). */
export interface TargetPaths {
  sysctlFile: string;
  /** k3s's main config file; the drop-in goes in `<config>.d/`. */
  configFile: string;
  dropIn: string;
  admissionConfig: string;
  auditPolicy: string;
  auditLogDir: string;
  auditLogFile: string;
  manifestsDir: string;
}

/** Sorted after the usual user drop-ins, so that a later file is rarely the one that overrides kharden. */
export const dropInName = '90-kharden.yaml';

export function targetPaths(input: { dataDir: string; configFile: string; auditLogDir?: string }): TargetPaths {
  const k3s = k3sPaths(input.dataDir);
  const auditLogDir = input.auditLogDir ?? k3s.auditLogDir;
  return {
    sysctlFile: sysctlFilePath,
    configFile: input.configFile,
    dropIn: posix.join(configDropInDir(input.configFile), dropInName),
    admissionConfig: posix.join(k3s.server, 'psa.yaml'),
    auditPolicy: posix.join(k3s.server, 'audit.yaml'),
    auditLogDir,
    auditLogFile: posix.join(auditLogDir, 'audit.log'),
    manifestsDir: k3s.manifestsDir,
  };
}
