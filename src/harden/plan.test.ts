import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { NodeFacts } from '../facts/node-facts.ts';
import type { CurrentFile } from './current-files.ts';
import { sha256 } from './apply.ts';
import { buildPlan, type HardenOptions, type HardenPlan, pathsToRead, type PlanTarget } from './plan.ts';
import { configFile, testFacts } from './test-facts.ts';

const options: HardenOptions = { psaLevel: 'restricted', psaExemptNamespaces: ['kube-system'], netpol: true, secretsEncryption: true, netpolNamespaces: [] };
const benchmark = { id: 'k3s-cis-1.11', title: 'CIS k3s 1.11', seccompDefault: false, certMode: 0o600, clientCaMode: 0o600 };
const target = (role: 'server' | 'agent', minor: number): PlanTarget => ({ role, version: `v1.${minor}.4+k3s1`, minor, benchmark });

function plan(facts: NodeFacts, planTarget: PlanTarget, files: Map<string, CurrentFile> = new Map(), opts: HardenOptions = options): HardenPlan {
  const input = { facts, target: planTarget, options: opts, root: '/' };
  for (const path of pathsToRead(input)) if (!files.has(path)) files.set(path, { exists: false });
  return buildPlan(input, files);
}

/** The files as they are after applying a plan. */
function applied(result: HardenPlan, before: Map<string, CurrentFile> = new Map()): Map<string, CurrentFile> {
  const files = new Map(before);
  for (const change of result.changes) {
    const operation = change.operation;
    if (operation.op === 'write') files.set(operation.path, { exists: true, type: 'file', content: operation.content, sha256: sha256(operation.content), mode: operation.mode, uid: 0, gid: 0 });
    else files.set(operation.path, { exists: true, type: operation.op === 'mkdir' ? 'directory' : 'file', mode: operation.mode, uid: 0, gid: 0 });
  }
  return files;
}

const dropIn = (result: HardenPlan): Record<string, unknown> => {
  const change = result.changes.find((candidate) => candidate.path.endsWith('90-kharden.yaml'));
  if (change?.operation.op !== 'write') throw new Error('no drop-in');
  return parse(change.operation.content, { version: '1.1' }) as Record<string, unknown>;
};

describe('buildPlan for a server', () => {
  const result = plan(testFacts({ role: 'server' }), target('server', 31));

  it('creates the drop-in, kernel parameters, admission config, audit policy, log dir and NetworkPolicies', () => {
    expect(result.changes.map((change) => `${change.action} ${change.path}`)).toEqual([
      'create /etc/rancher/k3s/config.yaml.d/90-kharden.yaml',
      'create /etc/sysctl.d/90-kubelet.conf',
      'create /var/lib/rancher/k3s/server/psa.yaml',
      'create /var/lib/rancher/k3s/server/audit.yaml',
      'mkdir /var/lib/rancher/k3s/server/logs',
      'create /var/lib/rancher/k3s/server/manifests/kharden-netpol-kube-system.yaml',
      'create /var/lib/rancher/k3s/server/manifests/kharden-netpol-kube-public.yaml',
      'create /var/lib/rancher/k3s/server/manifests/kharden-netpol-default.yaml',
    ]);
    expect(result.changes.find((change) => change.action === 'mkdir')?.mode).toBe(0o700);
  });

  it('writes the guide settings for 1.29+ with key+ lists', () => {
    expect(dropIn(result)).toEqual({
      'protect-kernel-defaults': true,
      'secrets-encryption': true,
      'kube-apiserver-arg+': [
        'enable-admission-plugins=NodeRestriction,EventRateLimit',
        'admission-control-config-file=/var/lib/rancher/k3s/server/psa.yaml',
        'audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log',
        'audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml',
        'audit-log-maxage=30',
        'audit-log-maxbackup=10',
        'audit-log-maxsize=100',
        'service-account-extend-token-expiration=false',
      ],
      'kube-controller-manager-arg+': ['terminated-pod-gc-threshold=100'],
      'kubelet-arg+': [
        'streaming-connection-idle-timeout=5m',
        'tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
      ],
    });
    expect(result.restart).toMatchObject({ required: true, service: 'k3s' });
  });

  it('has nothing left to do once applied (a second apply changes nothing)', () => {
    const again = plan(testFacts({ role: 'server' }), target('server', 31), applied(result));
    expect(again.changes).toEqual([]);
    expect(again.restart.required).toBe(false);
  });

  it.each([25, 27, 29, 32, 35, 37])('never writes PodSecurityPolicy or insecure-port on 1.%i', (minor) => {
    const text = JSON.stringify(plan(testFacts({ role: 'server', version: `v1.${minor}.1+k3s1` }), target('server', minor)).changes);
    expect(text).not.toMatch(/PodSecurityPolicy|insecure-port/);
  });

  it('uses the 1.25-1.28 guide below 1.29: no extend-token flag, gc threshold 10', () => {
    const content = dropIn(plan(testFacts({ role: 'server', version: 'v1.28.3+k3s1' }), target('server', 28)));
    expect(content['kube-apiserver-arg+']).not.toContain('service-account-extend-token-expiration=false');
    expect(content['kube-controller-manager-arg+']).toEqual(['terminated-pod-gc-threshold=10']);
  });

  it('asks for the seccomp default where the benchmark does', () => {
    const content = dropIn(plan(testFacts({ role: 'server' }), { ...target('server', 33), benchmark: { ...benchmark, seccompDefault: true } }));
    expect(content['kubelet-arg+']).toContain('seccomp-default=true');
  });
});

