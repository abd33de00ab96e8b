import type { Source } from '../core/source.ts';
import type { Component } from '../facts/node-facts.ts';
import type { ExtraArg } from './component-args.ts';
import { settingBool, settingValue, settingValues, type SettingValue } from './config-merge.ts';
import type { ArgValue } from './effective-args.ts';
import type { NodeContext } from './node-context.ts';
import { containerdSocket, k3sPaths } from './paths.ts';
import { isAtLeast, minorLine, type K3sVersion } from './version.ts';

/**
 * The arguments k3s passes to each embedded component by default, per k3s version, and how k3s's own
 * flags turn into component arguments. Facts from k3s source (pkg/daemons/control/server.go apiServer(),
 * controllerManager(), scheduler(), cloudControllerManager(); pkg/daemons/agent/agent.go and agent_linux.go
 * kubeletArgsAndConfig(), kubeProxyArgs(); pkg/cli/server/server.go for the default tls-cipher-suites;
 * pkg/daemons/executor for etcd) and from the `Running …` lines in the k3s CIS self-assessments
 * (docs/security/self-assessment-*.md, 1.7 … 2.1). Covered lines: k3s 1.27 – 1.37; an older or newer
 * version uses the nearest line and says so in every value's source.
 *
 * Differences between lines that matter to the benchmark:
 * - kubelet before 1.32: every setting is a command-line flag (anonymous-auth, authorization-mode,
 *   client-ca-file, read-only-port=0, tls-cert-file, ...).
 * - kubelet 1.32+: k3s writes agent/etc/kubelet.conf.d/00-k3s-defaults.conf and passes only a few flags
 *   with `--config-dir`. Without `--config`, the kubelet starts from its legacy flag defaults, so fields
 *   k3s leaves at zero are not zero: on 1.32.0–1.32.3 the read-only port is 10255 (k3s-io/k3s#12164);
 *   1.32.4+ and 1.33+ pass `--read-only-port=0`.
 */
export const coveredMinorLines = { from: 27, to: 37 } as const;

export const defaultTlsCipherSuites = [
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
].join(',');

/** The k3s flag that carries extra arguments for each component. */
export const extraArgsFlag: Record<Component, string> = {
  'kube-apiserver': 'kube-apiserver-arg',
  'kube-controller-manager': 'kube-controller-manager-arg',
  'kube-scheduler': 'kube-scheduler-arg',
  'cloud-controller-manager': 'kube-cloud-controller-manager-arg',
  kubelet: 'kubelet-arg',
  'kube-proxy': 'kube-proxy-arg',
  etcd: 'etcd-arg',
};

export type ComponentPlan =
  | { runs: true; defaults: Map<string, ArgValue>; extra: ExtraArg[] }
  | { runs: false; reason: string };

/** True when this k3s version runs the kubelet with `--config-dir` and 00-k3s-defaults.conf. */
export function usesKubeletConfigDir(version: K3sVersion): boolean {
  return isAtLeast(version, 1, 32, 0);
}

/** True when k3s passes `--read-only-port=0` on the command line in the config-dir era. */
export function passesReadOnlyPortFlag(version: K3sVersion): boolean {
  return version.minor > 32 || isAtLeast(version, 1, 32, 4);
}

class Defaults {
  readonly values = new Map<string, ArgValue>();
  private readonly defaultSource: Source;
  constructor(defaultSource: Source) {
    this.defaultSource = defaultSource;
  }

  set(flag: string, value: string): void {
    this.values.set(flag, { flag, value, source: this.defaultSource });
  }

  /** A value that comes from a k3s flag the user set (its source), or k3s's own default for it. */
  from(flag: string, setting: SettingValue | null, fallback: string | null, via: string): void {
    if (setting !== null) {
      this.values.set(flag, { flag, value: setting.value, source: { ...setting.source, detail: `${describeDetail(setting.source)} → ${via}` } });
    } else if (fallback !== null) {
      this.set(flag, fallback);
    }
  }

  fromSlice(flag: string, settings: readonly SettingValue[], fallback: string | null, via: string): void {
    if (settings.length > 0) {
      const first = settings[0] as SettingValue;
      const value = settings.map((item) => item.value).join(',');
      this.values.set(flag, { flag, value, source: { ...first.source, detail: `${describeDetail(first.source)} → ${via}` } });
    } else if (fallback !== null) {
      this.set(flag, fallback);
    }
  }
}

function describeDetail(source: Source): string {
  return source.detail ?? source.kind;
}

