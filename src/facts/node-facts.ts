import { z } from 'zod';
import { sourceSchema, sourcedSchema } from '../core/source.ts';

/**
 * Node facts: everything kharden knows about one k3s node, as plain data. `kharden collect -o node.json`
 * writes exactly this, and `--snapshot` reads it back through `nodeFactsSchema` (the trust boundary).
 * Secret values (tokens, keys, passwords in URLs) never enter it: collectors mask them as `********`,
 * as k3s does in its node-args annotation.
 */
export const nodeFactsApiVersion = 'kharden.dev/v1';
export const nodeFactsKind = 'NodeFacts';

/** A fact that could not be read carries the reason instead (permission denied, missing, parse error). */
export const readErrorSchema = z.object({ message: z.string(), line: z.number().int().positive().optional() });
export type ReadError = z.infer<typeof readErrorSchema>;

const configValueSchema = z.union([z.string(), z.boolean(), z.number(), z.array(z.union([z.string(), z.number(), z.boolean()]))]);

/** One top-level key of a k3s config file, as written (a `key+` entry keeps its `+`). */
export const configEntrySchema = z.object({
  key: z.string(),
  value: configValueSchema,
  line: z.number().int().positive(),
  /** For a list value, the line of each item (same order as `value`). */
  itemLines: z.array(z.number().int().positive()).optional(),
});
export type ConfigEntry = z.infer<typeof configEntrySchema>;

