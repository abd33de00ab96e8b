/**
 * Hand-built nodes for the control tests: NodeFacts and EffectiveArgs values shaped like what the collector
 * and k3s/effective-args produce, small enough to read in a test. Not used outside tests.
 */
import type { Verdict } from '../core/finding.ts';
import type { Source } from '../core/source.ts';
import { type Component, components, type FileStat, type NodeFacts, nodeFactsApiVersion, nodeFactsKind } from '../facts/node-facts.ts';
import type { ArgValue, ArgsState, ComponentArgs, EffectiveArgs } from '../k3s/effective-args.ts';
import type { Params } from './benchmarks/catalog.ts';
import { benchmarkById } from './benchmarks/index.ts';
import { buildNodeInput, type NodeAuditInput } from './node-input.ts';
import { defaultRegistry } from './registry.ts';

export const dataDir = '/var/lib/rancher/k3s';

export const logSource: Source = { kind: 'k3s-log', path: 'journald unit k3s', detail: 'Running line' };
export const defaultSource: Source = { kind: 'k3s-default', detail: 'k3s v1.33' };

export function nodeFacts(role: 'server' | 'agent' | null, overrides: Partial<NodeFacts> = {}): NodeFacts {
  const facts: NodeFacts = {
    apiVersion: nodeFactsApiVersion,
    kind: nodeFactsKind,
    collectedAt: '2026-11-27T00:00:00Z',
    collector: { kharden: '0.1.0', mode: 'root', root: '/host' },
    hostname: role === 'agent' ? 'agent-0' : 'server-0',
    k3s: {
      installed: true,
      version: { value: 'v1.33.1+k3s1', source: { kind: 'binary', path: '/usr/local/bin/k3s' } },
      role: role === null ? null : { value: role, source: { kind: 'file-stat', path: `${dataDir}/server` } },
      dataDir,
      configFiles: [],
      process: null,
      service: null,
      environment: [],
      logs: { sources: [{ name: 'journald unit k3s', read: true }], running: [], datastoreLines: [] },
    },
    kubeletConfigFiles: [],
    etcdConfig: null,
    encryptionConfig: null,
    files: [],
    sysctl: { runtime: { available: true, values: {} }, boot: [], bootErrors: [] },
  };
  return { ...facts, ...overrides };
}

/** `--name=value` tokens to ArgValues; a bare `--flag` is `true`. */
export function parseFlags(flags: readonly string[], source: Source = logSource): ArgValue[] {
  return flags.map((token) => {
    const body = token.replace(/^--/, '');
    const equals = body.indexOf('=');
    return equals === -1 ? { flag: body, value: 'true', source } : { flag: body.slice(0, equals), value: body.slice(equals + 1), source };
  });
}

export type ArgsSpec = Partial<Record<Component, readonly string[] | { unknown: string }>>;

export function effectiveArgs(spec: ArgsSpec, state: ArgsState = 'running', drift: EffectiveArgs['drift'] = []): EffectiveArgs {
  const entries = components.map((component): [Component, ComponentArgs] => {
    const value = spec[component];
    if (value === undefined) return [component, { known: false, component, reason: `no Running ${component} line in the k3s log (looked in journald unit k3s)` }];
    if ('unknown' in value) return [component, { known: false, component, reason: value.unknown }];
    return [component, { known: true, component, values: parseFlags(value) }];
  });
  return { state, components: Object.fromEntries(entries) as Record<Component, ComponentArgs>, drift };
}

export function fileStat(path: string, mode: number, options: Partial<FileStat> = {}): FileStat {
  return { path, exists: true, type: 'file', mode, uid: 0, gid: 0, user: 'root', group: 'root', ...options };
}

export function missing(path: string): FileStat {
  return { path, exists: false };
}

export function input(facts: NodeFacts, args: EffectiveArgs): NodeAuditInput {
  return buildNodeInput(facts, args);
}