/** The source of a built-in default: `k3s v1.33 default` (and a warning when the version is outside the table). */
export function defaultSource(context: NodeContext, what = 'default'): Source {
  const version = context.version;
  if (version === null) return { kind: 'k3s-default', detail: `k3s ${what} (k3s version unknown)` };
  const minor = version.minor;
  const outside = version.major !== 1 || minor < coveredMinorLines.from || minor > coveredMinorLines.to;
  const nearest = minor < coveredMinorLines.from ? `1.${coveredMinorLines.from}` : `1.${coveredMinorLines.to}`;
  const caveat = outside ? `; k3s ${minorLine(version)} is outside kharden's table (1.${coveredMinorLines.from}–1.${coveredMinorLines.to}), ${nearest} used` : '';
  return { kind: 'k3s-default', detail: `k3s ${version.text} ${what}${caveat}` };
}

function extraArgs(context: NodeContext, component: Component): ExtraArg[] {
  return settingValues(context.settings, extraArgsFlag[component]).map((setting) => ({ arg: setting.value, source: setting.source }));
}

function hasExtraArg(extra: readonly ExtraArg[], flag: string): boolean {
  return extra.some(({ arg }) => arg.replace(/^--/, '').replace(/[+-]?=.*$/, '').replace(/[+-]$/, '') === flag);
}

function disabledComponents(context: NodeContext): Set<string> {
  return new Set(settingValues(context.settings, 'disable').flatMap((item) => item.value.split(',')).map((item) => item.trim()));
}

function isTrue(context: NodeContext, flag: string): boolean {
  return settingBool(context.settings, flag)?.value === true;
}

/** Which components run on this node and with which default arguments. */
export function componentPlan(component: Component, context: NodeContext): ComponentPlan {
  if (!context.installed) return { runs: false, reason: 'k3s is not installed on this node' };
  if (context.role === null) return { runs: false, reason: 'the node\'s k3s role (server or agent) is unknown' };
  if (context.version === null) return { runs: false, reason: 'the k3s version is unknown, so its default arguments are too' };
  const serverOnly = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'cloud-controller-manager', 'etcd'];
  if (context.role === 'agent' && serverOnly.includes(component)) {
    return { runs: false, reason: `agent node: ${component} runs on servers only` };
  }
  const extra = extraArgs(context, component);
  switch (component) {
    case 'kube-apiserver':
      if (isTrue(context, 'disable-apiserver')) return { runs: false, reason: 'disable-apiserver is set: this server runs no kube-apiserver' };
      return { runs: true, defaults: apiServerDefaults(context, extra), extra };
    case 'kube-controller-manager':
      if (isTrue(context, 'disable-controller-manager')) return { runs: false, reason: 'disable-controller-manager is set' };
      return { runs: true, defaults: controllerManagerDefaults(context), extra };
    case 'kube-scheduler':
      if (isTrue(context, 'disable-scheduler')) return { runs: false, reason: 'disable-scheduler is set' };
      return { runs: true, defaults: schedulerDefaults(context), extra };
    case 'cloud-controller-manager': {
      const servicelbOff = disabledComponents(context).has('servicelb');
      if (isTrue(context, 'disable-cloud-controller') && servicelbOff) return { runs: false, reason: 'disable-cloud-controller and disable=servicelb are set' };
      return { runs: true, defaults: cloudControllerDefaults(context), extra };
    }
    case 'kubelet':
      if (context.role === 'server' && isTrue(context, 'disable-agent')) return { runs: false, reason: 'disable-agent is set: this server runs no kubelet' };
      return { runs: true, defaults: kubeletDefaults(context), extra };
    case 'kube-proxy':
      if (context.role === 'server' && isTrue(context, 'disable-agent')) return { runs: false, reason: 'disable-agent is set: this server runs no kube-proxy' };
      if (isTrue(context, 'disable-kube-proxy')) return { runs: false, reason: 'disable-kube-proxy is set' };
      return { runs: true, defaults: kubeProxyDefaults(context), extra };
    case 'etcd':
      if (context.datastore.kind !== 'embedded-etcd') return { runs: false, reason: `embedded etcd is not used: datastore is ${context.datastore.description}` };
      if (isTrue(context, 'disable-etcd')) return { runs: false, reason: 'disable-etcd is set: this server runs no etcd' };
      return { runs: true, defaults: etcdDefaults(context), extra };
  }
}

