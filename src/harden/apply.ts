import { createHash } from 'node:crypto';
import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyError, isKhardenError } from '../core/errors.ts';
import { khardenVersion } from '../core/version.ts';
import { acquireLock, describeErrno } from './apply-lock.ts';
import { atomicWrite, fsyncDirectory } from './atomic-write.ts';
import {
  type BackupEntry,
  type BackupManifest,
  createBackupDir,
  lockNodePath,
  newBackupId,
  type RecordedState,
  saveBackupFile,
  writeManifest,
} from './backup-store.ts';
import type { FaultHooks, FileOperation } from './file-operation.ts';
import { rollbackEntries } from './rollback.ts';
import { displayPath, resolveUnderRoot } from './root-path.ts';

export interface ApplyOptions {
  hooks?: FaultHooks;
  /** One line for --list-backups: `k3s v1.31.4+k3s1 server, 7 changes`. */
  summary: string;
  /** Restore what was already written when a step fails (the CLI does; crash tests do not). */
  rollbackOnError?: boolean;
  now?: Date;
}

export interface ApplyResult {
  /** The backup id, or null when there was nothing to change. */
  id: string | null;
  entries: BackupEntry[];
}

export const sha256 = (content: Buffer | string): string => createHash('sha256').update(content).digest('hex');

/**
 * Writes the operations under `root`, atomically per file, after saving what they replace. Either every
 * operation is done, or (rollbackOnError) none is; after a crash, `rollback` restores from the manifest.
 */
export function applyOperations(root: string, operations: readonly FileOperation[], options: ApplyOptions): ApplyResult {
  if (operations.length === 0) return { id: null, entries: [] };
  const hooks = options.hooks ?? {};
  const realRoot = realpathSync(root);
  const lock = acquireLock(resolveUnderRoot(root, lockNodePath).hostPath, lockNodePath);
  try {
    const prepared = operations.map((operation) => prepare(root, operation));
    const id = newBackupId(options.now ?? new Date());
    let dir: string;
    try {
      dir = createBackupDir(root, id);
    } catch (error) {
      throw applyError(`cannot create the backup directory for this apply: ${describeErrno(error)}; nothing was changed`, error);
    }
    const entries: BackupEntry[] = [];
    try {
      prepared.forEach((item, index) => {
        const before: RecordedState = { ...item.before };
        if (item.operation.op === 'write' && item.before.exists && item.before.type === 'file') {
          const name = String(index);
          saveBackupFile(dir, name, readFileSync(item.hostPath), hooks, item.operation.path);
          before.backupFile = name;
        }
        const after: BackupEntry['after'] = { mode: item.operation.mode, uid: item.operation.uid, gid: item.operation.gid };
        if (item.operation.op === 'write') after.sha256 = sha256(item.operation.content);
        entries.push({ path: item.operation.path, op: item.operation.op, before, after, createdDirs: item.missingDirs.map((host) => displayPath(realRoot, host)) });
      });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw applyError(`cannot save backups before applying: ${describeErrno(error)}; nothing was changed`, error);
    }
    const manifest: BackupManifest = {
      apiVersion: 'kharden.dev/v1',
      kind: 'HardenBackup',
      id,
      createdAt: (options.now ?? new Date()).toISOString(),
      kharden: khardenVersion,
      state: 'applying',
      summary: options.summary,
      entries,
    };
    try {
      writeManifest(dir, manifest, hooks);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw applyError(`cannot write the backup manifest: ${describeErrno(error)}; nothing was changed`, error);
    }
    let current = '';
    try {
      for (const item of prepared) {
        current = item.operation.path;
        perform(item, hooks);
      }
      writeManifest(dir, { ...manifest, state: 'applied' }, hooks, 'manifest-complete');
    } catch (error) {
      if (options.rollbackOnError !== true) throw error;
      const reason = isKhardenError(error) ? error.message : `${current}: ${describeErrno(error)}`;
      try {
        rollbackEntries(root, dir, entries);
        writeManifest(dir, { ...manifest, state: 'failed' });
      } catch (rollbackError) {
        throw applyError(
          `apply failed: ${reason}. Restoring the previous files also failed (${describeErrno(rollbackError)}): run \`kharden rollback ${id}\` once the file system is writable`,
          error,
        );
      }
      throw applyError(`apply failed: ${reason}. Every file was restored from backup ${id}; nothing was changed`, error);
    }
    return { id, entries };
  } finally {
    lock.release();
  }
}

interface PreparedOperation {
  operation: FileOperation;
  hostPath: string;
  missingDirs: string[];
  before: RecordedState;
}

function prepare(root: string, operation: FileOperation): PreparedOperation {
  const target = resolveUnderRoot(root, operation.path);
  const before = recordState(target.hostPath);
  if (operation.op === 'write') {
    if (before.exists && before.type !== 'file') throw applyError(`refusing ${operation.path}: it is not a regular file`);
    const expect = operation.expect;
    const changed = expect.exists
      ? !before.exists || (expect.sha256 !== null && before.sha256 !== expect.sha256)
      : before.exists;
    if (changed) throw applyError(`${operation.path} changed since the plan was made; run kharden harden again to see the new plan`);
  }
  if (operation.op === 'attributes' && !before.exists) throw applyError(`${operation.path} no longer exists; run kharden harden again`);
  if (operation.op === 'mkdir' && before.exists && before.type !== 'directory') throw applyError(`refusing ${operation.path}: it exists and is not a directory`);
  return { operation, hostPath: target.hostPath, missingDirs: target.missingDirs, before };
}

export function recordState(hostPath: string): RecordedState {
  try {
    const stat = lstatSync(hostPath);
    const type = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
    const state: RecordedState = { exists: true, type, mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
    if (type === 'file') state.sha256 = sha256(readFileSync(hostPath));
    return state;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    throw error;
  }
}

function perform(item: PreparedOperation, hooks: FaultHooks): void {
  const { operation, hostPath } = item;
  for (const dir of item.missingDirs) {
    // An earlier operation of the same apply may have created it already.
    if (recordState(dir).type === 'directory') continue;
    hooks.beforeStep?.('mkdir-parent', dir);
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    fsyncDirectory(dirname(dir));
  }
  const attributes = { mode: operation.mode, uid: operation.uid, gid: operation.gid };
  switch (operation.op) {
    case 'write':
      atomicWrite(hostPath, operation.content, attributes, hooks, operation.path);
      return;
    case 'mkdir':
      if (!item.before.exists) {
        hooks.beforeStep?.('mkdir', operation.path);
        mkdirSync(hostPath, { mode: 0o700 });
        fsyncDirectory(dirname(hostPath));
      }
      hooks.beforeStep?.('chown', operation.path);
      chownSync(hostPath, operation.uid, operation.gid);
      hooks.beforeStep?.('chmod', operation.path);
      chmodSync(hostPath, operation.mode);
      return;
    case 'attributes':
      hooks.beforeStep?.('chown', operation.path);
      chownSync(hostPath, operation.uid, operation.gid);
      hooks.beforeStep?.('chmod', operation.path);
      chmodSync(hostPath, operation.mode);
      return;
  }
}
