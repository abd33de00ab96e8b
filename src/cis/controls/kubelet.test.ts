import { describe, expect, it } from 'vitest';
import type { StructuredFile } from '../../facts/node-facts.ts';
import { configDirKubeletFlags, dataDir, effectiveArgs, fileStat, input, k3sKubeletDefaults, kubeletDropInPath, nodeFacts, verdictOf } from '../test-node.fixture.ts';
import { isZeroDuration } from './kubelet-settings.ts';

const dropInDir = `${dataDir}/agent/etc/kubelet.conf.d`;
const dropIn = (content: unknown, path = kubeletDropInPath): StructuredFile => ({ path, present: true, content });
const agent = (flags: readonly string[], files: StructuredFile[] = [dropIn(k3sKubeletDefaults())], role: 'agent' | 'server' = 'agent') =>
  input(nodeFacts(role, { kubeletConfigFiles: files }), effectiveArgs({ kubelet: flags }));

const hardenedFlags = [
  ...configDirKubeletFlags,
  '--event-qps=0',
  '--make-iptables-util-chains=true',
  '--streaming-connection-idle-timeout=5m',
  '--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
];

/** The kubelet line k3s 1.28-1.31 logged: every setting as a flag, no config file. */
const flagOnlyKubelet = [
  '--address=0.0.0.0',
  '--anonymous-auth=false',
  '--authentication-token-webhook=true',
  '--authorization-mode=Webhook',
  `--client-ca-file=${dataDir}/agent/client-ca.crt`,
  '--event-qps=0',
  '--hostname-override=agent-0',
  `--kubeconfig=${dataDir}/agent/kubelet.kubeconfig`,
  '--make-iptables-util-chains=true',
  '--protect-kernel-defaults=true',
  '--read-only-port=0',
  '--streaming-connection-idle-timeout=5m',
  `--tls-cert-file=${dataDir}/agent/serving-kubelet.crt`,
  `--tls-private-key-file=${dataDir}/agent/serving-kubelet.key`,
];

const all = [
  'kubelet.anonymous-auth',
  'kubelet.authorization-mode',
  'kubelet.client-ca-file',
  'kubelet.read-only-port',
  'kubelet.streaming-connection-idle-timeout',
  'kubelet.make-iptables-util-chains',
  'kubelet.event-qps',
  'kubelet.tls-cert-file',
  'kubelet.rotate-certificates',
  'kubelet.rotate-server-certificates',
  'kubelet.tls-cipher-suites',
  'kubelet.pod-max-pids',
  'kubelet.seccomp-default',
];

