/**
 * The k3s server and agent flags kharden needs to understand: their type (which decides how argv is split
 * and how repeated values combine), their short aliases, the K3S_* environment variable that sets them,
 * and whether their value is a secret. Names and variables as in `k3s server --help` / `k3s agent --help`
 * and k3s-io/docs docs/cli/server.md, agent.md. A flag missing here still parses (as a string flag, or a
 * boolean when no value follows); it just has no environment variable.
 */
export type K3sFlagType = 'bool' | 'string' | 'slice';

export interface K3sFlag {
  name: string;
  type: K3sFlagType;
  aliases?: readonly string[];
  env?: readonly string[];
  /** Masked as `********` wherever it appears (argv, config files, environment, snapshots). */
  secret?: boolean;
}

const flagList: readonly K3sFlag[] = [
  // config and data
  { name: 'config', type: 'string', aliases: ['c'], env: ['K3S_CONFIG_FILE'] },
  // No variable: `k3s server`/`k3s agent` --data-dir has no EnvVar (pkg/cli/cmds server.go, agent.go). The k3s
  // wrapper sets K3S_DATA_DIR itself, to the directory it unpacked its binaries into (<data-dir>/data/<hash>),
  // before it execs the server or agent, so the running process always has it; it is not the data directory.
  { name: 'data-dir', type: 'string', aliases: ['d'] },
  { name: 'debug', type: 'bool', env: ['K3S_DEBUG'] },
  { name: 'v', type: 'string' },
  { name: 'vmodule', type: 'string' },
  { name: 'log', type: 'string', aliases: ['l'] },
  { name: 'alsologtostderr', type: 'bool' },
  // cluster
  { name: 'token', type: 'string', aliases: ['t'], env: ['K3S_TOKEN'], secret: true },
  { name: 'token-file', type: 'string', env: ['K3S_TOKEN_FILE'] },
  { name: 'agent-token', type: 'string', env: ['K3S_AGENT_TOKEN'], secret: true },
  { name: 'agent-token-file', type: 'string', env: ['K3S_AGENT_TOKEN_FILE'] },
  { name: 'cluster-secret', type: 'string', env: ['K3S_CLUSTER_SECRET'], secret: true },
  { name: 'server', type: 'string', aliases: ['s'], env: ['K3S_URL'] },
  { name: 'cluster-init', type: 'bool', env: ['K3S_CLUSTER_INIT'] },
  { name: 'cluster-reset', type: 'bool', env: ['K3S_CLUSTER_RESET'] },
  { name: 'cluster-reset-restore-path', type: 'string' },
  // datastore
  { name: 'datastore-endpoint', type: 'string', env: ['K3S_DATASTORE_ENDPOINT'], secret: true },
  { name: 'datastore-cafile', type: 'string', env: ['K3S_DATASTORE_CAFILE'] },
  { name: 'datastore-certfile', type: 'string', env: ['K3S_DATASTORE_CERTFILE'] },
  { name: 'datastore-keyfile', type: 'string', env: ['K3S_DATASTORE_KEYFILE'] },
  { name: 'kine-tls', type: 'bool' },
  { name: 'etcd-expose-metrics', type: 'bool' },
  { name: 'etcd-disable-snapshots', type: 'bool' },
  { name: 'etcd-snapshot-name', type: 'string' },
  { name: 'etcd-snapshot-schedule-cron', type: 'string' },
  { name: 'etcd-snapshot-retention', type: 'string' },
  { name: 'etcd-snapshot-dir', type: 'string' },
  { name: 'etcd-snapshot-compress', type: 'bool' },
  { name: 'etcd-s3', type: 'bool' },
  { name: 'etcd-s3-endpoint', type: 'string' },
  { name: 'etcd-s3-endpoint-ca', type: 'string' },
  { name: 'etcd-s3-skip-ssl-verify', type: 'bool' },
  { name: 'etcd-s3-access-key', type: 'string', env: ['AWS_ACCESS_KEY_ID'], secret: true },
  { name: 'etcd-s3-secret-key', type: 'string', env: ['AWS_SECRET_ACCESS_KEY'], secret: true },
  { name: 'etcd-s3-bucket', type: 'string' },
  { name: 'etcd-s3-region', type: 'string' },
  { name: 'etcd-s3-folder', type: 'string' },
  { name: 'etcd-s3-insecure', type: 'bool' },
  { name: 'etcd-s3-timeout', type: 'string' },
  // kubeconfig
  { name: 'write-kubeconfig', type: 'string', aliases: ['o'], env: ['K3S_KUBECONFIG_OUTPUT'] },
  { name: 'write-kubeconfig-mode', type: 'string', env: ['K3S_KUBECONFIG_MODE'] },
  { name: 'write-kubeconfig-group', type: 'string', env: ['K3S_KUBECONFIG_GROUP'] },
  // listeners
  { name: 'bind-address', type: 'string' },
  { name: 'https-listen-port', type: 'string' },
  { name: 'supervisor-port', type: 'string' },
  { name: 'apiserver-port', type: 'string' },
  { name: 'apiserver-bind-address', type: 'string' },
  { name: 'advertise-address', type: 'string' },
  { name: 'advertise-port', type: 'string' },
  { name: 'tls-san', type: 'slice' },
  { name: 'tls-san-security', type: 'bool' },
  // networking
  { name: 'cluster-cidr', type: 'slice' },
  { name: 'service-cidr', type: 'slice' },
  { name: 'service-node-port-range', type: 'string' },
  { name: 'cluster-dns', type: 'slice' },
  { name: 'cluster-domain', type: 'string' },
  { name: 'flannel-backend', type: 'string' },
  { name: 'flannel-ipv6-masq', type: 'bool' },
  { name: 'flannel-external-ip', type: 'bool' },
  { name: 'flannel-iface', type: 'string' },
  { name: 'flannel-conf', type: 'string' },
  { name: 'flannel-cni-conf', type: 'string' },
  { name: 'no-flannel', type: 'bool' },
  { name: 'egress-selector-mode', type: 'string' },
  { name: 'servicelb-namespace', type: 'string' },
  { name: 'vpn-auth', type: 'string', env: ['K3S_VPN_AUTH'], secret: true },
  { name: 'vpn-auth-file', type: 'string', env: ['K3S_VPN_AUTH_FILE'] },
  // components
  { name: 'disable', type: 'slice' },
  { name: 'disable-scheduler', type: 'bool' },
  { name: 'disable-cloud-controller', type: 'bool' },
  { name: 'disable-kube-proxy', type: 'bool' },
  { name: 'disable-network-policy', type: 'bool' },
  { name: 'disable-helm-controller', type: 'bool' },
  { name: 'disable-apiserver', type: 'bool' },
  { name: 'disable-controller-manager', type: 'bool' },
  { name: 'disable-etcd', type: 'bool' },
  { name: 'disable-agent', type: 'bool' },
  { name: 'embedded-registry', type: 'bool' },
  { name: 'supervisor-metrics', type: 'bool' },
  { name: 'secrets-encryption', type: 'bool' },
  { name: 'secrets-encryption-provider', type: 'string' },
  { name: 'enable-pprof', type: 'bool' },
  { name: 'rootless', type: 'bool' },
  { name: 'prefer-bundled-bin', type: 'bool' },
  { name: 'default-local-storage-path', type: 'string' },
  { name: 'system-default-registry', type: 'string' },
  { name: 'helm-job-image', type: 'string' },
  // component arguments
  { name: 'etcd-arg', type: 'slice' },
  { name: 'kube-apiserver-arg', type: 'slice' },
  { name: 'kube-scheduler-arg', type: 'slice' },
  { name: 'kube-controller-manager-arg', type: 'slice' },
  { name: 'kube-cloud-controller-manager-arg', type: 'slice' },
  { name: 'kubelet-arg', type: 'slice' },
  { name: 'kube-proxy-arg', type: 'slice' },
  // agent/node
  { name: 'node-name', type: 'string', env: ['K3S_NODE_NAME'] },
  { name: 'with-node-id', type: 'bool' },
  { name: 'node-label', type: 'slice' },
  { name: 'node-taint', type: 'slice' },
  { name: 'node-ip', type: 'slice', aliases: ['i'] },
  { name: 'node-external-ip', type: 'slice' },
  { name: 'node-internal-dns', type: 'slice' },
  { name: 'node-external-dns', type: 'slice' },
  { name: 'image-credential-provider-bin-dir', type: 'string' },
  { name: 'image-credential-provider-config', type: 'string' },
  { name: 'selinux', type: 'bool', env: ['K3S_SELINUX'] },
  { name: 'lb-server-port', type: 'string', env: ['K3S_LB_SERVER_PORT'] },
  { name: 'protect-kernel-defaults', type: 'bool' },
  { name: 'resolv-conf', type: 'string', env: ['K3S_RESOLV_CONF'] },
  { name: 'container-runtime-endpoint', type: 'string' },
  { name: 'image-service-endpoint', type: 'string' },
  { name: 'default-runtime', type: 'string' },
  { name: 'pause-image', type: 'string' },
  { name: 'snapshotter', type: 'string' },
  { name: 'private-registry', type: 'string' },
  { name: 'airgap-extra-registry', type: 'slice' },
  { name: 'docker', type: 'bool' },
  { name: 'disable-default-registry-endpoint', type: 'bool' },
  { name: 'nonroot-devices', type: 'bool' },
];

