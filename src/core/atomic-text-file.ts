import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { applyError } from './errors.ts';

export interface AtomicTextFileOptions {
  /** The new file's mode (before the umask). */
  mode: number;
  /** How the failure message names the file (`snapshot node.json`); the path by default. */
  label?: string;
}

/**
 * Writes a file kharden produces (a report, a snapshot) so that a reader never sees half of it and a failed
 * write leaves the old file in place: the text goes to a new temporary file beside `file`, is flushed and
 * renamed over it. Text given as pieces is written piece by piece, so that a large output is never one string.
 * A failure is an apply error naming the file. Files on a host that kharden hardens go through
 * src/harden/atomic-write.ts instead, which also sets owner and mode and makes the rename durable.
 */
export async function writeTextFileAtomically(file: string, text: string | Iterable<string>, options: AtomicTextFileOptions): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', options.mode);
    try {
      if (typeof text === 'string') await handle.writeFile(text, 'utf8');
      else for (const piece of text) await handle.write(piece);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw applyError(`cannot write ${options.label ?? file}: ${(error as Error).message}`, error);
  }
}
