import { describe, expect, it } from 'vitest';
import type { NodeFacts, StructuredFile } from '../facts/node-facts.ts';
import { parseConfigFileText } from './config-file.ts';
import { effectiveArgs, lastValue, type ComponentArgs } from './effective-args.ts';

/** A node with k3s installed by the install script and the given config.yaml, collected with no logs. */
function factsFor(version: string, role: 'server' | 'agent', config = '', kubeletConfigFiles: StructuredFile[] = []): NodeFacts {
  return {
    apiVersion: 'kharden.dev/v1',
    kind: 'NodeFacts',
    collectedAt: '2026-10-06T18:20:00.000Z',
    collector: { kharden: '0.1.0', mode: 'root', root: '/host' },
    hostname: 'Node-1',
    k3s: {
      installed: true,
      version: { value: version, source: { kind: 'binary', path: '/usr/local/bin/k3s' } },
      versionEvidence: [{ value: version, source: { kind: 'binary', path: '/usr/local/bin/k3s' } }],
      role: { value: role, source: { kind: 'service-unit', path: '/etc/systemd/system/k3s.service', line: 30 } },
      dataDir: '/var/lib/rancher/k3s',
      configFiles: [config === '' ? { path: '/etc/rancher/k3s/config.yaml', present: false, entries: [] } : parseConfigFileText(config, '/etc/rancher/k3s/config.yaml')],
      process: null,
      service: { source: { kind: 'service-unit', path: '/etc/systemd/system/k3s.service', line: 30 }, argv: [role] },
      environment: [],
      logs: { sources: [], running: [], datastoreLines: [] },
    },
    kubeletConfigFiles,
    etcdConfig: null,
    encryptionConfig: null,
    files: [],
    sysctl: { runtime: { available: false, values: {} }, boot: [], bootErrors: [] },
  };
}

const valueOf = (args: ComponentArgs, flag: string) => lastValue(args, flag)?.value ?? null;

