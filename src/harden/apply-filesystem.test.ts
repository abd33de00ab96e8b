import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyOperations, sha256 } from './apply.ts';
import type { FileOperation } from './file-operation.ts';

/**
 * Real read-only and full file systems (tmpfs mounts; we run as root). The node tree's /etc is its own
 * mount, as on an image whose root is read-only or whose /etc partition is full.
 */
const mounts: string[] = [];
afterEach(() => {
  for (const mount of mounts.splice(0)) execFileSync('umount', [mount]);
});

function canMount(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'kharden-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  }
}

function rootWithEtcMount(options: string): string {
  const root = mkdtempSync(join(tmpdir(), 'kharden-fs-'));
  mkdirSync(join(root, 'etc'));
  mkdirSync(join(root, 'var'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', join(root, 'etc')]);
  mounts.push(join(root, 'etc'));
  mkdirSync(join(root, 'etc/sysctl.d'));
  writeFileSync(join(root, 'etc/sysctl.d/90-kubelet.conf'), 'old\n');
  mkdirSync(join(root, 'var/lib/rancher/k3s/server'), { recursive: true });
  return root;
}

const operations = (size: number): FileOperation[] => [
  { op: 'mkdir', path: '/var/lib/rancher/k3s/server/logs', mode: 0o700, uid: 0, gid: 0 },
  { op: 'write', path: '/etc/sysctl.d/90-kubelet.conf', content: 'x'.repeat(size), mode: 0o644, uid: 0, gid: 0, expect: { exists: true, sha256: sha256('old\n') } },
];

describe.skipIf(!canMount())('apply on a file system that refuses writes', () => {
  it('a read-only file system: clear error naming the file, nothing half-written, earlier changes restored', () => {
    const root = rootWithEtcMount('size=1m');
    execFileSync('mount', ['-o', 'remount,ro', join(root, 'etc')]);
    expect(() => applyOperations(root, operations(10), { summary: 'test', rollbackOnError: true })).toThrow(
      /apply failed: \/etc\/sysctl.d\/90-kubelet.conf: read-only file system \(EROFS\)\. Every file was restored/,
    );
    expect(readFileSync(join(root, 'etc/sysctl.d/90-kubelet.conf'), 'utf8')).toBe('old\n');
    expect(() => readFileSync(join(root, 'var/lib/rancher/k3s/server/logs'))).toThrow(/ENOENT/);
  });

  it('a full file system: clear error, the old file intact and no temporary file left', () => {
    const root = rootWithEtcMount('size=16k');
    expect(() => applyOperations(root, operations(256 * 1024), { summary: 'test', rollbackOnError: true })).toThrow(/no space left on device \(ENOSPC\)/);
    expect(readFileSync(join(root, 'etc/sysctl.d/90-kubelet.conf'), 'utf8')).toBe('old\n');
    expect(execFileSync('ls', ['-A', join(root, 'etc/sysctl.d')], { encoding: 'utf8' })).toBe('90-kubelet.conf\n');
  });
});
