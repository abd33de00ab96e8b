import type { KhardenErrorCode } from '../core/errors.ts';

/**
 * kharden's exit codes, the one place they are decided (docs/cli.md lists them).
 * 1 is the default for "a check failed" and can be changed with --exit-code, as in kube-bench and Trivy.
 */
export const exitCodes = {
  ok: 0,
  findings: 1,
  usage: 2,
  collect: 3,
  apply: 4,
  bug: 70,
  interrupted: 130,
} as const;

export function exitCodeForError(code: KhardenErrorCode): number {
  switch (code) {
    case 'usage':
    case 'input':
      return exitCodes.usage;
    case 'collect':
      return exitCodes.collect;
    case 'apply':
      return exitCodes.apply;
  }
}