describe('k3s default component arguments per version', () => {
  it.each([
    ['v1.27.16+k3s1', '0', 'flags'],
    ['v1.28.15+k3s1', '0', 'flags'],
    ['v1.29.15+k3s1', '0', 'flags'],
    ['v1.30.14+k3s1', '0', 'flags'],
    ['v1.31.9+k3s1', '0', 'flags'],
    ['v1.32.3+k3s1', '10255', 'config-dir'],
    ['v1.32.4+k3s1', '0', 'config-dir'],
    ['v1.33.5+k3s1', '0', 'config-dir'],
    ['v1.34.1+k3s1', '0', 'config-dir'],
    ['v1.35.4+k3s1', '0', 'config-dir'],
    ['v1.36.2+k3s1', '0', 'config-dir'],
    ['v1.37.0+k3s1', '0', 'config-dir'],
  ])('%s: secure control-plane defaults; kubelet read-only port %s via %s', (version, readOnlyPort, kubeletStyle) => {
    const args = effectiveArgs(factsFor(version, 'server'), 'configured').components;
    expect(valueOf(args['kube-apiserver'], 'anonymous-auth')).toBe('false');
    expect(valueOf(args['kube-apiserver'], 'authorization-mode')).toBe('Node,RBAC');
    expect(valueOf(args['kube-apiserver'], 'enable-admission-plugins')).toBe('NodeRestriction');
    expect(valueOf(args['kube-apiserver'], 'profiling')).toBe('false');
    expect(valueOf(args['kube-apiserver'], 'etcd-servers')).toBe('unix://kine.sock');
    expect(valueOf(args['kube-apiserver'], 'encryption-provider-config')).toBeNull();
    expect(valueOf(args['kube-apiserver'], 'tls-cipher-suites')).toContain('TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384');
    expect(valueOf(args['kube-controller-manager'], 'use-service-account-credentials')).toBe('true');
    expect(valueOf(args['kube-controller-manager'], 'bind-address')).toBe('127.0.0.1');
    expect(valueOf(args['kube-scheduler'], 'profiling')).toBe('false');
    expect(valueOf(args.kubelet, 'anonymous-auth')).toBe('false');
    expect(valueOf(args.kubelet, 'authorization-mode')).toBe('Webhook');
    expect(valueOf(args.kubelet, 'read-only-port')).toBe(readOnlyPort);
    expect(valueOf(args.kubelet, 'hostname-override')).toBe('node-1');
    expect(valueOf(args.kubelet, 'config-dir') === null ? 'flags' : 'config-dir').toBe(kubeletStyle);
    expect(args.etcd.known).toBe(false);
  });

  it('says when a version is outside the table', () => {
    const args = effectiveArgs(factsFor('v1.25.16+k3s4', 'server'), 'configured').components;
    expect(lastValue(args['kube-apiserver'], 'profiling')?.source.detail).toContain('outside kharden\'s table (1.27–1.37), 1.27 used');
  });

  it('maps k3s flags onto component arguments, with the k3s flag\'s file and line', () => {
    const config = 'secrets-encryption: true\nprotect-kernel-defaults: true\ncluster-init: true\nservice-cidr: 10.96.0.0/12\ndisable-cloud-controller: true\nkube-apiserver-arg:\n  - enable-admission-plugins+=EventRateLimit\n';
    const args = effectiveArgs(factsFor('v1.31.9+k3s1', 'server', config), 'configured').components;
    expect(lastValue(args['kube-apiserver'], 'encryption-provider-config')).toMatchObject({ value: '/var/lib/rancher/k3s/server/cred/encryption-config.json', source: { kind: 'config-file', line: 1 } });
    expect(lastValue(args.kubelet, 'protect-kernel-defaults')).toMatchObject({ value: 'true', source: { kind: 'config-file', line: 2 } });
    expect(valueOf(args['kube-apiserver'], 'etcd-cafile')).toBe('/var/lib/rancher/k3s/server/tls/etcd/server-ca.crt');
    expect(valueOf(args['kube-apiserver'], 'service-cluster-ip-range')).toBe('10.96.0.0/12');
    expect(args['kube-apiserver'].known && args['kube-apiserver'].values.filter((v) => v.flag === 'enable-admission-plugins').map((v) => v.value)).toEqual(['NodeRestriction', 'EventRateLimit']);
    expect(valueOf(args.kubelet, 'cloud-provider')).toBeNull();
    expect(valueOf(args['kube-controller-manager'], 'controllers')).toBe('*,tokencleaner');
    expect(valueOf(args.etcd, 'peer-client-cert-auth')).toBe('true');
  });

  it('external datastores: kine for SQL, the endpoint itself for etcd', () => {
    const postgres = effectiveArgs(factsFor('v1.33.5+k3s1', 'server', 'datastore-endpoint: "postgres://********"\n'), 'configured').components;
    expect(valueOf(postgres['kube-apiserver'], 'etcd-servers')).toBe('unix://kine.sock');
    const etcd = effectiveArgs(factsFor('v1.33.5+k3s1', 'server', 'datastore-endpoint: "https://********"\ndatastore-cafile: /etc/etcd/ca.crt\n'), 'configured').components;
    expect(valueOf(etcd['kube-apiserver'], 'etcd-cafile')).toBe('/etc/etcd/ca.crt');
    expect(etcd.etcd).toEqual({ known: false, component: 'etcd', reason: 'embedded etcd is not used: datastore is external etcd' });
  });

  it('disabled components do not run; an agent runs only kubelet and kube-proxy', () => {
    const server = effectiveArgs(factsFor('v1.34.1+k3s1', 'server', 'disable-agent: true\ndisable-kube-proxy: true\n'), 'configured').components;
    expect(server.kubelet).toEqual({ known: false, component: 'kubelet', reason: 'disable-agent is set: this server runs no kubelet' });
    const agent = effectiveArgs(factsFor('v1.34.1+k3s1', 'agent'), 'configured').components;
    expect(agent['kube-scheduler'].known).toBe(false);
    expect(agent['kube-proxy'].known).toBe(true);
  });

  it('kubelet-arg config= becomes the 10-cli-config.conf drop-in on 1.32+, below the flags', () => {
    const userConfig: StructuredFile = { path: '/etc/rancher/k3s/kubelet.conf', present: true, content: { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', podPidsLimit: 4096, readOnlyPort: 10255 }, fieldLines: { podPidsLimit: 3, readOnlyPort: 4 } };
    const args = effectiveArgs(factsFor('v1.34.1+k3s1', 'agent', 'kubelet-arg:\n  - config=/etc/rancher/k3s/kubelet.conf\n', [userConfig]), 'configured').components;
    expect(lastValue(args.kubelet, 'pod-max-pids')).toMatchObject({ value: '4096', source: { kind: 'file-content', path: '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/10-cli-config.conf' } });
    expect(valueOf(args.kubelet, 'read-only-port')).toBe('0'); // the --read-only-port=0 flag wins over the file
    expect(valueOf(args.kubelet, 'config')).toBeNull();
  });

  it('running without log lines: computed from the configuration, and every value says so', () => {
    const args = effectiveArgs(factsFor('v1.34.1+k3s1', 'server'), 'running').components;
    expect(lastValue(args['kube-apiserver'], 'profiling')?.source.detail).toContain('no Running kube-apiserver line in the k3s log; computed from the configuration');
  });
});
