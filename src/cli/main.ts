import { Command, CommanderError } from 'commander';
import { isKhardenError } from '../core/errors.ts';
import { khardenVersion } from '../core/version.ts';
import { registerAudit } from './commands/audit.ts';
import { registerCollect } from './commands/collect.ts';
import { registerHarden } from './commands/harden.ts';
import { registerNetpol } from './commands/netpol.ts';
import { registerPss } from './commands/pss.ts';
import { exitCodeForError, exitCodes } from './exit-code.ts';
import type { Runner } from './runner.ts';

/**
 * Parses argv, runs one command and returns the process exit code. Never throws: a user's mistake
 * becomes a message and exit 2; an unexpected exception is reported as a kharden bug (exit 70).
 */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const run: Runner = (action) => async (...args: unknown[]) => {
    exitCode = await action(...args);
  };

  const program = new Command('kharden')
    .description('Harden k3s and prove it: CIS k3s benchmark audit, hardening, Pod Security Standards and NetworkPolicy analysis.')
    .version(khardenVersion, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    // Options after a command name belong to that command (`kharden pss --version v1.29`).
    .enablePositionalOptions()
    .exitOverride()
    // Command help is written with its own line breaks (under 120 columns); re-wrapping at 80 would break them mid-sentence.
    .configureHelp({ helpWidth: Math.max(process.stdout.columns ?? 0, 120) })
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
    });

  registerAudit(program, run);
  registerCollect(program, run);
  registerHarden(program, run);
  registerPss(program, run);
  registerNetpol(program, run);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return handleError(error);
  }
}

function handleError(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with exit code 0.
    return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
  if (isKhardenError(error)) {
    process.stderr.write(`kharden: ${error.message}\n`);
    return exitCodeForError(error.code);
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`kharden: internal error (this is a bug in kharden, please report it):\n${detail}\n`);
  return exitCodes.bug;
}
