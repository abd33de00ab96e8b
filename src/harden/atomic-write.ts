import { closeSync, fchmodSync, fchownSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Attributes, FaultHooks } from './file-operation.ts';

/**
 * Replaces a file so that a reader (or a crash) sees either the whole old file or the whole new one: the
 * content goes to a temporary file in the same directory, which is flushed, given its final mode and owner,
 * and renamed over the target; the directory is then flushed so that the rename survives a power loss.
 * The temporary name ends in `.kharden-tmp`, which k3s ignores in config.yaml.d and manifests/.
 */
export function atomicWrite(hostPath: string, content: string | Buffer, attributes: Attributes, hooks: FaultHooks = {}, label = hostPath): void {
  const dir = dirname(hostPath);
  const temp = join(dir, `.${basename(hostPath)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.kharden-tmp`);
  let fd: number | null = null;
  try {
    hooks.beforeStep?.('temp-write', label);
    fd = openSync(temp, 'wx', 0o600);
    const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
    hooks.beforeStep?.('temp-fsync', label);
    fsyncSync(fd);
    hooks.beforeStep?.('temp-attributes', label);
    fchownSync(fd, attributes.uid, attributes.gid);
    fchmodSync(fd, attributes.mode);
    closeSync(fd);
    fd = null;
    hooks.beforeStep?.('rename', label);
    renameSync(temp, hostPath);
  } catch (error) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Not created, or already renamed.
    }
    throw error;
  }
  hooks.beforeStep?.('dir-fsync', label);
  fsyncDirectory(dir);
}

export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
