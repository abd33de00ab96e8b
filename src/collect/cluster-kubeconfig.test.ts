import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayServer, loadKubeconfig } from './cluster-kubeconfig.ts';

function kubeconfig(contexts: { name: string; cluster: string; server: string }[], current: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: "${current}"`,
    'clusters:',
    ...contexts.flatMap((context) => [`- name: ${context.cluster}`, '  cluster:', `    server: ${context.server}`]),
    'users:',
    ...contexts.flatMap((context) => [`- name: ${context.name}-user`, '  user:', '    token: secret-token-value']),
    'contexts:',
    ...contexts.flatMap((context) => [`- name: ${context.name}`, '  context:', `    cluster: ${context.cluster}`, `    user: ${context.name}-user`]),
  ].join('\n');
}

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'kharden-kubeconfig-'));
}

describe('loadKubeconfig', () => {
  it('takes --kubeconfig and --context as kubectl does', () => {
    const dir = scratch();
    const file = path.join(dir, 'config');
    writeFileSync(file, kubeconfig([{ name: 'a', cluster: 'ca', server: 'https://a:6443' }, { name: 'b', cluster: 'cb', server: 'https://b:6443' }], 'a'));
    const choice = loadKubeconfig({ kubeconfig: file, context: 'b', env: {}, homeDir: dir });
    expect(choice.context).toBe('b');
    expect(choice.kubeconfig.getCurrentCluster()?.server).toBe('https://b:6443');
    expect(choice.origin).toBe(`--kubeconfig ${file}`);
  });

  it('merges a KUBECONFIG list with the first file winning, skipping missing files', () => {
    const dir = scratch();
    const first = path.join(dir, 'one');
    const second = path.join(dir, 'two');
    writeFileSync(first, kubeconfig([{ name: 'shared', cluster: 'c1', server: 'https://first:6443' }], 'shared'));
    writeFileSync(second, kubeconfig([{ name: 'shared', cluster: 'c1', server: 'https://second:6443' }, { name: 'other', cluster: 'c2', server: 'https://other:6443' }], 'other'));
    const choice = loadKubeconfig({ env: { KUBECONFIG: [path.join(dir, 'missing'), first, second].join(':') }, homeDir: dir });
    expect(choice.context).toBe('shared');
    expect(choice.kubeconfig.getCurrentCluster()?.server).toBe('https://first:6443');
    expect(choice.kubeconfig.getContexts().map((context) => context.name)).toEqual(['shared', 'other']);
  });

  it('falls back to ~/.kube/config, then to the k3s admin kubeconfig', () => {
    const dir = scratch();
    const k3s = path.join(dir, 'k3s.yaml');
    writeFileSync(k3s, kubeconfig([{ name: 'default', cluster: 'default', server: 'https://127.0.0.1:6443' }], 'default'));
    expect(loadKubeconfig({ env: {}, homeDir: dir, k3sKubeconfig: k3s }).origin).toBe(k3s);
    mkdirSync(path.join(dir, '.kube'));
    writeFileSync(path.join(dir, '.kube', 'config'), kubeconfig([{ name: 'home', cluster: 'h', server: 'https://home:6443' }], 'home'));
    expect(loadKubeconfig({ env: {}, homeDir: dir, k3sKubeconfig: k3s }).context).toBe('home');
  });

  it('uses the pod service account when nothing else is there', () => {
    const dir = scratch();
    const accountDir = path.join(dir, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(accountDir, { recursive: true });
    writeFileSync(path.join(accountDir, 'token'), 'token');
    const choice = loadKubeconfig({ env: { KUBERNETES_SERVICE_HOST: '10.43.0.1', KUBERNETES_SERVICE_PORT: '443' }, homeDir: dir, k3sKubeconfig: path.join(dir, 'none'), serviceAccountRoot: dir });
    expect(choice.origin).toBe('in-cluster service account');
    expect(choice.kubeconfig.getCurrentCluster()?.server).toBe('https://10.43.0.1:443');
  });

  it.each([
    [{ kubeconfig: '/nonexistent/kubeconfig' }, 'input', 'cannot read the kubeconfig /nonexistent/kubeconfig (--kubeconfig): no such file'],
    [{ env: { KUBECONFIG: '/nope/a:/nope/b' } }, 'collect', 'none of the files in KUBECONFIG exist (/nope/a, /nope/b)'],
    [{ env: {} }, 'collect', 'no kubeconfig found'],
  ])('explains %o', (options, code, message) => {
    const dir = scratch();
    expect(() => loadKubeconfig({ homeDir: dir, k3sKubeconfig: path.join(dir, 'none'), serviceAccountRoot: dir, env: {}, ...options })).toThrow(
      expect.objectContaining({ code, message: expect.stringContaining(message) }),
    );
  });

  it('names the contexts when --context is wrong, and never prints credentials', () => {
    const dir = scratch();
    const file = path.join(dir, 'config');
    writeFileSync(file, kubeconfig([{ name: 'a', cluster: 'ca', server: 'https://a:6443' }], 'a'));
    let message = '';
    try {
      loadKubeconfig({ kubeconfig: file, context: 'prod', env: {}, homeDir: dir });
    } catch (error) {
      message = (error as Error).message;
      expect(error).toMatchObject({ code: 'usage' });
    }
    expect(message).toBe(`context "prod" is not in the kubeconfig (--kubeconfig ${file}); contexts there: a`);
    expect(message).not.toContain('secret-token-value');
  });

  it('rejects a file that is not a kubeconfig with its name', () => {
    const dir = scratch();
    const file = path.join(dir, 'config');
    writeFileSync(file, 'clusters: 3\n');
    expect(() => loadKubeconfig({ kubeconfig: file, env: {}, homeDir: dir })).toThrow(expect.objectContaining({ code: 'input' }));
  });
});

describe('displayServer', () => {
  it('drops user info from the server URL', () => {
    expect(displayServer('https://admin:hunter2@k3s.example:6443')).toBe('https://k3s.example:6443');
    expect(displayServer('https://rancher.example/k8s/clusters/c-1')).toBe('https://rancher.example/k8s/clusters/c-1');
  });
});
