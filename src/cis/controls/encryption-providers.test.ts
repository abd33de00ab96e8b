import { describe, expect, it } from 'vitest';
import { defaultApiserverFlags, effectiveArgs, input, nodeFacts, verdictOf } from '../test-node.fixture.ts';
import { firstSecretsProvider } from './encryption-providers.ts';

const path = '/var/lib/rancher/k3s/server/cred/encryption-config.json';
const config = (providers: unknown[]) => ({
  kind: 'EncryptionConfiguration',
  apiVersion: 'apiserver.config.k8s.io/v1',
  resources: [{ resources: ['secrets'], providers }],
});
const withEncryption = (content: unknown, options: { flag?: boolean; present?: boolean; error?: string } = {}) =>
  input(
    nodeFacts('server', {
      encryptionConfig: { path, present: options.present ?? true, ...(content === undefined ? {} : { content }), ...(options.error === undefined ? {} : { error: { message: options.error } }) },
    }),
    effectiveArgs({ 'kube-apiserver': [...defaultApiserverFlags, ...(options.flag === false ? [] : [`--encryption-provider-config=${path}`])] }),
  );

describe('1.2.28 encryption providers', () => {
  it.each([
    ['aescbc first', config([{ aescbc: { keys: [{ name: 'k', secret: '********' }] } }, { identity: {} }]), 'PASS'],
    ['secretbox first', config([{ secretbox: { keys: [] } }, { identity: {} }]), 'PASS'],
    ['identity first (decrypt-only keys after it)', config([{ identity: {} }, { aescbc: { keys: [] } }]), 'FAIL'],
    ['aesgcm is not in the benchmark list', config([{ aesgcm: { keys: [] } }]), 'FAIL'],
  ])('%s → %s', (_name, content, status) => {
    expect(verdictOf('apiserver.encryption-providers', withEncryption(content)).status).toBe(status);
  });

  it('fails when the API server gets no encryption config', () => {
    const verdict = verdictOf('apiserver.encryption-providers', withEncryption(undefined, { flag: false }));
    expect(verdict.status).toBe('FAIL');
    expect(verdict.reason).toContain('unencrypted');
  });

  it('is UNKNOWN when the file could not be read', () => {
    expect(verdictOf('apiserver.encryption-providers', withEncryption(undefined, { error: 'permission denied' })).status).toBe('UNKNOWN');
  });

  it('reads the provider name from the resources entry that covers secrets', () => {
    expect(firstSecretsProvider({ resources: [{ resources: ['configmaps'], providers: [{ identity: {} }] }, { resources: ['secrets'], providers: [{ kms: {} }] }] })).toBe('kms');
    expect(firstSecretsProvider({ resources: [{ resources: ['*.*'], providers: [{ aescbc: {} }] }] })).toBe('aescbc');
    expect(firstSecretsProvider({})).toBeNull();
  });
});