function clusterDomain(context: NodeContext): string {
  return settingValue(context.settings, 'cluster-domain')?.value ?? 'cluster.local';
}

function apiServerDefaults(context: NodeContext, extra: readonly ExtraArg[]): Map<string, ArgValue> {
  const s = context.settings;
  const p = k3sPaths(context.dataDir);
  const d = new Defaults(defaultSource(context));
  const domain = clusterDomain(context);
  const advertise = settingValue(s, 'advertise-address') ?? settingValues(s, 'node-external-ip')[0] ?? settingValues(s, 'node-ip')[0] ?? null;
  if (advertise !== null) d.from('advertise-address', { ...advertise, value: advertise.value.split(',')[0] ?? advertise.value }, null, 'kube-apiserver --advertise-address');
  d.from('advertise-port', settingValue(s, 'advertise-port') ?? settingValue(s, 'https-listen-port'), '6443', 'kube-apiserver --advertise-port');
  d.set('allow-privileged', 'true');
  if (!hasExtraArg(extra, 'authentication-config')) d.set('anonymous-auth', 'false');
  d.set('api-audiences', `https://kubernetes.default.svc.${domain},k3s`);
  if (!hasExtraArg(extra, 'authorization-config')) d.set('authorization-mode', 'Node,RBAC');
  d.from('bind-address', settingValue(s, 'apiserver-bind-address'), '127.0.0.1', 'kube-apiserver --bind-address');
  d.set('cert-dir', `${p.tlsDir}/temporary-certs`);
  d.set('client-ca-file', `${p.tlsDir}/client-ca.crt`);
  if (settingValue(s, 'egress-selector-mode')?.value !== 'disabled') {
    d.set('egress-selector-config-file', p.egressSelectorConfig);
    d.set('enable-aggregator-routing', 'true');
  }
  d.set('enable-admission-plugins', 'NodeRestriction');
  d.set('enable-bootstrap-token-auth', 'true');
  const encrypt = settingBool(s, 'secrets-encryption');
  if (encrypt?.value === true) {
    const via = { ...encrypt.source, detail: `${describeDetail(encrypt.source)} → kube-apiserver --encryption-provider-config` };
    d.values.set('encryption-provider-config', { flag: 'encryption-provider-config', value: p.encryptionConfig, source: via });
    d.values.set('encryption-provider-config-automatic-reload', { flag: 'encryption-provider-config-automatic-reload', value: 'true', source: via });
  }
  storageArgs(context, d);
  d.set('kubelet-certificate-authority', `${p.tlsDir}/server-ca.crt`);
  d.set('kubelet-client-certificate', `${p.tlsDir}/client-kube-apiserver.crt`);
  d.set('kubelet-client-key', `${p.tlsDir}/client-kube-apiserver.key`);
  d.set('kubelet-preferred-address-types', isTrue(context, 'flannel-external-ip') ? 'ExternalIP,InternalIP,Hostname' : 'InternalIP,ExternalIP,Hostname');
  d.set('profiling', 'false');
  d.set('proxy-client-cert-file', `${p.tlsDir}/client-auth-proxy.crt`);
  d.set('proxy-client-key-file', `${p.tlsDir}/client-auth-proxy.key`);
  d.set('requestheader-allowed-names', 'system:auth-proxy');
  d.set('requestheader-client-ca-file', `${p.tlsDir}/request-header-ca.crt`);
  d.set('requestheader-extra-headers-prefix', 'X-Remote-Extra-');
  d.set('requestheader-group-headers', 'X-Remote-Group');
  d.set('requestheader-username-headers', 'X-Remote-User');
  const httpsPort = Number(settingValue(s, 'https-listen-port')?.value ?? '6443');
  d.from('secure-port', settingValue(s, 'apiserver-port'), String(Number.isFinite(httpsPort) ? httpsPort + 1 : 6444), 'kube-apiserver --secure-port');
  d.set('service-account-issuer', `https://kubernetes.default.svc.${domain}`);
  d.set('service-account-key-file', `${p.tlsDir}/service.key`);
  d.set('service-account-signing-key-file', `${p.tlsDir}/service.current.key`);
  d.fromSlice('service-cluster-ip-range', settingValues(s, 'service-cidr'), '10.43.0.0/16', 'kube-apiserver --service-cluster-ip-range');
  d.from('service-node-port-range', settingValue(s, 'service-node-port-range'), '30000-32767', 'kube-apiserver --service-node-port-range');
  d.set('storage-backend', 'etcd3');
  d.set('tls-cert-file', `${p.tlsDir}/serving-kube-apiserver.crt`);
  d.set('tls-private-key-file', `${p.tlsDir}/serving-kube-apiserver.key`);
  // k3s appends its own cipher list to the extra args unless the user set one (pkg/cli/server/server.go).
  if (!hasExtraArg(extra, 'tls-cipher-suites')) d.set('tls-cipher-suites', defaultTlsCipherSuites);
  verbosity(context, d);
  return d.values;
}