describe('options', () => {
  it('--audit-log-dir moves the log and the 700 directory', () => {
    const result = plan(testFacts({ role: 'server' }), target('server', 31), new Map(), { ...options, auditLogDir: '/var/log/k3s-audit' });
    expect(dropIn(result)['kube-apiserver-arg+']).toContain('audit-log-path=/var/log/k3s-audit/audit.log');
    expect(result.changes.find((change) => change.action === 'mkdir')).toMatchObject({ path: '/var/log/k3s-audit', mode: 0o700 });
  });

  it('--no-secrets-encryption and --no-netpol leave those out', () => {
    const result = plan(testFacts({ role: 'server' }), target('server', 31), new Map(), { ...options, secretsEncryption: false, netpol: false });
    expect(dropIn(result)['secrets-encryption']).toBeUndefined();
    expect(result.changes.some((change) => change.path.includes('/manifests/'))).toBe(false);
  });

  it('--netpol-namespaces adds intra-namespace policies for those namespaces', () => {
    const result = plan(testFacts({ role: 'server' }), target('server', 31), new Map(), { ...options, netpolNamespaces: ['shop'] });
    expect(result.changes.map((change) => change.path)).toContain('/var/lib/rancher/k3s/server/manifests/kharden-netpol-shop.yaml');
  });
});

describe("the user's own settings", () => {
  const userFile = (entries: Array<[string, string | boolean | string[]]>) => configFile('/etc/rancher/k3s/config.yaml', entries);

  it('shows a different value as a conflict and does not overwrite it', () => {
    const facts = testFacts({ role: 'server', configFiles: [userFile([['kube-apiserver-arg', ['audit-log-maxage=7']], ['protect-kernel-defaults', false]])] });
    const result = plan(facts, target('server', 31));
    expect(result.conflicts.map((conflict) => conflict.userValue)).toEqual(['protect-kernel-defaults: false', 'audit-log-maxage=7']);
    expect(result.conflicts[1]?.source).toMatchObject({ path: '/etc/rancher/k3s/config.yaml', line: 1 });
    const content = dropIn(result);
    expect(content['protect-kernel-defaults']).toBeUndefined();
    expect(content['kube-apiserver-arg+']).not.toContainEqual(expect.stringMatching(/^audit-log-maxage/));
  });

  it('keeps a different value the benchmark accepts too, without calling it a conflict', () => {
    const facts = testFacts({ role: 'server', configFiles: [userFile([['kube-apiserver-arg', ['audit-log-maxage=90']], ['kube-controller-manager-arg', ['terminated-pod-gc-threshold=10']]])] });
    const result = plan(facts, target('server', 31));
    expect(result.conflicts).toEqual([]);
    expect(result.alreadySet.filter((set) => set.note !== undefined).map((set) => set.setting)).toEqual([
      'kube-apiserver-arg audit-log-maxage=90',
      'kube-controller-manager-arg terminated-pod-gc-threshold=10',
    ]);
  });

  it('leaves out what the user already set', () => {
    const facts = testFacts({ role: 'server', configFiles: [userFile([['secrets-encryption', true], ['kubelet-arg', ['streaming-connection-idle-timeout=5m']]])] });
    const result = plan(facts, target('server', 31));
    expect(result.alreadySet.map((set) => set.setting)).toEqual(['secrets-encryption: true', 'kubelet-arg streaming-connection-idle-timeout=5m']);
    expect(dropIn(result)['secrets-encryption']).toBeUndefined();
  });

  it('extends an admission plugin list instead of replacing it', () => {
    const facts = testFacts({ role: 'server', configFiles: [userFile([['kube-apiserver-arg', ['enable-admission-plugins=NodeRestriction,AlwaysPullImages']]])] });
    const result = plan(facts, target('server', 31));
    expect(dropIn(result)['kube-apiserver-arg+']).toContain('enable-admission-plugins=NodeRestriction,AlwaysPullImages,EventRateLimit');
    expect(result.notices.join('\n')).toMatch(/extends your NodeRestriction,AlwaysPullImages/);
  });

  it('does not enable a plugin the user disabled', () => {
    const facts = testFacts({ role: 'server', configFiles: [userFile([['kube-apiserver-arg', ['disable-admission-plugins=EventRateLimit']]])] });
    const result = plan(facts, target('server', 31));
    expect(dropIn(result)['kube-apiserver-arg+']).toContain('enable-admission-plugins=NodeRestriction');
    const psa = result.changes.find((change) => change.path.endsWith('psa.yaml'));
    expect(psa?.operation.op === 'write' && psa.operation.content).not.toMatch(/EventRateLimit/);
  });

  it('shows that a command-line --kube-apiserver-arg would replace the drop-in list', () => {
    const facts = testFacts({ role: 'server', argv: ['server', '--kube-apiserver-arg=profiling=false'] });
    const result = plan(facts, target('server', 31));
    expect(dropIn(result)['kube-apiserver-arg+']).toBeUndefined();
    expect(result.conflicts.some((conflict) => /command line/.test(conflict.reason))).toBe(true);
  });

  it('shows that a later drop-in without + would replace what kharden appends', () => {
    const facts = testFacts({
      role: 'agent',
      configFiles: [configFile('/etc/rancher/k3s/config.yaml', []), configFile('/etc/rancher/k3s/config.yaml.d/95-site.yaml', [['kubelet-arg', ['max-pods=50']]])],
    });
    const result = plan(facts, target('agent', 31));
    expect(dropIn(result)['kubelet-arg+']).toBeUndefined();
    expect(result.conflicts.map((conflict) => conflict.reason)).toContainEqual(expect.stringMatching(/95-site.yaml:1 sets kubelet-arg without '\+' after .*90-kharden.yaml/));
  });

  it('completes the user admission configuration in place, keeping its comments', () => {
    const facts = testFacts({ role: 'server', configFiles: [userFile([['kube-apiserver-arg', ['admission-control-config-file=/etc/k3s/admission.yaml']]])] });
    const mine = '# mine\napiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins: # list\n  - name: PodSecurity\n    path: /etc/k3s/pss.yaml\n';
    const files = new Map<string, CurrentFile>([['/etc/k3s/admission.yaml', { exists: true, type: 'file', content: mine, sha256: sha256(mine), mode: 0o600, uid: 0, gid: 0 }]]);
    const result = plan(facts, target('server', 31), files);
    const change = result.changes.find((candidate) => candidate.path === '/etc/k3s/admission.yaml');
    expect(change?.action).toBe('modify');
    expect(change?.diff).toMatch(/^\+ {2}- name: EventRateLimit$/m);
    expect(change?.diff).not.toMatch(/^-(?!--)/m);
    expect(result.changes.some((candidate) => candidate.path.endsWith('server/psa.yaml'))).toBe(false);
  });

  it('leaves out the policies of components k3s does not run', () => {
    const facts = testFacts({ role: 'server', configFiles: [userFile([['disable', ['traefik', 'metrics-server']]])] });
    const change = plan(facts, target('server', 31)).changes.find((candidate) => candidate.path.endsWith('kube-system.yaml'));
    const content = change?.operation.op === 'write' ? change.operation.content : '';
    expect(content).toMatch(/default-network-dns-policy/);
    expect(content).not.toMatch(/traefik|metrics-server/);
  });
});

