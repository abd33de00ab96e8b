import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { applyError } from '../core/errors.ts';

/**
 * Resolves a node path (`/etc/rancher/k3s/config.yaml`) under a root directory for writing, refusing any
 * path that a symlink leads out of the root: a symlinked parent directory or target file is followed only
 * when where it points is inside the root. Missing trailing directories are returned so that the caller
 * can create (and later remove) them.
 */
export interface ResolvedTarget {
  /** The host path to operate on (symlinks inside the root resolved). */
  hostPath: string;
  /** Host paths of directories that do not exist yet, outermost first. */
  missingDirs: string[];
  /** Whether the final component existed. */
  exists: boolean;
}

export function resolveUnderRoot(root: string, nodePath: string): ResolvedTarget {
  const realRoot = realpathSync(root);
  const parts = nodePath.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw applyError(`refusing ${nodePath}: '..' is not allowed in a target path`);
  let current = realRoot;
  const missingDirs: string[] = [];
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index] ?? '';
    const candidate = join(current, part);
    const last = index === parts.length - 1;
    if (missingDirs.length > 0) {
      if (!last) missingDirs.push(candidate);
      current = candidate;
      continue;
    }
    let isLink = false;
    try {
      isLink = lstatSync(candidate).isSymbolicLink();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (!last) missingDirs.push(candidate);
      current = candidate;
      continue;
    }
    if (isLink) {
      const target = readlinkSync(candidate);
      let real: string;
      try {
        real = realpathSync(candidate);
      } catch {
        throw applyError(`refusing ${nodePath}: ${displayPath(realRoot, candidate)} is a symlink to ${target}, which does not exist`);
      }
      if (!isInside(realRoot, real)) {
        throw applyError(`refusing ${nodePath}: ${displayPath(realRoot, candidate)} is a symlink to ${target}, outside ${root === '/' ? 'the root' : root}`);
      }
      current = real;
    } else current = candidate;
  }
  let exists = true;
  try {
    lstatSync(current);
  } catch {
    exists = false;
  }
  return { hostPath: current, missingDirs, exists };
}

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** A host path shown as the node path it stands for. */
export function displayPath(realRoot: string, hostPath: string): string {
  const rel = relative(realRoot, resolve(hostPath));
  return `/${rel}`;
}
