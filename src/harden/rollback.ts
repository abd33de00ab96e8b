import { createHash } from 'node:crypto';
import { chmodSync, chownSync, lstatSync, readdirSync, readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { applyError, usageError } from '../core/errors.ts';
import { acquireLock, describeErrno } from './apply-lock.ts';
import { atomicWrite, fsyncDirectory } from './atomic-write.ts';
import { type BackupEntry, type BackupManifest, listBackups, lockNodePath, readBackupFile, saveBackupFile, writeManifest } from './backup-store.ts';
import { resolveUnderRoot } from './root-path.ts';

export interface RollbackOutcome {
  path: string;
  action: 'restored' | 'removed' | 'attributes restored' | 'unchanged' | 'kept (not empty)';
  /** The file was changed after the apply; its content then is saved beside the backup. */
  changedSinceApply?: string;
}

export interface RollbackResult {
  id: string;
  summary: string;
  outcomes: RollbackOutcome[];
}

/**
 * Restores the files of one apply (the latest by default) from its backup: previous content, mode and owner;
 * files and directories the apply created are removed. Works on an apply that was interrupted.
 */
export function rollback(root: string, id: string | undefined, now: Date = new Date()): RollbackResult {
  const lock = acquireLock(resolveUnderRoot(root, lockNodePath).hostPath, lockNodePath);
  try {
    const backups = listBackups(root);
    const active = backups.filter((backup) => backup.manifest.state === 'applied' || backup.manifest.state === 'applying');
    let chosen: { dir: string; manifest: BackupManifest } | undefined;
    if (id === undefined) {
      chosen = active[active.length - 1];
      if (chosen === undefined) throw usageError('no kharden apply to roll back on this root (kharden harden --list-backups lists them)');
    } else {
      chosen = backups.find((backup) => backup.manifest.id === id);
      if (chosen === undefined) throw usageError(`no backup ${id} (kharden harden --list-backups lists them)`);
      if (chosen.manifest.state === 'rolled-back') throw usageError(`backup ${id} was already rolled back at ${chosen.manifest.rolledBackAt ?? 'an earlier time'}`);
      if (chosen.manifest.state === 'failed') throw usageError(`apply ${id} failed and already restored every file; nothing to roll back`);
      const newer = active.filter((backup) => backup.manifest.id > id);
      if (newer.length > 0) {
        throw usageError(`apply ${newer.map((backup) => backup.manifest.id).join(', ')} came after ${id}; roll ${newer.length === 1 ? 'it' : 'them'} back first`);
      }
    }
    let outcomes: RollbackOutcome[];
    try {
      outcomes = rollbackEntries(root, chosen.dir, chosen.manifest.entries);
      writeManifest(chosen.dir, { ...chosen.manifest, state: 'rolled-back', rolledBackAt: now.toISOString() });
    } catch (error) {
      throw applyError(`rollback of ${chosen.manifest.id} failed: ${describeErrno(error)}; fix the cause and run it again (it is safe to repeat)`, error);
    }
    return { id: chosen.manifest.id, summary: chosen.manifest.summary, outcomes };
  } finally {
    lock.release();
  }
}

/** Undoes entries in reverse order. Safe to repeat: each step checks the current state first. */
export function rollbackEntries(root: string, dir: string, entries: readonly BackupEntry[]): RollbackOutcome[] {
  const groups: RollbackOutcome[][] = [];
  [...entries].reverse().forEach((entry, reverseIndex) => {
    const outcomes: RollbackOutcome[] = [];
    groups.push(outcomes);
    const index = entries.length - 1 - reverseIndex;
    const hostPath = resolveUnderRoot(root, entry.path).hostPath;
    removeLeftoverTemps(hostPath);
    const current = currentState(hostPath);
    const outcome: RollbackOutcome = { path: entry.path, action: 'unchanged' };
    if (entry.op === 'write' && current.exists && current.type === 'file' && entry.after.sha256 !== undefined) {
      const content = readFileSync(hostPath);
      const sha = sha256Of(content);
      const isBefore = entry.before.sha256 !== undefined && sha === entry.before.sha256;
      if (sha !== entry.after.sha256 && !isBefore) {
        const name = `changed-after-apply-${index}`;
        saveBackupFile(dir, name, content);
        outcome.changedSinceApply = join(dir, 'files', name);
      }
    }
    if (!entry.before.exists) {
      if (current.exists) {
        if (current.type === 'directory') {
          if (isEmptyDir(hostPath)) {
            rmdirSync(hostPath);
            fsyncDirectory(dirname(hostPath));
            outcome.action = 'removed';
          } else outcome.action = 'kept (not empty)';
        } else {
          unlinkSync(hostPath);
          fsyncDirectory(dirname(hostPath));
          outcome.action = 'removed';
        }
      }
    } else {
      const attributes = { mode: entry.before.mode ?? 0o644, uid: entry.before.uid ?? 0, gid: entry.before.gid ?? 0 };
      if (entry.op === 'write' && entry.before.backupFile !== undefined) {
        const previous = readBackupFile(dir, entry.before.backupFile);
        const same = current.exists && current.type === 'file' && sha256Of(readFileSync(hostPath)) === sha256Of(previous);
        if (!same || current.mode !== attributes.mode || current.uid !== attributes.uid || current.gid !== attributes.gid) {
          atomicWrite(hostPath, previous, attributes);
          outcome.action = 'restored';
        }
      } else if (current.exists && (current.mode !== attributes.mode || current.uid !== attributes.uid || current.gid !== attributes.gid)) {
        chownSync(hostPath, attributes.uid, attributes.gid);
        chmodSync(hostPath, attributes.mode);
        outcome.action = 'attributes restored';
      }
    }
    outcomes.push(outcome);
    for (const created of [...entry.createdDirs].reverse()) {
      const createdHost = resolveUnderRoot(root, created).hostPath;
      const state = currentState(createdHost);
      if (state.exists && state.type === 'directory' && isEmptyDir(createdHost)) {
        rmdirSync(createdHost);
        outcomes.push({ path: created, action: 'removed' });
      }
    }
  });
  return groups.reverse().flat();
}

function currentState(hostPath: string): { exists: boolean; type?: 'file' | 'directory' | 'other'; mode?: number; uid?: number; gid?: number } {
  try {
    const stat = lstatSync(hostPath);
    return { exists: true, type: stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other', mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
  } catch {
    return { exists: false };
  }
}

/** A crash between writing a temporary file and renaming it leaves `.<name>.<pid>.<rand>.kharden-tmp`. */
function removeLeftoverTemps(hostPath: string): void {
  const prefix = `.${basename(hostPath)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(hostPath));
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(prefix) && name.endsWith('.kharden-tmp')) unlinkSync(join(dirname(hostPath), name));
}

function isEmptyDir(path: string): boolean {
  try {
    return readdirSync(path).length === 0;
  } catch {
    return false;
  }
}

const sha256Of = (content: Buffer): string => createHash('sha256').update(content).digest('hex');
