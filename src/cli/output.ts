import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { applyError } from '../core/errors.ts';

/**
 * Writes a command's output: to stdout, or with `-o FILE` to that file atomically (a reader never sees half
 * a report, and a failed write leaves the old file in place).
 */
export async function writeOutput(text: string, file: string | undefined, stdout: (text: string) => void): Promise<void> {
  if (file === undefined || file === '-') {
    stdout(text);
    return;
  }
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw applyError(`cannot write ${file}: ${(error as Error).message}`, error);
  }
}

/** Commander's collector for repeatable options (`--manifests a --manifests b`). */
export function collectRepeated(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--exit-code N`: a number from 0 to 255. */
export function parseExitCode(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 255) {
    throw new InvalidArgumentError(`must be a whole number from 0 to 255`);
  }
  return parsed;
}
