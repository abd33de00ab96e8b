/**
 * Errors a user can cause or meet. Each carries the message shown to them and maps to one exit code
 * (see cli/exit-code.ts). Anything else that is thrown is a kharden bug and is reported as such.
 */
export type KhardenErrorCode =
  | 'usage' // wrong flag, bad flag value
  | 'input' // a file the user gave is malformed, foreign or unreadable
  | 'collect' // collection failed (API unreachable, permission denied on the node)
  | 'apply'; // a write to the host failed (read-only, full, locked)

export class KhardenError extends Error {
  readonly code: KhardenErrorCode;
  constructor(code: KhardenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KhardenError';
    this.code = code;
  }
}

export const usageError = (message: string): KhardenError => new KhardenError('usage', message);
export const inputError = (message: string, cause?: unknown): KhardenError =>
  new KhardenError('input', message, { cause });
export const collectError = (message: string, cause?: unknown): KhardenError =>
  new KhardenError('collect', message, { cause });
export const applyError = (message: string, cause?: unknown): KhardenError =>
  new KhardenError('apply', message, { cause });

export function isKhardenError(error: unknown): error is KhardenError {
  return error instanceof KhardenError;
}
