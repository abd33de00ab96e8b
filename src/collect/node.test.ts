import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNodeTree, fixtureTime, journalctlAvailable, type NodeTree, type NodeTreeKind } from '../../test/fixtures/node-trees.ts';
import { nodeFactsSchema, type NodeFacts } from '../facts/node-facts.ts';
import { detectDatastore, flannelBackend } from '../k3s/datastore.ts';
import { effectiveArgs } from '../k3s/effective-args.ts';
import { lastValue, type ComponentArgs } from '../k3s/effective-args.ts';
import { nodeContext } from '../k3s/node-context.ts';
import { collectNodeFacts } from './node.ts';

const haveJournalctl = journalctlAvailable();

async function collect(tree: NodeTree): Promise<NodeFacts> {
  const facts = await collectNodeFacts({ root: tree.root, mode: 'root', now: () => fixtureTime });
  return nodeFactsSchema.parse(facts);
}

function value(args: ComponentArgs, flag: string) {
  const found = lastValue(args, flag);
  return found === null ? null : { value: found.value, kind: found.source.kind, path: found.source.path, line: found.source.line };
}

function mode(facts: NodeFacts, path: string): string | null {
  const stat = facts.files.find((file) => file.path === path);
  return stat?.mode === undefined ? null : stat.mode.toString(8);
}

const trees = new Map<NodeTreeKind, { tree: NodeTree; facts: NodeFacts }>();
beforeAll(async () => {
  for (const kind of ['default-server', 'hardened-server', 'default-agent', 'hardened-agent'] as const) {
    const tree = buildNodeTree(kind);
    trees.set(kind, { tree, facts: await collect(tree) });
  }
});
afterAll(() => {
  for (const { tree } of trees.values()) tree.remove();
});
const get = (kind: NodeTreeKind) => trees.get(kind) as { tree: NodeTree; facts: NodeFacts };

