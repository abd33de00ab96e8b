import { InvalidArgumentError } from 'commander';
import { writeTextFileAtomically } from '../core/atomic-text-file.ts';

/**
 * Writes a command's output: to stdout, or with `-o FILE` to that file atomically (a reader never sees half
 * a report, and a failed write leaves the old file in place).
 */
export async function writeOutput(text: string, file: string | undefined, stdout: (text: string) => void): Promise<void> {
  if (file === undefined || file === '-') {
    stdout(text);
    return;
  }
  await writeTextFileAtomically(file, text, { mode: 0o600 });
}

/** Commander's collector for repeatable options (`--manifests a --manifests b`). */
export function collectRepeated(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--exit-code N`: 0 to 125 (126 and up mean "cannot run", "not found" and signals to a shell). */
export function parseExitCode(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isInteger(parsed) || parsed < 0 || parsed > 125) {
    throw new InvalidArgumentError('must be a whole number from 0 to 125');
  }
  return parsed;
}
