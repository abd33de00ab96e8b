import { describe, expect, it } from 'vitest';
import type { NodeFacts } from '../../facts/node-facts.ts';
import { dataDir, effectiveArgs, fileStat, input, nodeFacts, verdictOf } from '../test-node.fixture.ts';

const configPath = `${dataDir}/server/db/etcd/config`;
/** The embedded etcd config k3s writes (from the k3s 2.1 self-assessment's hardened server). */
const k3sEtcdConfig = () => ({
  'client-transport-security': {
    'cert-file': `${dataDir}/server/tls/etcd/server-client.crt`,
    'client-cert-auth': true,
    'key-file': `${dataDir}/server/tls/etcd/server-client.key`,
    'trusted-ca-file': `${dataDir}/server/tls/etcd/server-ca.crt`,
  },
  'data-dir': `${dataDir}/server/db/etcd`,
  'listen-metrics-urls': 'http://127.0.0.1:2381',
  'peer-transport-security': {
    'cert-file': `${dataDir}/server/tls/etcd/peer-server-client.crt`,
    'client-cert-auth': true,
    'key-file': `${dataDir}/server/tls/etcd/peer-server-client.key`,
    'trusted-ca-file': `${dataDir}/server/tls/etcd/peer-ca.crt`,
  },
});

const etcdServer = (content: unknown, overrides: Partial<NodeFacts> = {}) =>
  input(nodeFacts('server', { etcdConfig: { path: configPath, present: true, content }, ...overrides }), effectiveArgs({}));

const implementations = ['etcd.cert-file', 'etcd.client-cert-auth', 'etcd.auto-tls', 'etcd.peer-cert-file', 'etcd.peer-client-cert-auth', 'etcd.peer-auto-tls', 'etcd.unique-ca'];

describe('section 2 (etcd)', () => {
  it.each(implementations)('%s passes on the config k3s writes', (implementation) => {
    expect(verdictOf(implementation, etcdServer(k3sEtcdConfig())).status).toBe('PASS');
  });

  it.each(implementations)('%s is N/A on SQLite with the reason (kube-bench fails section 2 there)', (implementation) => {
    const verdict = verdictOf(implementation, input(nodeFacts('server'), effectiveArgs({})));
    expect(verdict.status).toBe('N/A');
    expect(verdict.reason).toBe('embedded etcd is not used: datastore is SQLite (kine, the k3s default)');
  });

  it('is N/A with an external SQL datastore', () => {
    const facts = nodeFacts('server', { k3s: { ...nodeFacts('server').k3s, configFiles: [{ path: '/etc/rancher/k3s/config.yaml', present: true, entries: [{ key: 'datastore-endpoint', value: 'postgres://k3s:********@db:5432/k3s', line: 1 }] }] } });
    const verdict = verdictOf('etcd.client-cert-auth', input(facts, effectiveArgs({})));
    expect(verdict.status).toBe('N/A');
    expect(verdict.reason).toContain('external SQL');
  });

  it.each([
    ['client-cert-auth false', 'etcd.client-cert-auth', (c: Record<string, Record<string, unknown>>) => ({ ...c, 'client-transport-security': { ...c['client-transport-security'], 'client-cert-auth': false } })],
    ['auto-tls true', 'etcd.auto-tls', (c: Record<string, Record<string, unknown>>) => ({ ...c, 'client-transport-security': { ...c['client-transport-security'], 'auto-tls': true } })],
    ['peer auto-tls true', 'etcd.peer-auto-tls', (c: Record<string, Record<string, unknown>>) => ({ ...c, 'peer-transport-security': { ...c['peer-transport-security'], 'auto-tls': true } })],
    ['peer CA shared with the server CA', 'etcd.unique-ca', (c: Record<string, Record<string, unknown>>) => ({ ...c, 'peer-transport-security': { ...c['peer-transport-security'], 'trusted-ca-file': `${dataDir}/server/tls/server-ca.crt` } })],
    ['no cert-file', 'etcd.cert-file', (c: Record<string, Record<string, unknown>>) => ({ ...c, 'client-transport-security': { 'client-cert-auth': true } })],
  ])('%s fails', (_name, implementation, change) => {
    const verdict = verdictOf(implementation, etcdServer(change(k3sEtcdConfig() as unknown as Record<string, Record<string, unknown>>)));
    expect(verdict.status).toBe('FAIL');
    expect(verdict.evidence[0]?.source).toMatchObject({ kind: 'file-content', path: configPath });
  });

  it('is UNKNOWN when the config of a server with embedded etcd was not read', () => {
    const facts = nodeFacts('server', { etcdConfig: { path: configPath, present: true, error: { message: 'permission denied' } } });
    expect(verdictOf('etcd.client-cert-auth', input(facts, effectiveArgs({}))).status).toBe('UNKNOWN');
  });
});

describe('1.1.11 etcd data directory', () => {
  const files = (mode: number) => [fileStat(`${dataDir}/server/db/etcd`, mode, { type: 'directory' })];
  it.each([
    [0o700, 'PASS'],
    [0o750, 'FAIL'],
  ])('mode %o → %s', (mode, status) => {
    expect(verdictOf('etcd.data-dir-mode', etcdServer(k3sEtcdConfig(), { files: files(mode) })).status).toBe(status);
  });

  it('is N/A on SQLite', () => {
    expect(verdictOf('etcd.data-dir-mode', input(nodeFacts('server'), effectiveArgs({}))).status).toBe('N/A');
  });
});
