import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runKharden } from '../../../test/cli-in-process.ts';

let dir: string;
const file = (name: string, text: string): string => {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
};

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await runKharden('pss', ...args);
  return { code, out: stdout, err: stderr };
}

const webNamespace = `apiVersion: v1
kind: Namespace
metadata:
  name: web
  labels:
    pod-security.kubernetes.io/enforce: restricted
`;
const nginxPod = `apiVersion: v1
kind: Pod
metadata: {name: nginx, namespace: web}
spec:
  containers:
  - {name: nginx, image: nginx}
`;
const goodDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ok, namespace: web}
spec:
  selector: {matchLabels: {app: ok}}
  template:
    metadata: {labels: {app: ok}}
    spec:
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
      - name: app
        image: app
        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;
const hostNetworkDaemonSet = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: web}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      containers:
      - name: agent
        image: agent
        ports: [{containerPort: 9100}]
`;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kharden-pss-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('kharden pss', () => {
  it('rejects a Pod with the API server message and exits 1', async () => {
    const manifests = file('web.yaml', [webNamespace, nginxPod, goodDeployment].join('---\n'));
    const { code, out } = await run(manifests, '--no-color');
    expect(code).toBe(1);
    expect(out).toContain(
      'pods "nginx" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false)',
    );
    expect(out).toContain('namespace web: enforce=restricted:latest audit=privileged:latest warn=restricted:latest (from its labels)');
    expect(out).not.toContain('Deployment web/ok');
    expect(out).toContain('2 objects evaluated, 1 allowed, 0 allowed with warnings, 1 rejected');
  });

  it('reports JSON per object: source, kind, namespace, name, level, version, allowed, failing checks, message', async () => {
    const manifests = file('web.yaml', [webNamespace, nginxPod, goodDeployment].join('---\n'));
    const { code, out } = await run('--manifests', manifests, '-f', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(out) as { kind: string; objects: Array<Record<string, unknown>>; latest: unknown };
    expect(report.kind).toBe('PodSecurityReport');
    expect(report.latest).toEqual({ version: 'v1.37', kubernetes: '1.37' });
    expect(report.objects[0]).toMatchObject({
      source: { kind: 'file', file: manifests, document: 1, line: 7 },
      kind: 'Pod',
      namespace: 'web',
      name: 'nginx',
      level: 'restricted',
      version: 'latest',
      evaluatedVersion: 'v1.37',
      allowed: false,
      status: 'rejected',
      failingChecks: ['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted'],
    });
    expect(String(report.objects[0]?.message)).toMatch(/^violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    expect(report.objects[1]).toMatchObject({ kind: 'Deployment', name: 'ok', allowed: true, status: 'allowed', message: null, warnings: [] });
  });

  it('--exit-code changes the code for rejections', async () => {
    const manifests = file('web.yaml', [webNamespace, nginxPod].join('---\n'));
    expect((await run(manifests, '--exit-code', '0')).code).toBe(0);
    expect((await run(manifests, '--exit-code', '9')).code).toBe(9);
  });

  it('with no labels and no configuration nothing is enforced, and it says so', async () => {
    const manifests = file('plain.yaml', nginxPod.replace('namespace: web', 'namespace: plain'));
    const { code, out } = await run(manifests, '--no-color');
    expect(code).toBe(0);
    expect(out).toContain('nothing is enforced');
  });

  it('--level evaluates every namespace at one policy, --version included', async () => {
    const manifests = file('ds.yaml', hostNetworkDaemonSet);
    const { code, out } = await run(manifests, '--level', 'baseline', '--version', 'v1.29', '--no-color');
    expect(code).toBe(1);
    expect(out).toContain('pods: violates PodSecurity "baseline:v1.29": host namespaces (hostNetwork=true), hostPort (container "agent" uses hostPort 9100)');
    expect(out).toContain('Warning: would violate PodSecurity "baseline:v1.29": host namespaces (hostNetwork=true)');
  });

  it('--enforce previews a new enforce label and prints a minimal patch', async () => {
    const manifests = file('preview.yaml', [nginxPod.replace('namespace: web', 'namespace: shop'), goodDeployment.replace('namespace: web', 'namespace: shop')].join('---\n'));
    const { code, out } = await run(manifests, '--enforce', 'restricted', '-n', 'shop', '--no-color');
    expect(code).toBe(1);
    expect(out).toContain('namespace shop: enforce=restricted:latest audit=privileged:latest warn=restricted:latest (with the previewed enforce label)');
    expect(out).toContain('patch (a Pod spec cannot be changed in place: apply it to the manifest and create the Pod again):');
    expect(out).toContain('allowPrivilegeEscalation: false');
    expect(out).toContain('runAsNonRoot: true');
    const json = JSON.parse((await run(manifests, '--enforce', 'restricted', '-f', 'json')).out) as { mode: string; objects: Array<{ patch: { remaining: string[]; strategicMergePatch: unknown } | null }> };
    expect(json.mode).toBe('enforce-preview');
    expect(json.objects[0]?.patch?.remaining).toEqual([]);
    expect(json.objects[1]?.patch).toBeNull();
  });

  it('applies an admission configuration: defaults and exempt namespaces', async () => {
    const config = file(
      'psa.yaml',
      'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: baseline\nexemptions:\n  namespaces: [kube-system]\n',
    );
    const privileged = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: NS}\nspec:\n  containers:\n  - {name: c, image: x, securityContext: {privileged: true}}\n';
    const manifests = file('cfg.yaml', [privileged.replace('NS', 'apps'), privileged.replace('NS', 'kube-system')].join('---\n'));
    const { code, out } = await run(manifests, '--admission-config', config, '-f', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(out) as { objects: Array<{ namespace: string; status: string }> };
    expect(report.objects.map((object) => [object.namespace, object.status])).toEqual([
      ['apps', 'rejected'],
      ['kube-system', 'exempt'],
    ]);
  });

  it('reports bad documents with file and index, evaluates the rest', async () => {
    const manifests = file('mixed.yaml', [nginxPod, 'just: a mapping\n', 'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  hostNetwork: "yes"\n'].join('---\n'));
    const { code, out } = await run(manifests, '--level', 'baseline', '--no-color');
    expect(code).toBe(0);
    expect(out).toContain(`${manifests} document 2, line 7: not a Kubernetes object: no apiVersion and no kind`);
    expect(out).toContain(`${manifests} document 3, line 9: Pod default/bad: malformed pod spec: spec.hostNetwork: Invalid input: expected boolean, received string`);
  });

  it('exits 2 when nothing could be read', async () => {
    const { code, err } = await run(file('bad.yaml', 'key: [unclosed\n'));
    expect(code).toBe(2);
    expect(err).toContain('nothing could be read');
  });

  it.each([
    [['--level', 'baseline', '--enforce', 'restricted', 'x.yaml'], '--level and --enforce cannot be combined'],
    [['--version', 'v1.29', 'x.yaml'], '--version needs --level or --enforce'],
    [['--level', 'baseline', '--version', '1.29', 'x.yaml'], '--version 1.29: must be "latest" or "v1.x"'],
    [[], 'nothing to evaluate'],
    [['--kube-version', 'banana', 'x.yaml'], '--kube-version banana'],
  ])('rejects bad flags %j with exit 2', async (args, message) => {
    const { code, err } = await run(...args);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it('--kube-version makes latest mean that release\'s newest policy', async () => {
    const sysctl = 'apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec:\n  securityContext:\n    sysctls: [{name: net.ipv4.tcp_notsent_lowat, value: "1"}]\n  containers: [{name: c, image: x}]\n';
    const manifests = file('sysctl.yaml', sysctl);
    expect((await run(manifests, '--level', 'baseline')).code).toBe(0);
    const { code, out } = await run(manifests, '--level', 'baseline', '--kube-version', 'v1.35.4+k3s1', '-f', 'json');
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ latest: { version: 'v1.35', kubernetes: '1.35' }, objects: [{ evaluatedVersion: 'v1.35', failingChecks: ['sysctls'] }] });
  });

  it('-o writes the report to a file', async () => {
    const output = path.join(dir, 'report.json');
    const { code, out } = await run(file('web.yaml', [webNamespace, goodDeployment].join('---\n')), '-f', 'json', '-o', output);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(JSON.parse(readFileSync(output, 'utf8'))).toMatchObject({ summary: { objects: 1, allowed: 1 } });
  });
});

describe('kharden pss --from-node', () => {
  it('uses the admission configuration k3s is configured with under --root', async () => {
    const root = path.join(dir, 'node');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(root, 'etc/rancher/k3s/config.yaml.d'), { recursive: true });
    mkdirSync(path.join(root, 'var/lib/rancher/k3s/server'), { recursive: true });
    writeFileSync(path.join(root, 'etc/rancher/k3s/config.yaml'), 'write-kubeconfig-mode: "0600"\nkube-apiserver-arg:\n  - admission-control-config-file=/var/lib/rancher/k3s/server/psa.yaml\n');
    writeFileSync(
      path.join(root, 'var/lib/rancher/k3s/server/psa.yaml'),
      'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1beta1\n    kind: PodSecurityConfiguration\n    defaults:\n      enforce: restricted\n    exemptions:\n      namespaces: [kube-system]\n',
    );
    const manifests = file('node-workloads.yaml', nginxPod.replace('namespace: web', 'namespace: apps'));
    const { code, out } = await run(manifests, '--from-node', '--root', root, '-f', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(out) as { notices: string[]; objects: Array<{ policy: { enforce: string } }> };
    expect(report.notices, JSON.stringify(report.notices)).toContain(`admission configuration of k3s on this node: /var/lib/rancher/k3s/server/psa.yaml (config /etc/rancher/k3s/config.yaml:2)`);
    expect(report.objects[0]?.policy.enforce).toBe('restricted:latest');
  });

  it('says so when k3s runs without one', async () => {
    const root = path.join(dir, 'plain-node');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(root, 'etc/rancher/k3s'), { recursive: true });
    writeFileSync(path.join(root, 'etc/rancher/k3s/config.yaml'), 'node-name: a\n');
    const { code, out } = await run(file('n.yaml', nginxPod), '--from-node', '--root', root, '-f', 'json');
    expect(code).toBe(0);
    expect((JSON.parse(out) as { notices: string[] }).notices[0]).toContain('runs without --admission-control-config-file');
  });
});