const byName = new Map<string, K3sFlag>();
for (const flag of flagList) {
  byName.set(flag.name, flag);
  for (const alias of flag.aliases ?? []) byName.set(alias, flag);
}

/** The flag for a name or short alias (`c` → `config`), without dashes; undefined for a flag kharden does not know. */
export function k3sFlag(name: string): K3sFlag | undefined {
  return byName.get(name);
}

/** The canonical name of a flag or alias; unknown names are returned as they are. */
export function canonicalFlagName(name: string): string {
  return byName.get(name)?.name ?? name;
}

export function isSliceFlag(name: string): boolean {
  return byName.get(name)?.type === 'slice';
}

export function isBoolFlag(name: string): boolean {
  return byName.get(name)?.type === 'bool';
}

export function isSecretFlag(name: string): boolean {
  return byName.get(name)?.secret === true;
}

/** K3S_TOKEN → token, K3S_URL → server; undefined for a variable that sets no flag. */
export function flagForEnvironmentVariable(variable: string): K3sFlag | undefined {
  return flagList.find((flag) => flag.env?.includes(variable) === true);
}

const secretVariables = new Set([
  'K3S_TOKEN',
  'K3S_AGENT_TOKEN',
  'K3S_DATASTORE_ENDPOINT',
  'K3S_CLUSTER_SECRET',
  'K3S_VPN_AUTH',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
]);

/** The variables k3s masks in its node-env annotation (pkg/nodeconfig isSecret), plus any variable named like a password. */
export function isSecretVariable(variable: string): boolean {
  return secretVariables.has(variable) || /(PASSWORD|PASSWD|SECRET)/.test(variable);
}

export const allK3sFlags: readonly K3sFlag[] = flagList;
