import { posix as path } from 'node:path';
import type { Source } from '../core/source.ts';
import type { StructuredFile } from '../facts/node-facts.ts';
import type { ArgValue } from './effective-args.ts';

/**
 * Kubelet settings that live in KubeletConfiguration files rather than on the command line: k3s 1.32+
 * writes agent/etc/kubelet.conf.d/00-k3s-defaults.conf and runs the kubelet with `--config-dir`; a user's
 * `kubelet-arg: config=FILE` becomes 10-cli-config.conf, `config-dir=DIR` 20-cli-config-dir/.
 *
 * The kubelet merges drop-ins in file-name order (only `*.conf`), later files overriding earlier ones
 * field by field; lists are replaced, not merged; command-line flags override all of them
 * (kubernetes.io "Kubelet Configuration Directory Merging"). Each config field the benchmark reads is
 * exposed under the flag name it corresponds to, so that a control reads one value with its source.
 */
export interface KubeletFieldFlag {
  /** Dotted path in KubeletConfiguration. */
  field: string;
  flag: string;
}

export const kubeletFieldFlags: readonly KubeletFieldFlag[] = [
  { field: 'address', flag: 'address' },
  { field: 'allowedUnsafeSysctls', flag: 'allowed-unsafe-sysctls' },
  { field: 'authentication.anonymous.enabled', flag: 'anonymous-auth' },
  { field: 'authentication.webhook.enabled', flag: 'authentication-token-webhook' },
  { field: 'authentication.x509.clientCAFile', flag: 'client-ca-file' },
  { field: 'authorization.mode', flag: 'authorization-mode' },
  { field: 'cgroupDriver', flag: 'cgroup-driver' },
  { field: 'clusterDNS', flag: 'cluster-dns' },
  { field: 'clusterDomain', flag: 'cluster-domain' },
  { field: 'containerRuntimeEndpoint', flag: 'container-runtime-endpoint' },
  { field: 'eventRecordQPS', flag: 'event-qps' },
  { field: 'evictionHard', flag: 'eviction-hard' },
  { field: 'evictionMinimumReclaim', flag: 'eviction-minimum-reclaim' },
  { field: 'failSwapOn', flag: 'fail-swap-on' },
  { field: 'featureGates', flag: 'feature-gates' },
  { field: 'healthzBindAddress', flag: 'healthz-bind-address' },
  { field: 'makeIPTablesUtilChains', flag: 'make-iptables-util-chains' },
  { field: 'podPidsLimit', flag: 'pod-max-pids' },
  { field: 'protectKernelDefaults', flag: 'protect-kernel-defaults' },
  { field: 'readOnlyPort', flag: 'read-only-port' },
  { field: 'resolvConf', flag: 'resolv-conf' },
  { field: 'rotateCertificates', flag: 'rotate-certificates' },
  { field: 'seccompDefault', flag: 'seccomp-default' },
  { field: 'serializeImagePulls', flag: 'serialize-image-pulls' },
  { field: 'serverTLSBootstrap', flag: 'server-tls-bootstrap' },
  { field: 'staticPodPath', flag: 'pod-manifest-path' },
  { field: 'streamingConnectionIdleTimeout', flag: 'streaming-connection-idle-timeout' },
  { field: 'tlsCertFile', flag: 'tls-cert-file' },
  { field: 'tlsCipherSuites', flag: 'tls-cipher-suites' },
  { field: 'tlsMinVersion', flag: 'tls-min-version' },
  { field: 'tlsPrivateKeyFile', flag: 'tls-private-key-file' },
];

/** Drop-in files under `dir` in the order the kubelet applies them (only `*.conf`, by path). */
export function kubeletDropInOrder(files: readonly StructuredFile[], dir: string): StructuredFile[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return files
    .filter((file) => file.path.startsWith(prefix) && file.path.endsWith('.conf'))
    .sort((a, b) => (path.relative(dir, a.path) < path.relative(dir, b.path) ? -1 : 1));
}

interface Leaf {
  value: unknown;
  source: Source;
}

/** Field-by-field merge of KubeletConfiguration documents, each leaf remembering the file and line that set it. */
export function mergeKubeletConfigs(files: readonly StructuredFile[]): Map<string, Leaf> {
  const leaves = new Map<string, Leaf>();
  for (const file of files) {
    if (!file.present || file.error !== undefined || !isObject(file.content)) continue;
    walk(file.content, '', (field, value) => {
      // A later file replacing a whole map (or list) drops the earlier leaves under it.
      for (const key of [...leaves.keys()]) if (key.startsWith(`${field}.`)) leaves.delete(key);
      const line = file.fieldLines?.[field];
      const source: Source = line === undefined ? { kind: 'file-content', path: file.path, detail: field } : { kind: 'file-content', path: file.path, line, detail: field };
      leaves.set(field, { value, source });
    });
  }
  return leaves;
}

function walk(value: Record<string, unknown>, prefix: string, visit: (field: string, value: unknown) => void): void {
  for (const [key, child] of Object.entries(value)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    const field = prefix === '' ? key : `${prefix}.${key}`;
    if (isObject(child) && Object.keys(child).length > 0) walk(child, field, visit);
    else visit(field, child);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The benchmark-relevant fields of merged kubelet config files, as kubelet flags with their sources. */
export function kubeletConfigArgs(files: readonly StructuredFile[]): ArgValue[] {
  const leaves = mergeKubeletConfigs(files);
  const values: ArgValue[] = [];
  for (const { field, flag } of kubeletFieldFlags) {
    const exact = leaves.get(field);
    if (exact !== undefined) {
      values.push({ flag, value: flagText(flag, exact.value), source: exact.source });
      continue;
    }
    const nested = [...leaves.entries()].filter(([key]) => key.startsWith(`${field}.`));
    if (nested.length === 0) continue;
    const last = nested[nested.length - 1] as [string, Leaf];
    const separator = flag === 'eviction-hard' ? '<' : '=';
    const value = nested.map(([key, leaf]) => `${key.slice(field.length + 1)}${separator}${scalarText(leaf.value)}`).join(',');
    values.push({ flag, value, source: { ...last[1].source, detail: field } });
  }
  return values;
}

function flagText(flag: string, value: unknown): string {
  if (Array.isArray(value)) return value.map(scalarText).join(',');
  if (isObject(value)) return flag === 'feature-gates' ? '' : JSON.stringify(value);
  return scalarText(value);
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Embedded etcd's YAML config flattened to etcd's flag names (`peer-transport-security.cert-file` → `peer-cert-file`). */
export function etcdConfigArgs(file: StructuredFile): ArgValue[] {
  if (!file.present || file.error !== undefined || !isObject(file.content)) return [];
  const values: ArgValue[] = [];
  const source = (field: string): Source => {
    const line = file.fieldLines?.[field];
    return line === undefined ? { kind: 'file-content', path: file.path, detail: field } : { kind: 'file-content', path: file.path, line, detail: field };
  };
  for (const [key, value] of Object.entries(file.content)) {
    if (isObject(value) && (key === 'client-transport-security' || key === 'peer-transport-security')) {
      const prefix = key === 'peer-transport-security' ? 'peer-' : '';
      for (const [inner, innerValue] of Object.entries(value)) {
        values.push({ flag: `${prefix}${inner}`, value: flagText(inner, innerValue), source: source(`${key}.${inner}`) });
      }
      continue;
    }
    values.push({ flag: key, value: flagText(key, value), source: source(key) });
  }
  return values.sort((a, b) => (a.flag < b.flag ? -1 : a.flag > b.flag ? 1 : 0));
}
