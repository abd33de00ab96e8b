import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RootFs } from './root-fs.ts';

const root = mkdtempSync(join(tmpdir(), 'kharden-rootfs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'etc/rancher/k3s'), { recursive: true });
mkdirSync(join(root, 'data'), { recursive: true });
writeFileSync(join(root, 'data/k3s.yaml'), 'token: x\n');
symlinkSync('/data/k3s.yaml', join(root, 'etc/rancher/k3s/config.yaml'));
symlinkSync('../../../../../../../etc/passwd', join(root, 'etc/rancher/k3s/escape'));
symlinkSync('loop-b', join(root, 'etc/loop-a'));
symlinkSync('loop-a', join(root, 'etc/loop-b'));
symlinkSync('/data', join(root, 'etc/data-dir'));

describe('RootFs', () => {
  const fs = new RootFs(root);

  it('resolves absolute symlinks inside the root', async () => {
    const read = await fs.readText('/etc/rancher/k3s/config.yaml');
    expect(read.ok && read.text).toBe('token: x\n');
    expect(read.ok && read.resolved).toEqual({ nodePath: '/data/k3s.yaml', hostPath: join(root, 'data/k3s.yaml'), followed: true });
  });

  it('clamps .. at the root instead of leaving it', async () => {
    const resolved = await fs.resolve('/etc/rancher/k3s/escape');
    expect(resolved.nodePath).toBe('/etc/passwd');
    expect(resolved.hostPath).toBe(join(root, 'etc/passwd'));
    expect((await fs.readText('/etc/rancher/k3s/escape')).ok).toBe(false);
  });

  it('stops on symlink loops and reports missing files as values', async () => {
    const loop = await fs.readText('/etc/loop-a');
    expect(loop.ok).toBe(false);
    const missing = await fs.readText('/nope/file');
    expect(missing).toEqual({ ok: false, missing: true, error: { message: '/nope/file: no such file or directory' } });
  });

  it('lists a directory reached through a symlink, marking directories', async () => {
    const listing = await fs.list('/etc');
    expect(listing.ok && listing.entries.find((entry) => entry.name === 'data-dir')).toEqual({ name: 'data-dir', isDirectory: true });
  });
});
