import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { inputError } from '../core/errors.ts';
import { atomicWrite, fsyncDirectory } from './atomic-write.ts';
import type { FaultHooks } from './file-operation.ts';
import { resolveUnderRoot } from './root-path.ts';

/**
 * Backups of an apply live under ROOT/var/lib/kharden/backups/<id>/: manifest.json lists every path the
 * apply touches with its state before (content saved in files/<n>), written before the first change, so
 * that a rollback works even after a crash in the middle of an apply.
 */
export const backupsNodeDir = '/var/lib/kharden/backups';
export const lockNodePath = '/var/lib/kharden/apply.lock';

const stateSchema = z.object({
  exists: z.boolean(),
  type: z.enum(['file', 'directory', 'other']).optional(),
  mode: z.number().int().optional(),
  uid: z.number().int().optional(),
  gid: z.number().int().optional(),
  /** File name under files/ holding the previous content. */
  backupFile: z.string().optional(),
  sha256: z.string().optional(),
});
export type RecordedState = z.infer<typeof stateSchema>;

export const backupEntrySchema = z.object({
  path: z.string(),
  op: z.enum(['write', 'mkdir', 'attributes']),
  before: stateSchema,
  after: z.object({ mode: z.number().int(), uid: z.number().int(), gid: z.number().int(), sha256: z.string().optional() }),
  /** Parent directories the apply creates for this path (node paths, outermost first). */
  createdDirs: z.array(z.string()),
});
export type BackupEntry = z.infer<typeof backupEntrySchema>;

export const backupManifestSchema = z.object({
  apiVersion: z.literal('kharden.dev/v1'),
  kind: z.literal('HardenBackup'),
  id: z.string(),
  createdAt: z.string(),
  kharden: z.string(),
  /** `applying` until every change is written; `failed` when an apply stopped and restored itself. */
  state: z.enum(['applying', 'applied', 'failed', 'rolled-back']),
  summary: z.string(),
  entries: z.array(backupEntrySchema),
  rolledBackAt: z.string().optional(),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;

export function newBackupId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}

export function backupHostDir(root: string, id: string): string {
  return resolveUnderRoot(root, `${backupsNodeDir}/${id}`).hostPath;
}

export function createBackupDir(root: string, id: string): string {
  const dir = backupHostDir(root, id);
  mkdirSync(join(dir, 'files'), { recursive: true, mode: 0o700 });
  return dir;
}

export function writeManifest(dir: string, manifest: BackupManifest, hooks: FaultHooks = {}, step: 'manifest-write' | 'manifest-complete' = 'manifest-write'): void {
  hooks.beforeStep?.(step, join(dir, 'manifest.json'));
  atomicWrite(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600, uid: 0, gid: 0 });
}

export function saveBackupFile(dir: string, name: string, content: Buffer, hooks: FaultHooks = {}, label = name): void {
  hooks.beforeStep?.('backup-copy', label);
  atomicWrite(join(dir, 'files', name), content, { mode: 0o600, uid: 0, gid: 0 });
  fsyncDirectory(join(dir, 'files'));
}

export function readBackupFile(dir: string, name: string): Buffer {
  return readFileSync(join(dir, 'files', name));
}

/** Every backup with a readable manifest, oldest first. Directories without one (an apply that never started writing) are skipped. */
export function listBackups(root: string): Array<{ dir: string; manifest: BackupManifest }> {
  let base: string;
  try {
    base = resolveUnderRoot(root, backupsNodeDir).hostPath;
  } catch {
    return [];
  }
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return [];
  }
  const backups: Array<{ dir: string; manifest: BackupManifest }> = [];
  for (const name of names.sort()) {
    const dir = join(base, name);
    let text: string;
    try {
      text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    } catch {
      continue;
    }
    const parsed = backupManifestSchema.safeParse(safeJson(text));
    if (!parsed.success) throw inputError(`${backupsNodeDir}/${name}/manifest.json is not a kharden backup manifest: ${parsed.error.issues[0]?.message ?? ''}`);
    backups.push({ dir, manifest: parsed.data });
  }
  return backups;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