function storageArgs(context: NodeContext, d: Defaults): void {
  const s = context.settings;
  const p = k3sPaths(context.dataDir);
  switch (context.datastore.kind) {
    case 'embedded-etcd':
      d.set('etcd-servers', 'https://127.0.0.1:2379');
      d.set('etcd-cafile', `${p.tlsEtcdDir}/server-ca.crt`);
      d.set('etcd-certfile', `${p.tlsEtcdDir}/client.crt`);
      d.set('etcd-keyfile', `${p.tlsEtcdDir}/client.key`);
      return;
    case 'external-etcd':
      d.from('etcd-servers', settingValue(s, 'datastore-endpoint'), null, 'kube-apiserver --etcd-servers');
      d.from('etcd-cafile', settingValue(s, 'datastore-cafile'), null, 'kube-apiserver --etcd-cafile');
      d.from('etcd-certfile', settingValue(s, 'datastore-certfile'), null, 'kube-apiserver --etcd-certfile');
      d.from('etcd-keyfile', settingValue(s, 'datastore-keyfile'), null, 'kube-apiserver --etcd-keyfile');
      return;
    default:
      // kine (SQLite or an SQL database) listens on a unix socket without TLS unless kine-tls is set.
      if (isTrue(context, 'kine-tls')) {
        d.set('etcd-servers', 'https://127.0.0.1:2379');
        d.set('etcd-cafile', `${p.tlsEtcdDir}/server-ca.crt`);
        d.set('etcd-certfile', `${p.tlsEtcdDir}/client.crt`);
        d.set('etcd-keyfile', `${p.tlsEtcdDir}/client.key`);
      } else {
        d.set('etcd-servers', 'unix://kine.sock');
      }
  }
}

function verbosity(context: NodeContext, d: Defaults): void {
  const level = settingValue(context.settings, 'v');
  if (level !== null && level.value !== '0') d.from('v', level, null, '--v');
  d.from('vmodule', settingValue(context.settings, 'vmodule'), null, '--vmodule');
}

function controllerManagerDefaults(context: NodeContext): Map<string, ArgValue> {
  const s = context.settings;
  const p = k3sPaths(context.dataDir);
  const d = new Defaults(defaultSource(context));
  const kubeconfig = p.controllerKubeconfig;
  d.set('allocate-node-cidrs', 'true');
  d.set('authentication-kubeconfig', kubeconfig);
  d.set('authorization-kubeconfig', kubeconfig);
  d.set('bind-address', '127.0.0.1');
  d.fromSlice('cluster-cidr', settingValues(s, 'cluster-cidr'), '10.42.0.0/16', 'kube-controller-manager --cluster-cidr');
  d.set('cluster-signing-kube-apiserver-client-cert-file', `${p.tlsDir}/client-ca.nochain.crt`);
  d.set('cluster-signing-kube-apiserver-client-key-file', `${p.tlsDir}/client-ca.key`);
  d.set('cluster-signing-kubelet-client-cert-file', `${p.tlsDir}/client-ca.nochain.crt`);
  d.set('cluster-signing-kubelet-client-key-file', `${p.tlsDir}/client-ca.key`);
  d.set('cluster-signing-kubelet-serving-cert-file', `${p.tlsDir}/server-ca.nochain.crt`);
  d.set('cluster-signing-kubelet-serving-key-file', `${p.tlsDir}/server-ca.key`);
  d.set('cluster-signing-legacy-unknown-cert-file', `${p.tlsDir}/server-ca.nochain.crt`);
  d.set('cluster-signing-legacy-unknown-key-file', `${p.tlsDir}/server-ca.key`);
  if (isTrue(context, 'disable-cloud-controller')) {
    d.set('controllers', '*,tokencleaner');
  } else {
    d.set('configure-cloud-routes', 'false');
    d.set('controllers', '*,tokencleaner,-service,-route,-cloud-node-lifecycle');
  }
  d.set('kubeconfig', kubeconfig);
  d.set('profiling', 'false');
  d.set('root-ca-file', `${p.tlsDir}/server-ca.crt`);
  d.set('secure-port', '10257');
  d.set('service-account-private-key-file', `${p.tlsDir}/service.current.key`);
  d.fromSlice('service-cluster-ip-range', settingValues(s, 'service-cidr'), '10.43.0.0/16', 'kube-controller-manager --service-cluster-ip-range');
  d.set('tls-cert-file', `${p.tlsDir}/kube-controller-manager/kube-controller-manager.crt`);
  d.set('tls-private-key-file', `${p.tlsDir}/kube-controller-manager/kube-controller-manager.key`);
  d.set('use-service-account-credentials', 'true');
  verbosity(context, d);
  return d.values;
}

