/**
 * Runs the kharden CLI inside the test process (src/cli/main.ts, from source), capturing what it writes to
 * stdout and stderr: what a user would see, without building or spawning anything.
 * test/e2e/audit-cli-process.ts runs the built CLI as a real process instead.
 */
import { vi } from 'vitest';
import { main } from '../src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runKharden(...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