describe('default server (SQLite, install script, journald)', () => {
  it('knows version, role, datastore and flannel backend, with their sources', () => {
    const { facts } = get('default-server');
    expect(facts.k3s.installed).toBe(true);
    expect(facts.k3s.version?.value).toBe('v1.34.1+k3s1');
    expect(facts.k3s.role).toEqual({ value: 'server', source: { kind: 'cmdline', path: '/proc/2263/cmdline' } });
    expect(facts.k3s.service?.source).toEqual({ kind: 'service-unit', path: '/etc/systemd/system/k3s.service', line: 30 });
    expect(facts.k3s.process?.startedAt).toBe('2026-10-06T18:17:50.000Z');
    const context = nodeContext(facts, 'running');
    expect(detectDatastore(facts, context.settings, 'server').kind).toBe('sqlite');
    expect(flannelBackend(context.settings, 'server')?.value).toBe('vxlan');
    expect(facts.hostname).toBe('edge-1');
  });

  it.skipIf(!haveJournalctl)('reads the Running lines from the persistent journal and records every source tried', () => {
    const { facts } = get('default-server');
    const names = facts.k3s.logs.sources.map((source) => `${source.name}: ${source.read ? 'read' : source.error?.message ?? ''}`);
    expect(names).toContain('journald unit k3s (/var/log/journal): read');
    expect(names).toContain('journald unit k3s (/run/log/journal): /run/log/journal: no such directory');
    expect(names).toContain('/var/log/k3s.log: /var/log/k3s.log: no such file or directory');
    expect(facts.k3s.logs.running.map((line) => line.component)).toEqual(['kube-apiserver', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'kubelet']);
    expect(facts.k3s.logs.datastoreLines.some((line) => line.text.includes('sqlite3'))).toBe(true);
    // The journal also holds an earlier run (k3s v1.33.5, profiling on): only the last run counts.
    expect(facts.k3s.versionEvidence?.map((item) => `${item.value} ${item.source.kind}`)).toEqual(['v1.34.1+k3s1 binary', 'v1.34.1+k3s1 k3s-log']);
    expect(facts.k3s.logs.running.find((line) => line.component === 'kube-apiserver')?.args).toContain('--profiling=false');
    expect(facts.k3s.logs.running.find((line) => line.component === 'kube-apiserver')?.args).not.toContain('--profiling=true');
  });

  it.skipIf(!haveJournalctl)('effective args carry the log line, the drop-in file and line, or the k3s default', () => {
    const { facts } = get('default-server');
    const running = effectiveArgs(facts, 'running');
    expect(value(running.components['kube-apiserver'], 'anonymous-auth')).toMatchObject({ value: 'false', kind: 'k3s-log' });
    expect(value(running.components['kube-apiserver'], 'etcd-servers')?.value).toBe('unix://kine.sock');
    expect(value(running.components['kube-apiserver'], 'etcd-cafile')).toBeNull();
    expect(value(running.components.kubelet, 'anonymous-auth')).toEqual({
      value: 'false', kind: 'file-content', path: '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf', line: 8,
    });
    expect(value(running.components.kubelet, 'read-only-port')).toMatchObject({ value: '0', kind: 'k3s-log' });
    expect(value(running.components.kubelet, 'protect-kernel-defaults')).toBeNull();
    expect(running.components.etcd).toEqual({ known: false, component: 'etcd', reason: 'embedded etcd is not used: datastore is SQLite (kine, the k3s default)' });
    const configured = effectiveArgs(facts, 'configured');
    expect(value(configured.components['kube-apiserver'], 'profiling')).toMatchObject({ value: 'false', kind: 'k3s-default' });
    expect(running.drift).toEqual([]);
  });

  it('records modes and owners with names from the node\'s own passwd and group', () => {
    const { facts } = get('default-server');
    expect(mode(facts, '/var/lib/rancher/k3s/server/tls')).toBe('700');
    expect(mode(facts, '/var/lib/rancher/k3s/server/tls/server-ca.crt')).toBe('644');
    expect(mode(facts, '/var/lib/rancher/k3s/server/tls/server-ca.key')).toBe('600');
    expect(mode(facts, '/var/lib/rancher/k3s/server/cred/admin.kubeconfig')).toBe('600');
    expect(mode(facts, '/var/lib/rancher/k3s/agent/client-ca.crt')).toBe('600');
    expect(mode(facts, '/var/lib/cni/networks/cbr0/10.42.0.2')).toBe('600');
    expect(mode(facts, '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf')).toBe('600');
    const journal = facts.files.find((file) => file.path === '/var/lib/rancher/k3s/server/tls/client-ca.crt');
    expect(journal).toMatchObject({ exists: true, type: 'file', uid: 0, gid: 0, user: 'root', group: 'root' });
    expect(facts.files.find((file) => file.path === '/var/lib/rancher/k3s/server/node-token')).toBeUndefined();
    expect(facts.files.find((file) => file.path === '/var/lib/rancher/k3s/server/db/etcd')).toEqual({ path: '/var/lib/rancher/k3s/server/db/etcd', exists: false });
  });

  it('reads the running kernel parameters from ROOT/proc and what boot would set', () => {
    const { facts } = get('default-server');
    expect(facts.sysctl.runtime.available).toBe(true);
    expect(facts.sysctl.runtime.values['vm.overcommit_memory']).toEqual({ value: '0', source: { kind: 'proc-sys', path: '/proc/sys/vm/overcommit_memory' } });
    expect(facts.sysctl.boot.find((item) => item.key === 'vm.overcommit_memory')).toBeUndefined();
  });
});

