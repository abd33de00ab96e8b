import { lstatSync, readFileSync } from 'node:fs';
import { inputError } from '../core/errors.ts';
import { sha256 } from './apply.ts';
import { resolveUnderRoot } from './root-path.ts';

/**
 * The state of the files a plan may write, read under the root (IO at the edge of the planner). Reading
 * goes through the same symlink checks as writing, so a dry run already refuses a target that leads out of
 * the root.
 */
export interface CurrentFile {
  exists: boolean;
  type?: 'file' | 'directory' | 'other';
  content?: string;
  sha256?: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

export type CurrentFiles = ReadonlyMap<string, CurrentFile>;

export function readCurrentFiles(root: string, paths: readonly string[]): Map<string, CurrentFile> {
  const files = new Map<string, CurrentFile>();
  for (const path of new Set(paths)) {
    const { hostPath } = resolveUnderRoot(root, path);
    let stat;
    try {
      stat = lstatSync(hostPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        files.set(path, { exists: false });
        continue;
      }
      throw inputError(`cannot read ${path}: ${(error as Error).message}`, error);
    }
    const type = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
    const file: CurrentFile = { exists: true, type, mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
    if (type === 'file') {
      const buffer = readFileSync(hostPath);
      file.content = buffer.toString('utf8');
      file.sha256 = sha256(buffer);
    }
    files.set(path, file);
  }
  return files;
}
