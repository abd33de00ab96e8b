import { z } from 'zod';

/**
 * Where a fact came from. Every value a verdict relies on carries one, so that an operator can go and look.
 * `path` is the path on the node (not under --root), `line` is 1-based.
 */
export const sourceKinds = [
  'config-file', // /etc/rancher/k3s/config.yaml or a config.yaml.d drop-in
  'cmdline', // the running k3s process's own arguments (/proc/PID/cmdline)
  'service-unit', // systemd unit or openrc init script ExecStart/command_args
  'env-file', // the unit's environment file (K3S_* variables)
  'k3s-log', // a `Running <component> ...` line k3s logged when it started
  'k3s-default', // k3s's built-in default for that version (no setting anywhere)
  'file-stat', // mode and owner of a file on disk
  'file-content', // the content of a file on disk (kubelet config, etcd config, encryption config)
  'proc-sys', // runtime kernel parameter from /proc/sys
  'sysctl-file', // boot-time kernel parameter from /etc/sysctl.d and friends
  'node-args-annotation', // the k3s.io/node-args annotation of a Node object
  'api-object', // an object read from the Kubernetes API or a manifest file
  'binary', // the k3s binary (version)
  'kharden', // kharden's own reasoning (for example "embedded etcd not used")
] as const;
export type SourceKind = (typeof sourceKinds)[number];

export const sourceSchema = z.object({
  kind: z.enum(sourceKinds),
  path: z.string().optional(),
  line: z.number().int().positive().optional(),
  detail: z.string().optional(),
});
export type Source = z.infer<typeof sourceSchema>;

/** A value together with where it was seen. */
export interface Sourced<T> {
  value: T;
  source: Source;
}

export function sourcedSchema<T extends z.ZodType>(value: T) {
  return z.object({ value, source: sourceSchema });
}

/** One line, human readable: `/etc/rancher/k3s/config.yaml:12`, `k3s log (journald unit k3s)`, ... */
export function describeSource(source: Source): string {
  const where = source.path === undefined ? '' : source.line === undefined ? source.path : `${source.path}:${source.line}`;
  const label = sourceLabels[source.kind];
  const parts = [label, where, source.detail].filter((part): part is string => part !== undefined && part !== '');
  return parts.join(' ');
}

const sourceLabels: Record<SourceKind, string> = {
  'config-file': 'config',
  cmdline: 'k3s process args',
  'service-unit': 'service unit',
  'env-file': 'environment file',
  'k3s-log': 'k3s log',
  'k3s-default': 'k3s default',
  'file-stat': 'file',
  'file-content': 'file content',
  'proc-sys': 'running kernel',
  'sysctl-file': 'boot sysctl',
  'node-args-annotation': 'node-args annotation',
  'api-object': 'object',
  binary: 'k3s binary',
  kharden: 'kharden',
};