describe('hardened server (embedded etcd, CIS hardening guide)', () => {
  it('detects embedded etcd and reads its config with file and line', () => {
    const { facts } = get('hardened-server');
    const context = nodeContext(facts, 'configured');
    expect(context.datastore.kind).toBe('embedded-etcd');
    const etcd = effectiveArgs(facts, 'running').components.etcd;
    expect(value(etcd, 'peer-client-cert-auth')).toEqual({ value: 'true', kind: 'file-content', path: '/var/lib/rancher/k3s/server/db/etcd/config', line: 25 });
    expect(value(etcd, 'trusted-ca-file')?.value).toBe('/var/lib/rancher/k3s/server/tls/etcd/server-ca.crt');
    expect(mode(facts, '/var/lib/rancher/k3s/server/db/etcd')).toBe('700');
  });

  it.skipIf(!haveJournalctl)('k3s defaults + the hardening config reproduce the real Running lines of the CIS 2.0 test cluster: no drift', () => {
    const { facts } = get('hardened-server');
    const args = effectiveArgs(facts, 'configured');
    expect(args.drift).toEqual([]);
    expect(value(args.components['kube-apiserver'], 'audit-log-maxage')).toMatchObject({ value: '30', kind: 'config-file', path: '/etc/rancher/k3s/config.yaml', line: 11 });
    expect(value(args.components['kube-apiserver'], 'service-account-extend-token-expiration')).toMatchObject({ kind: 'config-file', path: '/etc/rancher/k3s/config.yaml.d/90-cis.yaml', line: 3 });
    expect(value(args.components['kube-apiserver'], 'encryption-provider-config')).toMatchObject({ value: '/var/lib/rancher/k3s/server/cred/encryption-config.json', kind: 'config-file', line: 6 });
    expect(value(args.components.kubelet, 'protect-kernel-defaults')).toMatchObject({ value: 'true', kind: 'config-file', line: 5 });
  });

  it('masks the token and the encryption key', () => {
    const { facts } = get('hardened-server');
    const text = JSON.stringify(facts);
    expect(text).not.toContain('fixturetoken');
    expect(text).not.toContain('c2VjcmV0LWtleS1tYXRlcmlhbC0zMi1ieXRlcy0wMDA=');
    expect(facts.k3s.configFiles[0]?.entries[0]).toEqual({ key: 'token', value: '********', line: 2 });
    expect(JSON.stringify(facts.encryptionConfig?.content)).toContain('"aescbc":{"keys":[{"name":"aescbckey","secret":"********"}]}');
  });

  it.skipIf(!haveJournalctl)('reads the volatile journal', () => {
    const { facts } = get('hardened-server');
    expect(facts.k3s.logs.sources.find((source) => source.name === 'journald unit k3s (/run/log/journal)')?.read).toBe(true);
  });

  it('stats the audit log directory, the admission and audit policy files named by the config', () => {
    const { facts } = get('hardened-server');
    expect(mode(facts, '/var/lib/rancher/k3s/server/logs')).toBe('700');
    expect(mode(facts, '/var/lib/rancher/k3s/server/psa.yaml')).toBe('600');
    expect(mode(facts, '/var/lib/rancher/k3s/server/audit.yaml')).toBe('600');
  });

  it('boot sysctl values come from 90-kubelet.conf with file and line', () => {
    const { facts } = get('hardened-server');
    const assignment = [...facts.sysctl.boot].reverse().find((item) => item.key === 'kernel.panic');
    expect(assignment).toEqual({ key: 'kernel.panic', value: '10', source: { kind: 'sysctl-file', path: '/etc/sysctl.d/90-kubelet.conf', line: 4 } });
  });
});

