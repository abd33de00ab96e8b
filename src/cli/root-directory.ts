import { realpath, stat } from 'node:fs/promises';
import { usageError } from '../core/errors.ts';

/**
 * `--root DIR` must name a directory: a typo is a usage error (exit 2), not "no k3s found" (exit 3).
 * Returns its real path, so that the root every later path is confined to has no symlink in it.
 */
export async function rootDirectory(root: string): Promise<string> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(root)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(`--root ${root}: ${code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
  }
  if (!isDirectory) throw usageError(`--root ${root}: not a directory`);
  return realpath(root);
}
