import { posix as path } from 'node:path';

/** Where k3s keeps things, and every file and directory the CIS k3s benchmarks name (kube-bench.md §1d.11). */
export const defaultDataDir = '/var/lib/rancher/k3s';
export const defaultConfigFile = '/etc/rancher/k3s/config.yaml';
export const defaultK3sBinary = '/usr/local/bin/k3s';
export const cniNetworksDir = '/var/lib/cni/networks';
export const containerdSocket = '/run/k3s/containerd/containerd.sock';
/** The admin kubeconfig a k3s server writes. */
export const k3sAdminKubeconfig = '/etc/rancher/k3s/k3s.yaml';

/** The drop-in directory k3s reads beside a config file: `<file>.d`. */
export function configDropInDir(configFile: string): string {
  return `${configFile}.d`;
}

export interface K3sPaths {
  dataDir: string;
  server: string;
  tlsDir: string;
  tlsEtcdDir: string;
  credDir: string;
  dbDir: string;
  etcdDataDir: string;
  etcdConfig: string;
  sqliteDb: string;
  manifestsDir: string;
  encryptionConfig: string;
  adminKubeconfig: string;
  schedulerKubeconfig: string;
  controllerKubeconfig: string;
  cloudControllerKubeconfig: string;
  serverToken: string;
  egressSelectorConfig: string;
  auditLogDir: string;
  agent: string;
  kubeletKubeconfig: string;
  kubeProxyKubeconfig: string;
  agentClientCa: string;
  agentServerCa: string;
  servingKubeletCert: string;
  servingKubeletKey: string;
  kubeletConfigDir: string;
  kubeletDefaultsDropIn: string;
  podManifestsDir: string;
  cniConfDir: string;
}

export function k3sPaths(dataDir: string = defaultDataDir): K3sPaths {
  const server = path.join(dataDir, 'server');
  const agent = path.join(dataDir, 'agent');
  const tlsDir = path.join(server, 'tls');
  const credDir = path.join(server, 'cred');
  const dbDir = path.join(server, 'db');
  const kubeletConfigDir = path.join(agent, 'etc', 'kubelet.conf.d');
  return {
    dataDir,
    server,
    tlsDir,
    tlsEtcdDir: path.join(tlsDir, 'etcd'),
    credDir,
    dbDir,
    etcdDataDir: path.join(dbDir, 'etcd'),
    etcdConfig: path.join(dbDir, 'etcd', 'config'),
    sqliteDb: path.join(dbDir, 'state.db'),
    manifestsDir: path.join(server, 'manifests'),
    encryptionConfig: path.join(credDir, 'encryption-config.json'),
    adminKubeconfig: path.join(credDir, 'admin.kubeconfig'),
    schedulerKubeconfig: path.join(credDir, 'scheduler.kubeconfig'),
    controllerKubeconfig: path.join(credDir, 'controller.kubeconfig'),
    cloudControllerKubeconfig: path.join(credDir, 'cloud-controller.kubeconfig'),
    serverToken: path.join(server, 'token'),
    egressSelectorConfig: path.join(server, 'etc', 'egress-selector-config.yaml'),
    auditLogDir: path.join(server, 'logs'),
    agent,
    kubeletKubeconfig: path.join(agent, 'kubelet.kubeconfig'),
    kubeProxyKubeconfig: path.join(agent, 'kubeproxy.kubeconfig'),
    agentClientCa: path.join(agent, 'client-ca.crt'),
    agentServerCa: path.join(agent, 'server-ca.crt'),
    servingKubeletCert: path.join(agent, 'serving-kubelet.crt'),
    servingKubeletKey: path.join(agent, 'serving-kubelet.key'),
    kubeletConfigDir,
    kubeletDefaultsDropIn: path.join(kubeletConfigDir, '00-k3s-defaults.conf'),
    podManifestsDir: path.join(agent, 'pod-manifests'),
    cniConfDir: path.join(agent, 'etc', 'cni', 'net.d'),
  };
}

/**
 * A path to stat, as the collector should expand it:
 * - `path`: exactly this file or directory;
 * - `children`: the directory itself and its direct entries whose names end in `suffix` (tls/*.crt);
 * - `tree`: the directory and everything below it (up to `depth` levels).
 */
export type PathSpec =
  | { kind: 'path'; path: string; why: string }
  | { kind: 'children'; path: string; suffix?: string; why: string }
  | { kind: 'tree'; path: string; depth: number; why: string };

