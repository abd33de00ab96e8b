import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyError } from '../core/errors.ts';

/**
 * One apply or rollback at a time per root: the lock file holds the owner's pid. A second kharden refuses
 * with the owner's pid; a lock left by a process that no longer exists (killed mid-apply) is taken over.
 */
export interface ApplyLock {
  release(): void;
}

export function acquireLock(lockPath: string, displayName: string): ApplyLock {
  mkdirSync(dirname(lockPath), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        release() {
          try {
            unlinkSync(lockPath);
          } catch {
            // Already gone.
          }
        },
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw applyError(`cannot create the lock ${displayName}: ${describeErrno(error)}`, error);
      const owner = lockOwner(lockPath);
      if (owner !== null && owner !== process.pid && isRunning(owner)) {
        throw applyError(`another kharden apply or rollback is running on this root (pid ${owner}, lock ${displayName}); try again when it has finished`);
      }
      if (owner === process.pid) throw applyError(`this process already holds the lock ${displayName}`);
      unlinkSync(lockPath);
    }
  }
  throw applyError(`cannot take the lock ${displayName}`);
}

function lockOwner(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isFinite(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const errnoText: Record<string, string> = {
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a parent is not a directory',
  EISDIR: 'is a directory',
  EIO: 'input/output error',
};

/** `read-only file system (EROFS)` for an fs error, the message otherwise. */
export function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && errnoText[code] !== undefined) return `${errnoText[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