function schedulerDefaults(context: NodeContext): Map<string, ArgValue> {
  const p = k3sPaths(context.dataDir);
  const d = new Defaults(defaultSource(context));
  d.set('authentication-kubeconfig', p.schedulerKubeconfig);
  d.set('authorization-kubeconfig', p.schedulerKubeconfig);
  d.set('bind-address', '127.0.0.1');
  d.set('kubeconfig', p.schedulerKubeconfig);
  d.set('profiling', 'false');
  d.set('secure-port', '10259');
  d.set('tls-cert-file', `${p.tlsDir}/kube-scheduler/kube-scheduler.crt`);
  d.set('tls-private-key-file', `${p.tlsDir}/kube-scheduler/kube-scheduler.key`);
  verbosity(context, d);
  return d.values;
}

function cloudControllerDefaults(context: NodeContext): Map<string, ArgValue> {
  const s = context.settings;
  const p = k3sPaths(context.dataDir);
  const d = new Defaults(defaultSource(context));
  const ccmOff = isTrue(context, 'disable-cloud-controller');
  const servicelbOff = disabledComponents(context).has('servicelb');
  d.set('allocate-node-cidrs', 'true');
  d.set('authentication-kubeconfig', p.cloudControllerKubeconfig);
  d.set('authorization-kubeconfig', p.cloudControllerKubeconfig);
  d.set('bind-address', '127.0.0.1');
  d.set('cloud-config', `${p.server}/etc/cloud-config.yaml`);
  d.set('cloud-provider', 'k3s');
  d.fromSlice('cluster-cidr', settingValues(s, 'cluster-cidr'), '10.42.0.0/16', 'cloud-controller-manager --cluster-cidr');
  d.set('configure-cloud-routes', 'false');
  d.set('controllers', `*,-route${ccmOff ? ',-cloud-node,-cloud-node-lifecycle' : ''}${servicelbOff ? ',-service' : ''}`);
  d.set('kubeconfig', p.cloudControllerKubeconfig);
  d.set('leader-elect-resource-name', 'k3s-cloud-controller-manager');
  d.set('node-status-update-frequency', '1m0s');
  d.set('profiling', 'false');
  if (ccmOff) d.set('secure-port', '0');
  verbosity(context, d);
  return d.values;
}