export interface PathSpecInput {
  dataDir: string;
  role: 'server' | 'agent' | null;
  configFile: string;
  /** Extra files named by the configuration: audit policy, admission config, audit log, custom kubelet config. */
  extraFiles?: readonly { path: string; why: string }[];
  /** Directories to stat with their direct entries: the audit log directory. */
  extraDirs?: readonly { path: string; why: string }[];
}

/** Every path whose mode and owner the benchmarks (or kharden's own checks) judge, for this node's role. */
export function benchmarkPathSpecs(input: PathSpecInput): PathSpec[] {
  const p = k3sPaths(input.dataDir);
  const specs: PathSpec[] = [
    { kind: 'path', path: input.configFile, why: 'k3s config file (holds the join token)' },
    { kind: 'children', path: configDropInDir(input.configFile), why: 'k3s config drop-ins' },
    { kind: 'path', path: '/etc/rancher/k3s', why: 'k3s config directory' },
    { kind: 'path', path: p.dataDir, why: 'k3s data directory' },
    { kind: 'path', path: p.agent, why: 'k3s agent directory' },
    { kind: 'path', path: p.kubeletKubeconfig, why: 'CIS 4.1.5/4.1.6 kubelet kubeconfig' },
    { kind: 'path', path: p.kubeProxyKubeconfig, why: 'CIS 4.1.3/4.1.4 kube-proxy kubeconfig' },
    { kind: 'path', path: p.agentClientCa, why: 'CIS 4.1.7/4.1.8 kubelet client CA' },
    { kind: 'path', path: p.agentServerCa, why: 'agent server CA' },
    { kind: 'path', path: p.servingKubeletCert, why: 'CIS 4.2.9 kubelet serving certificate' },
    { kind: 'path', path: p.servingKubeletKey, why: 'CIS 4.2.9 kubelet serving key' },
    { kind: 'children', path: p.agent, suffix: '.key', why: 'agent private keys' },
    { kind: 'children', path: p.agent, suffix: '.kubeconfig', why: 'agent kubeconfigs' },
    { kind: 'tree', path: p.kubeletConfigDir, depth: 3, why: 'CIS 2.x 4.1.9–4.1.11 kubelet config drop-ins' },
    { kind: 'path', path: p.podManifestsDir, why: 'kubelet static pod directory' },
    { kind: 'tree', path: cniNetworksDir, depth: 2, why: 'CIS 1.1.9/1.1.10 CNI files' },
    { kind: 'children', path: p.cniConfDir, why: 'CNI configuration' },
    { kind: 'path', path: '/etc/systemd/system/k3s.service', why: 'k3s service unit' },
    { kind: 'path', path: '/etc/systemd/system/k3s.service.env', why: 'k3s service environment (may hold the token)' },
    { kind: 'path', path: '/etc/systemd/system/k3s-agent.service', why: 'k3s agent service unit' },
    { kind: 'path', path: '/etc/systemd/system/k3s-agent.service.env', why: 'k3s agent service environment (may hold the token)' },
  ];
  if (input.role !== 'agent') {
    specs.push(
      { kind: 'path', path: p.server, why: 'k3s server directory' },
      { kind: 'children', path: p.tlsDir, suffix: '.crt', why: 'CIS 1.1.19/1.1.20 PKI certificates' },
      { kind: 'children', path: p.tlsDir, suffix: '.key', why: 'CIS 1.1.19/1.1.21 PKI keys' },
      { kind: 'tree', path: p.tlsEtcdDir, depth: 1, why: 'etcd PKI (CIS 2.x)' },
      { kind: 'path', path: p.credDir, why: 'server credentials directory' },
      { kind: 'children', path: p.credDir, why: 'CIS 1.1.13–1.1.18 kubeconfigs, encryption config' },
      { kind: 'path', path: p.dbDir, why: 'datastore directory' },
      { kind: 'path', path: p.etcdDataDir, why: 'CIS 1.1.11/1.1.12 etcd data directory' },
      { kind: 'path', path: p.etcdConfig, why: 'CIS 1.1.7/1.1.8 etcd config' },
      { kind: 'path', path: p.sqliteDb, why: 'SQLite datastore' },
      { kind: 'children', path: p.manifestsDir, why: 'auto-deployed manifests' },
      { kind: 'path', path: p.serverToken, why: 'server join token' },
      { kind: 'path', path: k3sAdminKubeconfig, why: 'admin kubeconfig written by the server' },
    );
  }
  for (const file of input.extraFiles ?? []) specs.push({ kind: 'path', path: file.path, why: file.why });
  for (const dir of input.extraDirs ?? []) specs.push({ kind: 'children', path: dir.path, why: dir.why });
  return specs;
}