describe('agents', () => {
  it.skipIf(!haveJournalctl)('default agent: node components only, server components are not applicable', () => {
    const { facts } = get('default-agent');
    expect(facts.k3s.role?.value).toBe('agent');
    expect(facts.k3s.service?.source.path).toBe('/etc/systemd/system/k3s-agent.service');
    const args = effectiveArgs(facts, 'running');
    expect(args.components['kube-apiserver']).toEqual({ known: false, component: 'kube-apiserver', reason: 'agent node: kube-apiserver runs on servers only' });
    expect(args.components.etcd.known).toBe(false);
    expect(value(args.components.kubelet, 'read-only-port')).toMatchObject({ value: '0', kind: 'k3s-log' });
    expect(args.drift).toEqual([]);
    expect(facts.etcdConfig).toBeNull();
    expect(facts.k3s.environment.find((variable) => variable.name === 'K3S_TOKEN')?.value).toBe('********');
    expect(facts.k3s.process?.environment?.find((variable) => variable.name === 'K3S_TOKEN')?.value).toBe('********');
  });

  it('hardened agent on OpenRC: its log file, flag-era kubelet, an offline image without /proc', () => {
    const { facts } = get('hardened-agent');
    expect(facts.k3s.role).toEqual({ value: 'agent', source: { kind: 'service-unit', path: '/etc/init.d/k3s-agent', line: 15 } });
    expect(facts.k3s.version?.value).toBe('v1.31.6+k3s1');
    expect(facts.k3s.logs.sources.find((source) => source.name === '/var/log/k3s-agent.log')?.read).toBe(true);
    const args = effectiveArgs(facts, 'running');
    expect(value(args.components.kubelet, 'protect-kernel-defaults')).toMatchObject({ value: 'true', kind: 'k3s-log', path: '/var/log/k3s-agent.log', line: 5 });
    expect(value(args.components.kubelet, 'anonymous-auth')).toMatchObject({ value: 'false', kind: 'k3s-log' });
    expect(args.drift).toEqual([]);
    expect(facts.sysctl.runtime.available).toBe(false);
    expect(facts.sysctl.runtime.reason).toContain('offline image');
    expect(facts.k3s.process).toBeNull();
  });
});