/** The API server flags k3s 1.33 logs on a default server with SQLite. */
export const defaultApiserverFlags: readonly string[] = [
  '--advertise-port=6443',
  '--allow-privileged=true',
  '--anonymous-auth=false',
  '--authorization-mode=Node,RBAC',
  '--bind-address=127.0.0.1',
  '--client-ca-file=/var/lib/rancher/k3s/server/tls/client-ca.crt',
  '--enable-admission-plugins=NodeRestriction',
  '--etcd-servers=unix://kine.sock',
  '--kubelet-certificate-authority=/var/lib/rancher/k3s/server/tls/server-ca.crt',
  '--kubelet-client-certificate=/var/lib/rancher/k3s/server/tls/client-kube-apiserver.crt',
  '--kubelet-client-key=/var/lib/rancher/k3s/server/tls/client-kube-apiserver.key',
  '--profiling=false',
  '--secure-port=6444',
  '--service-account-key-file=/var/lib/rancher/k3s/server/tls/service.key',
  '--service-account-signing-key-file=/var/lib/rancher/k3s/server/tls/service.current.key',
  '--storage-backend=etcd3',
  '--tls-cert-file=/var/lib/rancher/k3s/server/tls/serving-kube-apiserver.crt',
  '--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  '--tls-private-key-file=/var/lib/rancher/k3s/server/tls/serving-kube-apiserver.key',
];

/** The kubelet flags newer k3s logs: most settings live in agent/etc/kubelet.conf.d/00-k3s-defaults.conf. */
export const configDirKubeletFlags: readonly string[] = [
  '--cloud-provider=external',
  '--config-dir=/var/lib/rancher/k3s/agent/etc/kubelet.conf.d',
  '--containerd=/run/k3s/containerd/containerd.sock',
  '--hostname-override=server-0',
  '--kubeconfig=/var/lib/rancher/k3s/agent/kubelet.kubeconfig',
  '--node-ip=10.10.10.100',
  '--node-labels=',
  '--read-only-port=0',
];

/** 00-k3s-defaults.conf as k3s writes it (default, not hardened). */
export function k3sKubeletDefaults(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: '0.0.0.0',
    authentication: { anonymous: { enabled: false }, webhook: { cacheTTL: '2m0s', enabled: true }, x509: { clientCAFile: `${dataDir}/agent/client-ca.crt` } },
    authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s' } },
    cgroupDriver: 'systemd',
    clusterDNS: ['10.43.0.10'],
    clusterDomain: 'cluster.local',
    failSwapOn: false,
    healthzBindAddress: '127.0.0.1',
    staticPodPath: `${dataDir}/agent/pod-manifests`,
    tlsCertFile: `${dataDir}/agent/serving-kubelet.crt`,
    tlsPrivateKeyFile: `${dataDir}/agent/serving-kubelet.key`,
    ...overrides,
  };
}

export const kubeletDropInPath = `${dataDir}/agent/etc/kubelet.conf.d/00-k3s-defaults.conf`;

/** Runs one node implementation with the parameters a benchmark's catalog gives it (or explicit ones). */
export function verdictOf(implementation: string, node: NodeAuditInput, benchmarkId = 'k3s-cis-2.1', params?: Params): Verdict {
  const control = defaultRegistry.node.get(implementation);
  if (control === undefined) throw new Error(`no node control ${implementation}`);
  const entry = benchmarkById(benchmarkId)?.controls.find((candidate) => candidate.implementation === implementation);
  return control.check(node, { id: benchmarkId, params: params ?? entry?.params ?? {} });
}

/** A default k3s server (SQLite) with the API server args as logged, and nothing else known. */
export function defaultServer(extraApiserverFlags: readonly string[] = [], overrides: Partial<NodeFacts> = {}): NodeAuditInput {
  return input(nodeFacts('server', overrides), effectiveArgs({ 'kube-apiserver': [...defaultApiserverFlags, ...extraApiserverFlags] }));
}
