import { describe, expect, it } from 'vitest';
import type { StructuredFile } from '../facts/node-facts.ts';
import { etcdConfigArgs, kubeletConfigArgs, kubeletDropInOrder } from './kubelet-config.ts';

const dir = '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d';
const file = (name: string, content: Record<string, unknown>, fieldLines: Record<string, number> = {}): StructuredFile => ({ path: `${dir}/${name}`, present: true, content, fieldLines });

describe('kubelet drop-ins', () => {
  it('apply in file-name order, field by field; lists replace; only *.conf', () => {
    const files = kubeletDropInOrder(
      [
        file('50-site.conf', { authentication: { anonymous: { enabled: true } }, tlsCipherSuites: ['TLS_AES_128_GCM_SHA256'] }, { 'authentication.anonymous.enabled': 4 }),
        file('00-k3s-defaults.conf', { authentication: { anonymous: { enabled: false }, webhook: { enabled: true } }, tlsCipherSuites: ['A', 'B'], featureGates: { Foo: true } }),
        file('README', { readOnlyPort: 10255 }),
        file('20-cli-config-dir/extra.conf', { podPidsLimit: 1024, featureGates: { Bar: false } }),
      ],
      dir,
    );
    expect(files.map((f) => f.path.slice(dir.length + 1))).toEqual(['00-k3s-defaults.conf', '20-cli-config-dir/extra.conf', '50-site.conf']);
    const args = kubeletConfigArgs(files);
    const get = (flag: string) => args.find((a) => a.flag === flag);
    expect(get('anonymous-auth')).toEqual({ flag: 'anonymous-auth', value: 'true', source: { kind: 'file-content', path: `${dir}/50-site.conf`, line: 4, detail: 'authentication.anonymous.enabled' } });
    expect(get('authentication-token-webhook')?.value).toBe('true');
    expect(get('tls-cipher-suites')?.value).toBe('TLS_AES_128_GCM_SHA256');
    expect(get('pod-max-pids')?.value).toBe('1024');
    expect(get('feature-gates')?.value).toBe('Foo=true,Bar=false');
    expect(get('read-only-port')).toBeUndefined();
  });
});

describe('etcd config', () => {
  it('flattens transport security to etcd flag names', () => {
    const args = etcdConfigArgs({ path: '/var/lib/rancher/k3s/server/db/etcd/config', present: true, content: { 'client-transport-security': { 'client-cert-auth': true, 'auto-tls': false }, 'peer-transport-security': { 'trusted-ca-file': '/p.crt' }, 'data-dir': '/d' }, fieldLines: { 'peer-transport-security.trusted-ca-file': 7 } });
    expect(args.map((a) => `${a.flag}=${a.value}`)).toEqual(['auto-tls=false', 'client-cert-auth=true', 'data-dir=/d', 'peer-trusted-ca-file=/p.crt']);
    expect(args.find((a) => a.flag === 'peer-trusted-ca-file')?.source.line).toBe(7);
  });
});