/** /etc/rancher/k3s/config.yaml or one config.yaml.d drop-in (in the order k3s reads them). */
export const configFileSchema = z.object({
  path: z.string(),
  present: z.boolean(),
  entries: z.array(configEntrySchema),
  error: readErrorSchema.optional(),
  /** Last modification time (ISO 8601), to tell whether the file changed after k3s started. */
  modifiedAt: z.string().optional(),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

/** How k3s is started: the running process, and the service definition that starts it. */
export const launchSchema = z.object({
  source: sourceSchema,
  /** argv after the k3s binary: `server --flag value ...`, secrets masked. */
  argv: z.array(z.string()),
  /** The k3s binary it runs (ExecStart's program, /proc/PID/exe), as a path on the node. */
  binary: z.string().optional(),
  /** The process id (process launches only). */
  pid: z.number().int().positive().optional(),
  /** When the process started (ISO 8601; process launches only). */
  startedAt: z.string().optional(),
  /** K3S_* (and AWS_*) variables the process was started with (/proc/PID/environ), secrets masked. */
  environment: z.array(z.object({ name: z.string(), value: z.string(), source: sourceSchema })).optional(),
});
export type Launch = z.infer<typeof launchSchema>;

export const components = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy', 'etcd', 'cloud-controller-manager'] as const;
export type Component = (typeof components)[number];

/** A `Running <component> --a=b ...` line that k3s logged when it (last) started the component. */
export const runningLineSchema = z.object({
  component: z.enum(components),
  /** The flags as logged, `--name=value`, secrets masked. */
  args: z.array(z.string()),
  source: sourceSchema,
  /** The log line's own timestamp, when it has one (ISO 8601 or as logged). */
  time: z.string().optional(),
});
export type RunningLine = z.infer<typeof runningLineSchema>;

export const logSourceSchema = z.object({
  /** `journald unit k3s`, `/var/log/k3s.log`, ... */
  name: z.string(),
  read: z.boolean(),
  error: readErrorSchema.optional(),
});

export const logFactsSchema = z.object({
  /** Every log source tried, read or not, so that an UNKNOWN can say where kharden looked. */
  sources: z.array(logSourceSchema),
  /** The last `Running <component>` line per component. */
  running: z.array(runningLineSchema),
  /** Evidence lines k3s writes about its datastore (`Managed etcd cluster ...`, `Configuring sqlite3 database ...`). */
  datastoreLines: z.array(z.object({ text: z.string(), source: sourceSchema })),
});
export type LogFacts = z.infer<typeof logFactsSchema>;

export const fileTypes = ['file', 'directory', 'symlink', 'other'] as const;

/** Mode and owner of a path the benchmark names. `exists: false` is a fact too; `error` means it could not be read. */
export const fileStatSchema = z.object({
  path: z.string(),
  exists: z.boolean(),
  type: z.enum(fileTypes).optional(),
  /** Permission bits only (0o7777), as a number. */
  mode: z.number().int().min(0).max(0o7777).optional(),
  uid: z.number().int().optional(),
  gid: z.number().int().optional(),
  /** Set when the path is a symlink: where it points (resolved inside the root); mode and owner are the target's. */
  symlinkTo: z.string().optional(),
  /** Names from the node's own /etc/passwd and /etc/group (under --root, the root's). */
  user: z.string().optional(),
  group: z.string().optional(),
  error: readErrorSchema.optional(),
});
export type FileStat = z.infer<typeof fileStatSchema>;

/** A structured config file on the node (kubelet config drop-in, etcd config, encryption config). */
export const structuredFileSchema = z.object({
  path: z.string(),
  present: z.boolean(),
  /** Parsed content, with secret material removed (encryption keys are replaced by `********`). */
  content: z.unknown().optional(),
  error: readErrorSchema.optional(),
  /** Line of each field, by dotted path (`authentication.anonymous.enabled`), for evidence. */
  fieldLines: z.record(z.string(), z.number().int().positive()).optional(),
});
export type StructuredFile = z.infer<typeof structuredFileSchema>;

export const sysctlFactsSchema = z.object({
  runtime: z.object({
    /** false when there is no /proc to read (an offline image under --root). */
    available: z.boolean(),
    reason: z.string().optional(),
    values: z.record(z.string(), z.union([sourcedSchema(z.string()), z.object({ error: readErrorSchema })])),
  }),
  /** Values /etc/sysctl.d and friends set at boot, in the order systemd-sysctl applies them (last wins). */
  boot: z.array(z.object({ key: z.string(), value: z.string(), source: sourceSchema })),
  bootErrors: z.array(z.object({ path: z.string(), error: readErrorSchema })),
});
export type SysctlFacts = z.infer<typeof sysctlFactsSchema>;

export const roles = ['server', 'agent'] as const;
export type Role = (typeof roles)[number];

export const nodeFactsSchema = z.object({
  apiVersion: z.literal(nodeFactsApiVersion),
  kind: z.literal(nodeFactsKind),
  collectedAt: z.string(),
  collector: z.object({
    kharden: z.string(),
    /**
     * live: this host; root: a filesystem mounted at `root`; demo: the bundled sample; node-args: built from a
     * Node object's k3s.io/node-args annotation through the API (src/k3s/node-args.ts), with no host access.
     */
    mode: z.enum(['live', 'root', 'demo', 'node-args']),
    root: z.string(),
  }),
  hostname: z.string().nullable(),
  k3s: z.object({
    /** false when nothing of k3s was found (no binary, no data dir, no config, no process). */
    installed: z.boolean(),
    version: sourcedSchema(z.string()).nullable(),
    /** Every version seen (binary, `Starting k3s` log line), so that an upgrade without restart is visible. */
    versionEvidence: z.array(sourcedSchema(z.string())).optional(),
    /** The main config file k3s reads (default /etc/rancher/k3s/config.yaml, or --config / K3S_CONFIG_FILE). */
    configPath: sourcedSchema(z.string()).optional(),
    role: sourcedSchema(z.enum(roles)).nullable(),
    dataDir: z.string(),
    configFiles: z.array(configFileSchema),
    process: launchSchema.nullable(),
    service: launchSchema.nullable(),
    /** K3S_* variables from the service's environment file(s), secrets masked. */
    environment: z.array(z.object({ name: z.string(), value: z.string(), source: sourceSchema })),
    logs: logFactsSchema,
  }),
  kubeletConfigFiles: z.array(structuredFileSchema),
  etcdConfig: structuredFileSchema.nullable(),
  encryptionConfig: structuredFileSchema.nullable(),
  files: z.array(fileStatSchema),
  sysctl: sysctlFactsSchema,
});
export type NodeFacts = z.infer<typeof nodeFactsSchema>;
