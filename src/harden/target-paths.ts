import { posix } from 'node:path';
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

export const defaultDataDir = '/var/lib/rancher/k3s';
export const defaultConfigFile = '/etc/rancher/k3s/config.yaml';
/** Sorted after the usual user drop-ins, so that a later file is rarely the one that overrides kharden. */
export const dropInName = '90-kharden.yaml';

export function targetPaths(input: { dataDir: string; configFile: string; auditLogDir?: string }): TargetPaths {
  const server = posix.join(input.dataDir, 'server');
  const auditLogDir = input.auditLogDir ?? posix.join(server, 'logs');
  return {
    sysctlFile: sysctlFilePath,
    configFile: input.configFile,
    dropIn: posix.join(`${input.configFile}.d`, dropInName),
    admissionConfig: posix.join(server, 'psa.yaml'),
    auditPolicy: posix.join(server, 'audit.yaml'),
    auditLogDir,
    auditLogFile: posix.join(auditLogDir, 'audit.log'),
    manifestsDir: posix.join(server, 'manifests'),
  };
}