describe('kubelet controls (4.2.x) on the kubelet\'s own settings', () => {
  it.each([
    ['default k3s 1.33 agent (drop-in)', agent(configDirKubeletFlags), ['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'FAIL', 'FAIL', 'FAIL']],
    ['hardened k3s 1.33 agent (drop-in)', agent(hardenedFlags), ['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'FAIL', 'FAIL']],
    ['hardened k3s 1.29 agent (flags only)', agent(flagOnlyKubelet, []), ['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'FAIL', 'FAIL', 'FAIL']],
  ])('%s', (_name, node, statuses) => {
    expect(all.map((implementation) => verdictOf(implementation, node).status)).toEqual(statuses);
  });

  it('reads the setting from the drop-in with its file as evidence', () => {
    const verdict = verdictOf('kubelet.anonymous-auth', agent(configDirKubeletFlags));
    expect(verdict.evidence).toEqual([
      { subject: 'kubelet authentication.anonymous.enabled', value: 'false', source: { kind: 'file-content', path: kubeletDropInPath, detail: 'authentication.anonymous.enabled' } },
    ]);
  });

  it('flags win over config files', () => {
    expect(verdictOf('kubelet.anonymous-auth', agent([...configDirKubeletFlags, '--anonymous-auth=true'])).status).toBe('FAIL');
  });

  it('later drop-ins win, and only *.conf files count', () => {
    const files = [
      dropIn(k3sKubeletDefaults()),
      dropIn({ apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', authentication: { anonymous: { enabled: true } } }, `${dropInDir}/50-user.conf`),
      dropIn({ apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', authorization: { mode: 'AlwaysAllow' } }, `${dropInDir}/90-notes.yaml`),
    ];
    const node = agent(configDirKubeletFlags, files);
    const anonymous = verdictOf('kubelet.anonymous-auth', node);
    expect(anonymous.status).toBe('FAIL');
    expect(anonymous.evidence[0]?.source.path).toBe(`${dropInDir}/50-user.conf`);
    expect(verdictOf('kubelet.authorization-mode', node).status).toBe('PASS');
  });

  it('is UNKNOWN when the kubelet runs with --config-dir but no drop-in was collected', () => {
    const verdict = verdictOf('kubelet.anonymous-auth', agent(configDirKubeletFlags, []));
    expect(verdict.status).toBe('UNKNOWN');
    expect(verdict.reason).toContain('00-k3s-defaults.conf');
  });

  it('in the configured state, trusts what k3s will write into the drop-in (carried by the effective args)', () => {
    const k3sDefault = { kind: 'k3s-default' as const, path: kubeletDropInPath, detail: 'k3s v1.34 (00-k3s-defaults.conf)' };
    const args = effectiveArgs({ kubelet: configDirKubeletFlags }, 'configured');
    const kubelet = args.components.kubelet;
    if (!kubelet.known) throw new Error('kubelet args unknown');
    const withDefaults = { ...args, components: { ...args.components, kubelet: { ...kubelet, values: [{ flag: 'anonymous-auth', value: 'false', source: k3sDefault }, ...kubelet.values] } } };
    const verdict = verdictOf('kubelet.anonymous-auth', input(nodeFacts('agent'), withDefaults));
    expect(verdict.status).toBe('PASS');
    expect(verdict.reason).toContain('(k3s default)');
  });

  it('is UNKNOWN when a drop-in could not be parsed', () => {
    const broken: StructuredFile = { path: kubeletDropInPath, present: true, error: { message: 'yaml: mapping values are not allowed here', line: 7 } };
    const verdict = verdictOf('kubelet.authorization-mode', agent(configDirKubeletFlags, [broken]));
    expect(verdict.status).toBe('UNKNOWN');
    expect(verdict.reason).toContain('line 7');
  });

  it('uses the KubeletConfiguration defaults with --config and the legacy flag defaults without', () => {
    const config = `${dataDir}/agent/etc/kubelet.yaml`;
    const withConfig = agent([`--config=${config}`], [dropIn({ apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration' }, config)]);
    expect(verdictOf('kubelet.read-only-port', withConfig).status).toBe('PASS');
    expect(verdictOf('kubelet.anonymous-auth', withConfig).status).toBe('PASS');
    const bare = agent(['--hostname-override=agent-0'], []);
    const readOnly = verdictOf('kubelet.read-only-port', bare);
    expect(readOnly.status).toBe('FAIL');
    expect(readOnly.reason).toContain('10255');
    expect(verdictOf('kubelet.anonymous-auth', bare).status).toBe('FAIL');
    expect(verdictOf('kubelet.authorization-mode', bare).status).toBe('FAIL');
  });

  it.each([
    ['--streaming-connection-idle-timeout=0', 'kubelet.streaming-connection-idle-timeout', 'FAIL'],
    ['--streaming-connection-idle-timeout=0s', 'kubelet.streaming-connection-idle-timeout', 'FAIL'],
    ['--streaming-connection-idle-timeout=30m', 'kubelet.streaming-connection-idle-timeout', 'PASS'],
    ['--make-iptables-util-chains=false', 'kubelet.make-iptables-util-chains', 'FAIL'],
    ['--read-only-port=10255', 'kubelet.read-only-port', 'FAIL'],
    ['--pod-max-pids=4096', 'kubelet.pod-max-pids', 'PASS'],
    ['--pod-max-pids=-1', 'kubelet.pod-max-pids', 'FAIL'],
    ['--rotate-certificates=false', 'kubelet.rotate-certificates', 'FAIL'],
    ['--feature-gates=RotateKubeletServerCertificate=false', 'kubelet.rotate-server-certificates', 'FAIL'],
    ['--seccomp-default=true', 'kubelet.seccomp-default', 'PASS'],
    ['--seccomp-default=false', 'kubelet.seccomp-default', 'FAIL'],
    ['--tls-cipher-suites=TLS_RSA_WITH_AES_128_GCM_SHA256', 'kubelet.tls-cipher-suites', 'FAIL'],
    ['--event-qps=-1', 'kubelet.event-qps', 'FAIL'],
  ])('%s → %s %s', (flag, implementation, status) => {
    expect(verdictOf(implementation, agent([...configDirKubeletFlags, flag])).status).toBe(status);
  });

  it('allows TLS_RSA kubelet suites in 1.11 but not in 1.12', () => {
    const node = agent([...configDirKubeletFlags, '--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_GCM_SHA256']);
    expect(verdictOf('kubelet.tls-cipher-suites', node, 'k3s-cis-1.11').status).toBe('PASS');
    expect(verdictOf('kubelet.tls-cipher-suites', node, 'k3s-cis-1.12').status).toBe('FAIL');
  });

  it('reads feature gates from the drop-in, flags winning', () => {
    const gated = dropIn(k3sKubeletDefaults({ featureGates: { RotateKubeletServerCertificate: false } }));
    expect(verdictOf('kubelet.rotate-server-certificates', agent(configDirKubeletFlags, [gated])).status).toBe('FAIL');
    expect(verdictOf('kubelet.rotate-server-certificates', agent([...configDirKubeletFlags, '--feature-gates=RotateKubeletServerCertificate=true'], [gated])).status).toBe('PASS');
  });

  it('4.2.9 fails when the configured serving certificate does not exist', () => {
    const facts = nodeFacts('agent', {
      kubeletConfigFiles: [dropIn(k3sKubeletDefaults())],
      files: [{ path: `${dataDir}/agent/serving-kubelet.crt`, exists: false }, fileStat(`${dataDir}/agent/serving-kubelet.key`, 0o600)],
    });
    expect(verdictOf('kubelet.tls-cert-file', input(facts, effectiveArgs({ kubelet: configDirKubeletFlags }))).status).toBe('FAIL');
  });

  it('4.2.9 fails when neither flags nor config name a serving certificate', () => {
    const files = [dropIn(k3sKubeletDefaults({ tlsCertFile: undefined, tlsPrivateKeyFile: undefined }))];
    expect(verdictOf('kubelet.tls-cert-file', agent(configDirKubeletFlags, files)).status).toBe('FAIL');
  });

  it('is N/A on a server started with --disable-agent', () => {
    const base = nodeFacts('server');
    const facts = nodeFacts('server', { k3s: { ...base.k3s, configFiles: [{ path: '/etc/rancher/k3s/config.yaml', present: true, entries: [{ key: 'disable-agent', value: true, line: 1 }] }] } });
    expect(verdictOf('kubelet.anonymous-auth', input(facts, effectiveArgs({}))).status).toBe('N/A');
  });

  it.each([
    ['0', true],
    ['0s', true],
    ['0h0m0s', true],
    ['5m', false],
    ['4h0m0s', false],
    ['1.5h', false],
    ['soon', null],
  ])('duration %s is zero: %s', (text, zero) => {
    expect(isZeroDuration(text)).toBe(zero);
  });
});