describe('changes after k3s started, and bad input', () => {
  it.skipIf(!haveJournalctl)('a config change after the start shows as drift between running and configured', async () => {
    const tree = buildNodeTree('hardened-server');
    try {
      tree.write('/etc/rancher/k3s/config.yaml.d/99-debug.yaml', "kube-apiserver-arg+:\n  - 'profiling=true'\nkubelet-arg+:\n  - 'read-only-port=10255'\n");
      const facts = await collect(tree);
      const args = effectiveArgs(facts, 'running');
      expect(args.drift).toEqual([
        { component: 'kube-apiserver', flag: 'profiling', running: 'false', configured: 'true' },
        { component: 'kubelet', flag: 'read-only-port', running: '0', configured: '10255' },
      ]);
      expect(value(args.components['kube-apiserver'], 'profiling')?.value).toBe('false');
      expect(value(effectiveArgs(facts, 'configured').components['kube-apiserver'], 'profiling')).toMatchObject({ value: 'true', path: '/etc/rancher/k3s/config.yaml.d/99-debug.yaml', line: 2 });
    } finally {
      tree.remove();
    }
  });

  it('a syntax error in config.yaml names file and line; collection goes on', async () => {
    const tree = buildNodeTree('default-agent');
    try {
      tree.write('/etc/rancher/k3s/config.yaml', 'node-label:\n  - a=b\n - broken\n');
      const facts = await collect(tree);
      const file = facts.k3s.configFiles.find((item) => item.path === '/etc/rancher/k3s/config.yaml');
      expect(file?.error?.line).toBe(3);
      expect(file?.error?.message).toMatch(/^not valid YAML/);
      expect(facts.files.length).toBeGreaterThan(10);
    } finally {
      tree.remove();
    }
  });

  it('never leaves the root through a symlink', async () => {
    const tree = buildNodeTree('default-agent');
    try {
      const outside = join(tree.root, '..', `outside-${Date.now()}`);
      mkdirSync(outside, { recursive: true });
      writeFileSync(join(outside, 'config.yaml'), 'node-label:\n  - escaped=yes\n');
      symlinkSync(`../../../../${outside.split('/').pop() ?? ''}/config.yaml`, join(tree.root, 'etc/rancher/k3s/config.yaml'));
      const facts = await collect(tree);
      const file = facts.k3s.configFiles.find((item) => item.path === '/etc/rancher/k3s/config.yaml');
      expect(file?.present).toBe(false);
      expect(JSON.stringify(facts)).not.toContain('escaped=yes');
      const absolute = buildNodeTree('default-agent');
      try {
        absolute.write('/data/k3s.yaml', 'node-label:\n  - inside=yes\n');
        symlinkSync('/data/k3s.yaml', join(absolute.root, 'etc/rancher/k3s/config.yaml'));
        const inside = await collect(absolute);
        expect(inside.k3s.configFiles[0]).toMatchObject({ path: '/etc/rancher/k3s/config.yaml', present: true, entries: [{ key: 'node-label', value: ['inside=yes'] }] });
        expect(inside.files.find((stat) => stat.path === '/etc/rancher/k3s/config.yaml')?.symlinkTo).toBe('/data/k3s.yaml');
      } finally {
        absolute.remove();
      }
    } finally {
      tree.remove();
    }
  });

  it("does not take the wrapper's K3S_DATA_DIR (its unpacked binaries) for k3s's data directory", async () => {
    const tree = buildNodeTree('default-server');
    try {
      // The k3s wrapper exports K3S_DATA_DIR=<data-dir>/data/<hash> before it execs `k3s server`, so the
      // running process always has it; `k3s server --data-dir` reads no environment variable.
      const unpacked = '/var/lib/rancher/k3s/data/abc';
      tree.write('/etc/systemd/system/k3s.service.env', `K3S_DATA_DIR=${unpacked}\n`);
      tree.write('/proc/2263/environ', `PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin\0K3S_DATA_DIR=${unpacked}\0`, 0o400);
      const facts = await collect(tree);
      expect(facts.k3s.environment.map((variable) => `${variable.name}=${variable.value}`)).toContain(`K3S_DATA_DIR=${unpacked}`);
      expect(facts.k3s.dataDir).toBe('/var/lib/rancher/k3s');
      const stat = (path: string) => facts.files.find((file) => file.path === path);
      expect(stat('/var/lib/rancher/k3s/server/tls/client-ca.key')).toMatchObject({ exists: true, mode: 0o600 });
      expect(facts.files.some((file) => file.path.startsWith(`${unpacked}/`))).toBe(false);
      for (const state of ['running', 'configured'] as const) {
        expect(value(effectiveArgs(facts, state).components['kube-apiserver'], 'client-ca-file')?.value, state).toBe('/var/lib/rancher/k3s/server/tls/client-ca.crt');
      }
    } finally {
      tree.remove();
    }
  });

  it('says plainly when there is no k3s at all', async () => {
    const tree = buildNodeTree('hardened-agent');
    try {
      const empty = await collectNodeFacts({ root: join(tree.root, 'var/lib/cni'), mode: 'root', now: () => fixtureTime, journalctl: null });
      expect(empty.k3s.installed).toBe(false);
      expect(empty.k3s.role).toBeNull();
      expect(effectiveArgs(empty, 'running').components['kube-apiserver']).toEqual({ known: false, component: 'kube-apiserver', reason: 'k3s is not installed on this node' });
    } finally {
      tree.remove();
    }
  });

  it('k3s 1.32.0–1.32.3 kubelet: config-dir without --read-only-port means the legacy port 10255 (k3s#12164)', async () => {
    const tree = buildNodeTree('default-agent', { version: 'v1.32.2+k3s1' });
    try {
      const facts = await collect(tree);
      const configured = effectiveArgs(facts, 'configured');
      expect(value(configured.components.kubelet, 'read-only-port')).toMatchObject({ value: '10255', kind: 'k3s-default' });
      const later = buildNodeTree('default-agent', { version: 'v1.32.4+k3s1' });
      try {
        expect(value(effectiveArgs(await collect(later), 'configured').components.kubelet, 'read-only-port')?.value).toBe('0');
      } finally {
        later.remove();
      }
    } finally {
      tree.remove();
    }
  });
});
