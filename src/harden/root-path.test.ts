import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolveUnderRoot } from './root-path.ts';

let root: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kharden-root-'));
  outside = mkdtempSync(join(tmpdir(), 'kharden-outside-'));
  mkdirSync(join(root, 'etc/rancher/k3s'), { recursive: true });
});

describe('resolveUnderRoot', () => {
  it('resolves a plain path and lists the directories to create', () => {
    const target = resolveUnderRoot(root, '/etc/rancher/k3s/config.yaml.d/90-kharden.yaml');
    expect(target.exists).toBe(false);
    expect(target.missingDirs.map((dir) => dir.slice(dir.indexOf('/etc/')))).toEqual(['/etc/rancher/k3s/config.yaml.d']);
  });

  it('refuses a target file that is a symlink out of the root', () => {
    writeFileSync(join(outside, 'passwd'), 'x');
    symlinkSync(join(outside, 'passwd'), join(root, 'etc/rancher/k3s/config.yaml'));
    expect(() => resolveUnderRoot(root, '/etc/rancher/k3s/config.yaml')).toThrow(/symlink to .* outside/);
  });

  it('refuses a path through a symlinked directory that leaves the root', () => {
    symlinkSync(outside, join(root, 'etc/sysctl.d'));
    expect(() => resolveUnderRoot(root, '/etc/sysctl.d/90-kubelet.conf')).toThrow(/etc\/sysctl.d is a symlink/);
  });

  it('refuses a relative symlink that climbs out of the root', () => {
    symlinkSync('../../../../../../..' + outside, join(root, 'etc/rancher/k3s/config.yaml.d'));
    expect(() => resolveUnderRoot(root, '/etc/rancher/k3s/config.yaml.d/90-kharden.yaml')).toThrow(/outside/);
  });

  it('follows a symlink that stays inside the root', () => {
    mkdirSync(join(root, 'data/sysctl'), { recursive: true });
    symlinkSync('../data/sysctl', join(root, 'etc/sysctl.d'));
    const target = resolveUnderRoot(root, '/etc/sysctl.d/90-kubelet.conf');
    expect(target.hostPath.endsWith('/data/sysctl/90-kubelet.conf')).toBe(true);
  });

  it('refuses a dangling symlink', () => {
    symlinkSync('/nonexistent-kharden', join(root, 'etc/rancher/k3s/config.yaml'));
    expect(() => resolveUnderRoot(root, '/etc/rancher/k3s/config.yaml')).toThrow(/does not exist/);
  });
});