describe('buildPlan for k3s 1.24 and older (PodSecurityPolicy era)', () => {
  const result = plan(testFacts({ role: 'server', version: 'v1.24.17+k3s1' }), target('server', 24));

  it('enables PodSecurityPolicy with the guide plugins and writes the PSPs with their RBAC', () => {
    expect(dropIn(result)['kube-apiserver-arg+']).toContain('enable-admission-plugins=NodeRestriction,PodSecurityPolicy,NamespaceLifecycle,ServiceAccount,EventRateLimit');
    expect(dropIn(result)['kubelet-arg+']).toContain('make-iptables-util-chains=true');
    const psp = result.changes.find((change) => change.path.endsWith('kharden-pod-security-policies.yaml'));
    expect(psp?.operation.op === 'write' && psp.operation.content).toMatch(/name: restricted-psp/);
  });

  it('configures EventRateLimit only in the admission configuration (no PodSecurity plugin)', () => {
    const psa = result.changes.find((change) => change.path.endsWith('psa.yaml'));
    const content = psa?.operation.op === 'write' ? psa.operation.content : '';
    expect((parse(content) as { plugins: Array<{ name: string }> }).plugins.map((plugin) => plugin.name)).toEqual(['EventRateLimit']);
  });
});

describe('buildPlan for an agent', () => {
  it('writes kernel parameters and the kubelet settings only', () => {
    const result = plan(testFacts({ role: 'agent' }), target('agent', 31));
    expect(result.changes.map((change) => change.path)).toEqual(['/etc/rancher/k3s/config.yaml.d/90-kharden.yaml', '/etc/sysctl.d/90-kubelet.conf']);
    expect(Object.keys(dropIn(result))).toEqual(['protect-kernel-defaults', 'kubelet-arg+']);
    expect(result.restart.service).toBe('k3s-agent');
  });
});

describe('the kernel parameters at runtime', () => {
  it('says which running values the kubelet would reject after a restart', () => {
    const facts = testFacts({ role: 'agent', sysctlRuntime: { 'vm.overcommit_memory': '0', 'kernel.panic': '10' } });
    expect(plan(facts, target('agent', 31)).sysctl.runtimeMismatch).toEqual([{ key: 'vm.overcommit_memory', wanted: '1', value: '0' }]);
  });
});