function kubeletDefaults(context: NodeContext): Map<string, ArgValue> {
  const s = context.settings;
  const p = k3sPaths(context.dataDir);
  const version = context.version as K3sVersion;
  const d = new Defaults(defaultSource(context));
  const nodeIps = settingValues(s, 'node-ip');
  const labels = settingValues(s, 'node-label');
  const ccmOff = isTrue(context, 'disable-cloud-controller');
  if (!ccmOff) d.set('cloud-provider', 'external');
  if (settingValue(s, 'container-runtime-endpoint') === null && !isTrue(context, 'docker')) d.set('containerd', containerdSocket);
  if (context.nodeName !== null) d.from('hostname-override', settingValue(s, 'node-name'), context.nodeName, 'kubelet --hostname-override');
  d.set('kubeconfig', p.kubeletKubeconfig);
  if (nodeIps.length > 0) d.fromSlice('node-ip', nodeIps, null, 'kubelet --node-ip');
  d.fromSlice('node-labels', labels, '', 'kubelet --node-labels');

  if (usesKubeletConfigDir(version)) {
    d.set('config-dir', p.kubeletConfigDir);
    if (passesReadOnlyPortFlag(version)) d.set('read-only-port', '0');
    return d.values;
  }

  // Before 1.32 k3s passes everything as flags (self-assessment 1.7–1.10 `Running kubelet` lines).
  d.set('address', settingValue(s, 'bind-address')?.value ?? '0.0.0.0');
  if (!disabledComponents(context).has('servicelb')) d.set('allowed-unsafe-sysctls', 'net.ipv4.ip_forward,net.ipv6.conf.all.forwarding');
  d.set('anonymous-auth', 'false');
  d.set('authentication-token-webhook', 'true');
  d.set('authorization-mode', 'Webhook');
  d.set('client-ca-file', p.agentClientCa);
  d.fromSlice('cluster-dns', settingValues(s, 'cluster-dns'), context.role === 'server' ? '10.43.0.10' : null, 'kubelet --cluster-dns');
  d.from('cluster-domain', settingValue(s, 'cluster-domain'), 'cluster.local', 'kubelet --cluster-domain');
  const runtime = settingValue(s, 'container-runtime-endpoint');
  d.from('container-runtime-endpoint', runtime, `unix://${containerdSocket}`, 'kubelet --container-runtime-endpoint');
  d.set('eviction-hard', 'imagefs.available<5%,nodefs.available<5%');
  d.set('eviction-minimum-reclaim', 'imagefs.available=10%,nodefs.available=10%');
  d.set('fail-swap-on', 'false');
  d.set('healthz-bind-address', '127.0.0.1');
  d.from('pod-infra-container-image', settingValue(s, 'pause-image'), 'rancher/mirrored-pause:3.6', 'kubelet --pod-infra-container-image');
  d.set('pod-manifest-path', p.podManifestsDir);
  const protect = settingBool(s, 'protect-kernel-defaults');
  if (protect?.value === true) d.from('protect-kernel-defaults', { value: 'true', source: protect.source }, null, 'kubelet --protect-kernel-defaults');
  d.set('read-only-port', '0');
  d.from('resolv-conf', settingValue(s, 'resolv-conf'), null, 'kubelet --resolv-conf');
  d.set('serialize-image-pulls', 'false');
  d.set('tls-cert-file', p.servingKubeletCert);
  d.set('tls-private-key-file', p.servingKubeletKey);
  const taints = settingValues(s, 'node-taint');
  if (taints.length > 0) d.fromSlice('register-with-taints', taints, null, 'kubelet --register-with-taints');
  return d.values;
}

function kubeProxyDefaults(context: NodeContext): Map<string, ArgValue> {
  const s = context.settings;
  const p = k3sPaths(context.dataDir);
  const d = new Defaults(defaultSource(context));
  d.fromSlice('cluster-cidr', settingValues(s, 'cluster-cidr'), context.role === 'server' ? '10.42.0.0/16' : null, 'kube-proxy --cluster-cidr');
  d.set('conntrack-max-per-core', '0');
  d.set('conntrack-tcp-timeout-close-wait', '0s');
  d.set('conntrack-tcp-timeout-established', '0s');
  d.set('healthz-bind-address', '127.0.0.1');
  if (context.nodeName !== null) d.from('hostname-override', settingValue(s, 'node-name'), context.nodeName, 'kube-proxy --hostname-override');
  d.set('kubeconfig', p.kubeProxyKubeconfig);
  d.set('proxy-mode', 'iptables');
  return d.values;
}

/** Embedded etcd's config file as k3s writes it (server/db/etcd/config), flattened to etcd flag names. */
function etcdDefaults(context: NodeContext): Map<string, ArgValue> {
  const p = k3sPaths(context.dataDir);
  const d = new Defaults(defaultSource(context, 'embedded etcd config'));
  d.set('cert-file', `${p.tlsEtcdDir}/server-client.crt`);
  d.set('key-file', `${p.tlsEtcdDir}/server-client.key`);
  d.set('client-cert-auth', 'true');
  d.set('trusted-ca-file', `${p.tlsEtcdDir}/server-ca.crt`);
  d.set('peer-cert-file', `${p.tlsEtcdDir}/peer-server-client.crt`);
  d.set('peer-key-file', `${p.tlsEtcdDir}/peer-server-client.key`);
  d.set('peer-client-cert-auth', 'true');
  d.set('peer-trusted-ca-file', `${p.tlsEtcdDir}/peer-ca.crt`);
  d.set('data-dir', p.etcdDataDir);
  d.set('election-timeout', '5000');
  d.set('heartbeat-interval', '500');
  d.set('listen-metrics-urls', isTrue(context, 'etcd-expose-metrics') ? 'http://127.0.0.1:2381,http://0.0.0.0:2381' : 'http://127.0.0.1:2381');
  d.set('snapshot-count', '10000');
  return d.values;
}
