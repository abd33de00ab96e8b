/**
 * `kharden harden` and `kharden rollback` as a user runs them, on node trees under --root: what they print,
 * their exit codes, and what is (not) written.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runKharden as kharden } from '../cli-in-process.ts';

/** Every file under a root with its content and mode, to prove that nothing was written. */
function treeOf(root: string): Record<string, string> {
  const tree: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const mode = (statSync(path).mode & 0o7777).toString(8);
      if (entry.isDirectory()) {
        tree[`${path.slice(root.length)}/`] = mode;
        walk(path);
      } else tree[path.slice(root.length)] = `${mode} ${entry.isSymbolicLink() ? 'link' : readFileSync(path, 'utf8')}`;
    }
  };
  walk(root);
  return tree;
}

let root: string;
const server = ['--role', 'server', '--k3s-version', 'v1.31.4+k3s1', '--no-color'];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kharden-e2e-'));
  mkdirSync(join(root, 'etc/rancher/k3s'), { recursive: true });
  writeFileSync(join(root, 'etc/rancher/k3s/config.yaml'), '# my k3s\nwrite-kubeconfig-mode: "0600"\nkube-apiserver-arg:\n  - audit-log-maxage=7 # keep a week\n');
  chmodSync(join(root, 'etc/rancher/k3s/config.yaml'), 0o600);
});
afterEach(() => vi.restoreAllMocks());

describe('kharden harden (dry run)', () => {
  it('prints the plan with diffs, modes, conflicts and the restart, and writes nothing', async () => {
    const before = treeOf(root);
    const run = await kharden('harden', '--root', root, ...server);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('create      /etc/rancher/k3s/config.yaml.d/90-kharden.yaml  600 root:root');
    expect(run.stdout).toContain('+kube-apiserver-arg+:');
    expect(run.stdout).toContain('mkdir       /var/lib/rancher/k3s/server/logs  700 root:root');
    expect(run.stdout).toMatch(/you set kube-apiserver-arg audit-log-maxage=7; kharden leaves it .*config.yaml:4/);
    expect(run.stdout).toContain('Restart needed');
    expect(run.stdout).toContain('Dry run: nothing was written');
    expect(treeOf(root)).toEqual(before);
  });

  it('gives the plan as JSON', async () => {
    const run = await kharden('harden', '--root', root, ...server, '-f', 'json');
    const plan = JSON.parse(run.stdout) as { kind: string; changes: Array<{ path: string; content?: string; mode: string }> };
    expect(plan.kind).toBe('HardenPlan');
    expect(plan.changes.find((change) => change.path.endsWith('psa.yaml'))?.content).toContain('kind: AdmissionConfiguration');
    expect(plan.changes.find((change) => change.path.endsWith('/logs'))?.mode).toBe('0700');
  });
});

describe('kharden harden --apply and kharden rollback', () => {
  it('applies, says a second apply changes nothing, lists the backup and rolls back to the exact tree', async () => {
    const before = treeOf(root);
    const applied = await kharden('harden', '--root', root, ...server, '--apply');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/Applied 8 changes \(backup (\S+); undo with `kharden rollback \S+`\)/);
    expect(readFileSync(join(root, 'etc/rancher/k3s/config.yaml'), 'utf8')).toContain('audit-log-maxage=7 # keep a week');
    expect(statSync(join(root, 'var/lib/rancher/k3s/server/logs')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'etc/rancher/k3s/config.yaml.d/90-kharden.yaml')).mode & 0o777).toBe(0o600);

    const again = await kharden('harden', '--root', root, ...server, '--apply');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to change: a second --apply is a no-op.');

    const list = await kharden('harden', '--root', root, '--list-backups', '--no-color');
    expect(list.stdout).toMatch(/applied .* k3s v1\.31\.4\+k3s1 server: 8 changes/);

    const undone = await kharden('rollback', '--root', root, '--no-color');
    expect(undone.code).toBe(0);
    const after = treeOf(root);
    for (const path of Object.keys(after)) if (path.startsWith('/var/lib/kharden')) delete after[path];
    delete after['/var/'];
    delete after['/var/lib/'];
    expect(after).toEqual(before);
  });

  it('loads the kernel parameters into a running kernel with --apply-sysctl (a /proc/sys under the root)', async () => {
    const procSys = join(root, 'proc/sys');
    for (const [key, value] of [['vm/panic_on_oom', '1'], ['vm/overcommit_memory', '0'], ['kernel/panic', '0'], ['kernel/panic_on_oops', '0'], ['kernel/keys/root_maxkeys', '200'], ['kernel/keys/root_maxbytes', '20000']]) {
      mkdirSync(join(procSys, key ?? '', '..'), { recursive: true });
      writeFileSync(join(procSys, key ?? ''), `${value}\n`);
    }
    const run = await kharden('harden', '--root', root, ...server, '--apply', '--apply-sysctl');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Kernel parameters loaded now: vm.panic_on_oom 1 -> 0, vm.overcommit_memory 0 -> 1');
    expect(readFileSync(join(procSys, 'kernel/keys/root_maxbytes'), 'utf8').trim()).toBe('25000000');
  });
});

describe('bad input: a clear message, exit 2, nothing written', () => {
  it.each([
    ['an unknown role', ['--role', 'master', '--k3s-version', 'v1.31.4+k3s1'], /argument 'master' is invalid/],
    ['an unknown version', ['--role', 'server', '--k3s-version', 'banana'], /--k3s-version banana: not a k3s version/],
    ['an unsupported version', ['--role', 'server', '--k3s-version', 'v1.19.2+k3s1'], /k3s v1\.19\.2\+k3s1 is not supported/],
    ['no role anywhere', ['--k3s-version', 'v1.31.4+k3s1'], /server or agent .* pass --role/],
    ['an invalid exempt namespace', ['--role', 'server', '--k3s-version', 'v1.31.4+k3s1', '--psa-exempt-namespaces', 'kube-system,Bad_NS'], /"Bad_NS" is not a valid namespace name/],
    ['--restart with --root', ['--role', 'server', '--k3s-version', 'v1.31.4+k3s1', '--apply', '--restart'], /cannot go with --root/],
  ])('%s', async (_name, args, message) => {
    const before = treeOf(root);
    const run = await kharden('harden', '--root', root, '--no-color', ...args, '--apply');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(treeOf(root)).toEqual(before);
  });

  it('a config.yaml that does not parse, naming the file and line', async () => {
    writeFileSync(join(root, 'etc/rancher/k3s/config.yaml'), 'kube-apiserver-arg:\n  - a\n b: [\n');
    const before = treeOf(root);
    const run = await kharden('harden', '--root', root, ...server, '--apply');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\/etc\/rancher\/k3s\/config.yaml:\d+: not valid YAML/);
    expect(treeOf(root)).toEqual(before);
  });
});

describe('refusals: exit 4, nothing written', () => {
  it('a target that is a symlink out of the root', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'kharden-outside-'));
    symlinkSync(outside, join(root, 'etc/rancher/k3s/config.yaml.d'));
    const run = await kharden('harden', '--root', root, ...server, '--apply');
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/refusing \/etc\/rancher\/k3s\/config.yaml.d\/90-kharden.yaml: \/etc\/rancher\/k3s\/config.yaml.d is a symlink to .* outside/);
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(join(root, 'etc/sysctl.d'))).toBe(false);
  });

  it('a second apply while another holds the lock', async () => {
    mkdirSync(join(root, 'var/lib/kharden'), { recursive: true });
    writeFileSync(join(root, 'var/lib/kharden/apply.lock'), `${process.ppid}\n`);
    const run = await kharden('harden', '--root', root, ...server, '--apply');
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/another kharden apply or rollback is running on this root \(pid \d+/);
    expect(existsSync(join(root, 'etc/sysctl.d'))).toBe(false);
  });
});
